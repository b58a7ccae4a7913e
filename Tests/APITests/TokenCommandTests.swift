import CLI
import Engine
import Foundation
import Synchronization
import Testing

@Suite("ingest token create, list and revoke")
struct TokenCommandTests {
    /// Runs `ingest <arguments>` in-process; returns the exit code, stdout and stderr.
    static func ingest(_ arguments: [String]) -> (code: Int32, out: String, err: String) {
        let out = Mutex("")
        let err = Mutex("")
        let context = CommandContext(environment: [:], stdout: { text in out.withLock { $0 += text } },
                                     stderr: { text in err.withLock { $0 += text } }, stderrIsTerminal: false)
        let code = IngestCommand.run(arguments, context: context)
        return (code, out.withLock { $0 }, err.withLock { $0 })
    }

    @Test("a created token is printed once, works on the API, is listed without its hash, and stops working when revoked")
    func lifecycle() throws {
        let fixture = try APIFixture(importers: ["items": itemsDefinition()], serve: false)
        let database = ["--database", fixture.databasePath]

        let created = Self.ingest(["token", "create", "--name", "ci", "--user-id", "7"] + database)
        #expect(created.code == 0)
        let token = created.out.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("ingest_"))
        #expect(token.count == "ingest_".count + 64)
        #expect(created.err.contains("cannot be shown again"))
        let stored = try fixture.query("SELECT token_hash FROM ingest_tokens WHERE name = 'ci'").first?.first?.textValue
        #expect(stored?.count == 64)
        #expect(stored != token && stored.map { !token.contains($0) } == true)

        let upload = try fixture.upload("items", content: itemsCSV, token: token)
        #expect(upload.status == 202)
        #expect(upload.data?.int("user_id") == 7)

        // Use is recorded off the request thread.
        _ = try fixture.eventually("last_used_at") { () -> Bool? in
            try fixture.query("SELECT last_used_at FROM ingest_tokens WHERE name = 'ci'").first?.first?.textValue != nil ? true : nil
        }

        let duplicate = Self.ingest(["token", "create", "--name", "ci"] + database)
        #expect(duplicate.code == 1)
        #expect(duplicate.err.contains("already exists"))

        let listed = Self.ingest(["token", "list"] + database)
        #expect(listed.code == 0)
        #expect(listed.out.contains("NAME"))
        #expect(listed.out.contains("ci"))
        #expect(listed.out.contains("7"))
        #expect(!listed.out.contains(stored ?? "-"))
        #expect(!listed.out.contains(token))
        let json = Self.ingest(["token", "list", "--json"] + database)
        #expect(json.out.contains("\"last_used_at\""))

        let revoked = Self.ingest(["token", "revoke", "ci"] + database)
        #expect(revoked.code == 0)
        #expect(try fixture.get("/", token: token).status == 401)
        #expect(Self.ingest(["token", "revoke", "ci"] + database).code == 1)
    }

    @Test("usage mistakes exit 64")
    func usageErrors() throws {
        let fixture = try APIFixture(importers: [:], serve: false)
        let database = ["--database", fixture.databasePath]
        #expect(Self.ingest(["token"] + database).code == 64)
        #expect(Self.ingest(["token", "create"] + database).code == 64)
        #expect(Self.ingest(["token", "create", "--name", "x", "--user-id", "seven"] + database).code == 64)
        let unknown = Self.ingest(["token", "revok", "x"] + database)
        #expect(unknown.code == 64)
        #expect(unknown.err.contains("Did you mean 'revoke'?"))
        #expect(Self.ingest(["serve", "--port", "70000"] + database).code == 64)
        #expect(Self.ingest(["serve", "--prefix", "/api/:x"] + database).code == 64)
    }

    @Test("--scope sets what a token may do; an unknown scope is refused; list shows the scopes")
    func scopes() throws {
        let fixture = try APIFixture(importers: ["items": itemsDefinition()], serve: false)
        let database = ["--database", fixture.databasePath]
        let bad = Self.ingest(["token", "create", "--name", "w", "--scope", "read,write"] + database)
        #expect(bad.code != 0)
        #expect(bad.err.contains("The scope 'write' is unknown: use a comma-separated list of read, run, admin."))
        #expect(try fixture.count("ingest_tokens") == 1, "only the fixture's own token")

        let viewer = Self.ingest(["token", "create", "--name", "viewer", "--scope", "read", "--json"] + database)
        #expect(viewer.code == 0)
        let json = try JSONValue.parse(bytes: Array(viewer.out.utf8))
        #expect(json["scopes"] == .array(["read"]))
        let token = try #require(json.string("token"))
        #expect(try fixture.get("/", token: token).status == 200)
        #expect(try fixture.upload("items", content: itemsCSV, token: token).status == 403)

        let listed = Self.ingest(["token", "list"] + database)
        #expect(listed.out.contains("SCOPES"))
        #expect(listed.out.split(separator: "\n").contains { $0.hasPrefix("viewer") && $0.contains(" read ") })
    }
}
