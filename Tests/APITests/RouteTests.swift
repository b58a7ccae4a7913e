import Engine
import Foundation
import SQLite
import Testing

/// Issue 13, item 4: `target.route` (Laravel Ingest's model resolver, `resolveModelUsing`). The
/// tests carry the names of the peer's IngestConfigTest resolver cases where they map, run on
/// real files into real SQLite databases through `ingest run` and through an upload to
/// `ingest serve` over a loopback socket; the databases are inspected afterwards.
@Suite("Routing rows to tables (target.route)")
struct RouteTests {
    struct Outcome {
        let via: String
        let run: JSONValue
        let fixture: ProcessFixture
        var status: String { run.string("status") ?? "" }
        var meta: JSONValue? { run["summary"]?["meta"] }
        /// `summary.meta.tables[table]`: created, updated, skipped.
        func counts(_ table: String) -> [Int64] {
            let t = meta?["tables"]?[table]
            return ["created", "updated", "skipped"].map { t?.int($0) ?? -1 }
        }
        func emails(_ table: String) throws -> [String] {
            try fixture.query("SELECT email FROM \(table) ORDER BY email").compactMap(\.[0].textValue)
        }
    }

    static func definition(route: String = #"{ "column": "Role", "tables": { "admin": "admin_users", "editor": "admin_users" } }"#,
                           onDuplicate: String = "update", extra: String = "") -> String {
        """
        { "name": "Users", "source": { "formats": ["csv"] },
          "target": { "table": "users", "key": ["email"], "on_duplicate": "\(onDuplicate)"\(extra),
            "route": \(route) },
          "columns": {
            "name": { "from": "Name", "rules": "required" },
            "email": { "from": "Email", "rules": "required" },
            "role": { "from": "Role" } } }
        """
    }

    static let users = """
        Name,Email,Role
        Ada,ada@example.com,admin
        Ed,ed@example.com, editor 
        Uma,uma@example.com,user
        Nora,nora@example.com,

        """

    /// Imports `files` in turn with `ingest run` and, into a second database, with API uploads.
    static func both(_ definition: String, _ files: [String], dryRun: Bool = false) throws -> [Outcome] {
        let cli = try ProcessFixture(importers: ["users": definition])
        var last: JSONValue?
        for (i, content) in files.enumerated() {
            try cli.write(content, to: "in\(i)/users.csv")
            let result = try cli.ingest(["run", "users", cli.root + "/in\(i)/users.csv", "--json"] + (dryRun ? ["--dry-run"] : []))
            last = try JSONRun(result.stdout).json
        }
        var outcomes = [Outcome(via: "ingest run", run: try #require(last), fixture: cli)]

        let api = try ProcessFixture(importers: ["users": definition])
        let token = try ServerProcess.token(api)
        let server = try ServerProcess(api)
        var finished: JSONValue?
        for content in files {
            var form = MultipartBody()
            form.file("file", filename: "users.csv", contentType: "text/csv", content: Array(content.utf8))
            if dryRun { form.field("dry_run", "1") }
            let created = try TestHTTPClient(port: server.port).send(
                "POST", APIFixture.prefix + "/upload/users",
                headers: [("Authorization", "Bearer \(token)"), ("Content-Type", form.contentType)], body: form.finished)
            guard created.status == 202, let id = created.data?.int("id") else { throw FixtureFailure("upload: \(created.text)") }
            finished = try server.waitUntilFinished(id, token: token)
        }
        outcomes.append(Outcome(via: "API upload", run: try #require(finished), fixture: api))
        return outcomes
    }

    // MARK: - IngestConfigTest (model resolver)

    @Test("can set a model resolver")
    func canSetResolver() throws {
        let fixture = try ProcessFixture(importers: ["users": Self.definition()])
        let check = try fixture.ingest(["check"])
        #expect(check.status == 0, "\(check.stdout) \(check.stderr)")
        #expect(check.stdout.contains("table 'admin_users' will be created on the first run"), "\(check.stdout)")
        #expect(check.stdout.contains("table 'users' will be created on the first run"), "\(check.stdout)")
    }

    @Test("resolves model class using custom resolver")
    func customResolver() throws {
        for o in try Self.both(Self.definition(), [Self.users]) {
            #expect(o.status == "completed", "\(o.via): \(o.run)")
            #expect(try o.emails("admin_users") == ["ada@example.com", "ed@example.com"], "\(o.via)")
            #expect(try o.emails("users") == ["nora@example.com", "uma@example.com"], "\(o.via)")
            #expect(o.counts("admin_users") == [2, 0, 0], "\(o.via)")
            #expect(o.counts("users") == [2, 0, 0], "\(o.via)")
            #expect(o.meta?.int("created_rows") == 4, "\(o.via)")
            // Each routed table is created like the target: same columns, UNIQUE index on the key.
            #expect(try TargetTableProbe.hasUniqueIndex(o.fixture, "admin_users", on: "email"), "\(o.via)")
        }
    }

    @Test("resolves model class using default when no resolver set")
    func defaultTable() throws {
        // No listed value (and no route at all): every row goes to target.table.
        let plain = Self.definition().replacingOccurrences(of: #",\#n    "route": { "column": "Role", "tables": { "admin": "admin_users", "editor": "admin_users" } }"#, with: "")
        #expect(!plain.contains("route"))
        let csv = "Name,Email,Role\nUma,uma@example.com,user\nAda,ada@example.com,Admin\n"
        for (definition, routed) in [(Self.definition(), true), (plain, false)] {
            for o in try Self.both(definition, [csv]) {
                #expect(o.status == "completed", "\(o.via): \(o.run)")
                #expect(try o.emails("users") == ["ada@example.com", "uma@example.com"], "\(o.via): values compare exactly")
                if routed {
                    #expect(try o.fixture.count("admin_users") == 0, "\(o.via)")
                    #expect(o.counts("users") == [2, 0, 0] && o.counts("admin_users") == [0, 0, 0], "\(o.via)")
                } else {
                    #expect(o.meta?["tables"] == nil, "\(o.via)")
                }
            }
        }
    }

    @Test("throws exception when resolver returns non-model class")
    func reservedRoutedTable() throws {
        for table in ["ingest_admins", "sqlite_master", "not a table"] {
            let bad = Self.definition(route: #"{ "column": "Role", "tables": { "admin": "\#(table)" } }"#)
            let fixture = try ProcessFixture(importers: ["users": bad])
            let check = try fixture.ingest(["check"])
            let text = check.stdout + check.stderr
            #expect(check.status == 1)
            #expect(text.contains("users.json:3:"), "file:line:col of the table: \(text)")
            #expect(text.contains("/target/route/tables/admin"), "\(text)")
            #expect(text.contains(table.contains(" ") ? "not an SQL identifier" : "reserved"), "\(text)")
        }
    }

    // MARK: - Ingest's own cases

    @Test("re-importing updates each row in its own table and counts per table")
    func reimportCountsPerTable() throws {
        let second = "Name,Email,Role\nAda Lovelace,ada@example.com,admin\nUma,uma@example.com,user\nZoe,zoe@example.com,editor\n"
        for o in try Self.both(Self.definition(), [Self.users, second]) {
            #expect(o.status == "completed", "\(o.via): \(o.run)")
            #expect(o.counts("admin_users") == [1, 1, 0], "\(o.via)")
            #expect(o.counts("users") == [0, 1, 0], "\(o.via)")
            #expect(o.meta?.int("created_rows") == 1 && o.meta?.int("updated_rows") == 2, "\(o.via)")
            #expect(try o.fixture.query("SELECT name FROM admin_users WHERE email = 'ada@example.com'").first?[0].textValue == "Ada Lovelace")
            #expect(try o.fixture.count("users") == 2 && o.fixture.count("admin_users") == 3, "\(o.via)")
        }
    }

    @Test("a dry run predicts the per-table counts and writes nothing")
    func dryRun() throws {
        for o in try Self.both(Self.definition(), [Self.users], dryRun: true) {
            #expect(o.status == "completed", "\(o.via): \(o.run)")
            #expect(o.counts("admin_users") == [2, 0, 0] && o.counts("users") == [2, 0, 0], "\(o.via): \(o.run)")
            #expect(try o.fixture.count("admin_users") == 0 && o.fixture.count("users") == 0, "\(o.via)")
        }
    }

    @Test("a bad row under transaction all rolls back every table and the per-table counts", arguments: [false, true])
    func rollbackAll(dryRun: Bool) throws {
        let definition = Self.definition().replacingOccurrences(of: #"{ "name": "Users","#, with: #"{ "name": "Users", "transaction": "all","#)
        #expect(definition.contains(#""transaction": "all""#))
        let csv = Self.users + ",bad@example.com,admin\n"
        for o in try Self.both(definition, [csv], dryRun: dryRun) {
            #expect(o.run["progress"]?.int("failed") == 1, "\(o.via): \(o.run)")
            #expect(o.counts("admin_users") == [0, 0, 0] && o.counts("users") == [0, 0, 0], "\(o.via): \(o.run)")
            #expect(try o.fixture.count("admin_users") == 0 && o.fixture.count("users") == 0, "\(o.via)")
        }
    }

    @Test("a source without the route's header fails before any row")
    func missingRouteHeader() throws {
        let csv = "Name,Email\nAda,ada@example.com\n"
        let noRoleColumn = Self.definition().replacingOccurrences(of: #",\#n    "role": { "from": "Role" }"#, with: "")
        #expect(!noRoleColumn.contains(#""from": "Role""#))
        for o in try Self.both(noRoleColumn, [csv]) {
            #expect(o.status == "failed", "\(o.via): \(o.run)")
            let errors = o.run["summary"]?["errors"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(errors.first?.contains("No header matches 'Role', the column target.route reads") == true, "\(o.via): \(errors)")
            #expect(try o.fixture.count("users") == 0, "\(o.via)")
        }
    }

    @Test("check reports a routed table that is missing or lacks the key index")
    func checkVerifiesRoutedTables() throws {
        let fixed = Self.definition(extra: #", "create_table": false"#)
        let fixture = try ProcessFixture(importers: ["users": fixed])
        let db = try Connection(path: fixture.database)
        try db.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, email TEXT, role TEXT)")
        try db.execute("CREATE UNIQUE INDEX users_email_unique ON users (email)")
        let missing = try fixture.ingest(["check"])
        #expect(missing.status == 1)
        #expect((missing.stdout + missing.stderr).contains("The target table 'admin_users' does not exist"), "\(missing.stdout)\(missing.stderr)")

        try db.execute("CREATE TABLE admin_users (id INTEGER PRIMARY KEY, name TEXT, email TEXT, role TEXT)")
        let noIndex = try fixture.ingest(["check"])
        #expect(noIndex.status == 1)
        #expect((noIndex.stdout + noIndex.stderr).contains("The target table 'admin_users' has no UNIQUE index on (email)"), "\(noIndex.stdout)\(noIndex.stderr)")
        try fixture.write(Self.users, to: "in/users.csv")
        let run = try fixture.ingest(["run", "users", fixture.root + "/in/users.csv", "--json"])
        #expect(run.status != 0)
        #expect(try fixture.count("users") == 0)

        try db.execute("CREATE UNIQUE INDEX admin_users_email_unique ON admin_users (email)")
        let ok = try fixture.ingest(["check"])
        #expect(ok.status == 0, "\(ok.stdout)")
        #expect(ok.stdout.contains("table 'admin_users' matches the columns"), "\(ok.stdout)")
    }

    @Test("the worked example of DEFINITIONS.md (examples/route) routes as documented")
    func workedExample() throws {
        let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/route")
        let definition = try String(contentsOf: examples.appendingPathComponent("users.json"), encoding: .utf8)
        let csv = try String(contentsOf: examples.appendingPathComponent("users.csv"), encoding: .utf8)
        for o in try Self.both(definition, [csv]) {
            #expect(o.status == "completed", "\(o.via): \(o.run)")
            #expect(try o.emails("admin_users") == ["ada@example.com", "ed@example.com"], "\(o.via)")
            #expect(try o.emails("users") == ["nora@example.com", "uma@example.com"], "\(o.via)")
            #expect(o.counts("admin_users") == [2, 0, 0] && o.counts("users") == [2, 0, 0], "\(o.via)")
        }
        // The text report of `ingest run` lists the tables.
        let fixture = try ProcessFixture(importers: ["users": definition])
        try fixture.write(csv, to: "in/users.csv")
        let text = try fixture.ingest(["run", "users", fixture.root + "/in/users.csv"])
        #expect(text.stdout.contains("table:    admin_users: 2 created, 0 updated, 0 skipped"), "\(text.stdout)")
        #expect(text.stdout.contains("table:    users: 2 created, 0 updated, 0 skipped"), "\(text.stdout)")
    }

    @Test("route with relate_many or a unique rule is a definition error")
    func unsupportedCombinations() throws {
        let related = Self.definition().replacingOccurrences(of: #""role": { "from": "Role" }"#, with: #""role": { "from": "Role", "relate_many": { "table": "role_user", "parent_column": "user_id", "related": { "table": "roles", "match": "slug", "select": "id" }, "related_column": "role_id", "separator": "," } }"#)
        let unique = Self.definition().replacingOccurrences(of: #""rules": "required" },"#, with: #""rules": ["required", "unique"] },"#)
        for (definition, words) in [(related, "relate_many"), (unique, "the unique rule")] {
            #expect(definition != Self.definition())
            let fixture = try ProcessFixture(importers: ["users": definition])
            let check = try fixture.ingest(["check"])
            #expect(check.status == 1)
            #expect((check.stdout + check.stderr).contains("'route' cannot be combined with \(words)"), "\(check.stdout)\(check.stderr)")
        }
    }
}

/// Reads a table's indexes from a fixture's database.
enum TargetTableProbe {
    static func hasUniqueIndex(_ fixture: ProcessFixture, _ table: String, on column: String) throws -> Bool {
        let indexes = try fixture.query("SELECT name FROM pragma_index_list('\(table)') WHERE \"unique\" = 1").compactMap(\.[0].textValue)
        for index in indexes where try fixture.query("SELECT name FROM pragma_index_info('\(index)')").compactMap(\.[0].textValue) == [column] {
            return true
        }
        return false
    }
}
