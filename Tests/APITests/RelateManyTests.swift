import Engine
import Foundation
import SQLite
import Testing

/// Issue 13, item 1: `relate_many` (Laravel Ingest's `relateMany`). The tests carry the names of
/// the peer's RowProcessorBelongsToManyTest cases, each written as an Ingest definition and run
/// on real files into real SQLite databases twice: through `ingest run`, and through an upload
/// to `ingest serve` over a loopback socket. The databases are inspected afterwards.
@Suite("Many-to-many relations (relate_many)")
struct RelateManyTests {
    /// What one way of running left behind: the run as JSON and the database it wrote.
    struct Outcome {
        let via: String
        let run: JSONValue
        let fixture: ProcessFixture
        var status: String { run.string("status") ?? "" }
        var failed: Int64 { run["progress"]?.int("failed") ?? -1 }
        /// `summary.meta.relations`: attached, detached, created.
        var relations: [Int64] {
            let r = run["summary"]?["meta"]?["relations"]
            return ["attached", "detached", "created"].map { r?.int($0) ?? -1 }
        }
        /// The role slugs of a user, sorted, read from the pivot.
        func roles(_ email: String) throws -> [String] {
            try fixture.query("""
                SELECT r.slug FROM role_user p JOIN users u ON u.rowid = p.user_id JOIN roles r ON r.id = p.role_id
                WHERE u.email = '\(email)' ORDER BY r.slug
                """).compactMap(\.[0].textValue)
        }
        func users() throws -> [String] {
            guard try fixture.count("users") > 0 else { return [] }
            return try fixture.query("SELECT email FROM users ORDER BY email").compactMap(\.[0].textValue)
        }
    }

    /// Users keyed by email whose `role_slugs` cell relates them to `roles` by slug.
    static func definition(onMissing: String = "fail", mode: String = "sync", transaction: String = "none",
                           from: String = "role_slugs", extra: String = "") -> String {
        """
        { "name": "Users", "source": { "formats": ["csv", "json"] }, "transaction": "\(transaction)",
          "target": { "table": "users", "key": ["email"], "on_duplicate": "update" },
          "columns": {
            "name": { "from": "name" }, "email": { "from": "email", "rules": "required" },
            "roles": { "from": "\(from)", "relate_many": { "table": "role_user", "parent_column": "user_id",
              "related": { "table": "roles", "match": "slug", "select": "id", "on_missing": "\(onMissing)" },
              "related_column": "role_id", "separator": ",", "mode": "\(mode)"\(extra) } } } }
        """
    }

    /// A database with `roles` holding `slugs` (and, with `pivot`, an empty pivot made by hand).
    static func seed(_ f: ProcessFixture, slugs: [String]) throws {
        let db = try Connection(path: f.database)
        try db.execute("CREATE TABLE roles (id INTEGER PRIMARY KEY, name TEXT, slug TEXT NOT NULL UNIQUE)")
        for s in slugs { _ = try db.execute("INSERT INTO roles (name, slug) VALUES (?, ?)", [.text(s.capitalized), .text(s)]) }
    }

    /// Imports `files` (name, content) in turn with `ingest run` and, into a second database,
    /// with API uploads; returns both outcomes of the last file.
    static func both(_ definition: String, _ files: [(String, String)], slugs: [String] = ["admin", "editor"],
                     dryRun: Bool = false, prepare: (ProcessFixture) throws -> Void = { _ in }) throws -> [Outcome] {
        let cli = try ProcessFixture(importers: ["users": definition])
        try seed(cli, slugs: slugs)
        try prepare(cli)
        var last: JSONValue?
        for (i, (name, content)) in files.enumerated() {
            try cli.write(content, to: "in\(i)/\(name)")
            let result = try cli.ingest(["run", "users", cli.root + "/in\(i)/\(name)", "--json"] + (dryRun ? ["--dry-run"] : []))
            last = try JSONRun(result.stdout).json
        }
        var outcomes = [Outcome(via: "ingest run", run: try #require(last), fixture: cli)]

        let api = try ProcessFixture(importers: ["users": definition])
        try seed(api, slugs: slugs)
        try prepare(api)
        let token = try ServerProcess.token(api)
        let server = try ServerProcess(api)
        var finished: JSONValue?
        for (name, content) in files {
            var form = MultipartBody()
            form.file("file", filename: name, contentType: name.hasSuffix(".json") ? "application/json" : "text/csv", content: Array(content.utf8))
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

    static func csv(_ rows: String) -> [(String, String)] { [("users.csv", "name,email,role_slugs\n" + rows)] }

    // MARK: - RowProcessorBelongsToManyTest

    @Test("adds relateMany configuration")
    func addsConfiguration() throws {
        let fixture = try ProcessFixture(importers: ["users": Self.definition(mode: "sync_without_detaching")])
        try Self.seed(fixture, slugs: ["admin"])
        let check = try fixture.ingest(["check", "--json"])
        #expect(check.status == 0, "\(check.stdout) \(check.stderr)")
        #expect(check.stdout.contains("pivot table 'role_user' will be created on the first run"))
    }

    @Test("throws exception when relating to non-model class")
    func relatingToNonTable() throws {
        // Ingest's counterpart of a non-model class: a related table that is no table a
        // definition may name (reserved), or one the database lacks.
        let reserved = Self.definition().replacingOccurrences(of: #""table": "roles""#, with: #""table": "sqlite_master""#)
        let fixture = try ProcessFixture(importers: ["users": reserved])
        let check = try fixture.ingest(["check"])
        #expect(check.status == 1)
        #expect((check.stdout + check.stderr).contains("/columns/roles/relate_many/related/table"))
        #expect((check.stdout + check.stderr).contains("reserved"))

        let pivot = Self.definition().replacingOccurrences(of: #""table": "role_user""#, with: #""table": "ingest_pivot""#)
        let second = try ProcessFixture(importers: ["users": pivot])
        let checked = try second.ingest(["check"])
        #expect(checked.status == 1)
        #expect((checked.stdout + checked.stderr).contains("/columns/roles/relate_many/table"))

        let absent = try ProcessFixture(importers: ["users": Self.definition()])
        let missing = try absent.ingest(["check"])
        #expect(missing.status == 1)
        #expect((missing.stdout + missing.stderr).contains("The related table 'roles' of column 'roles' does not exist."), "\(missing.stdout)\(missing.stderr)")
    }

    @Test("can set compare timestamp configuration")
    func compareTimestamp() throws {
        // The peer's compareTimestamp is Ingest's `newer_by`; a relate_many list cannot be it.
        let bad = Self.definition().replacingOccurrences(of: #""on_duplicate": "update""#, with: #""on_duplicate": "update_if_newer", "newer_by": "roles""#)
        let fixture = try ProcessFixture(importers: ["users": bad])
        let check = try fixture.ingest(["check"])
        #expect(check.status == 1)
        #expect((check.stdout + check.stderr).contains("cannot be target.newer_by"), "\(check.stdout)\(check.stderr)")
    }

    @Test("defaults db column to updated_at")
    func defaultsNewerBy() throws {
        // Ingest has no implicit updated_at: update_if_newer without newer_by is a definition error.
        let bad = Self.definition().replacingOccurrences(of: #""on_duplicate": "update""#, with: #""on_duplicate": "update_if_newer""#)
        let fixture = try ProcessFixture(importers: ["users": bad])
        let check = try fixture.ingest(["check"])
        #expect(check.status == 1)
        #expect((check.stdout + check.stderr).contains("newer_by"))
    }

    @Test("has UPDATE_IF_NEWER duplicate strategy")
    func updateIfNewerWithRelations() throws {
        let definition = """
            { "name": "Users", "source": { "formats": ["csv"] },
              "target": { "table": "users", "key": ["email"], "on_duplicate": "update_if_newer", "newer_by": "changed" },
              "columns": { "email": { "from": "email" }, "changed": { "from": "changed", "type": "date" },
                "roles": { "from": "role_slugs", "relate_many": { "table": "role_user", "parent_column": "user_id",
                  "related": { "table": "roles", "match": "slug" }, "related_column": "role_id" } } } }
            """
        let files = [("a.csv", "email,changed,role_slugs\nj@x.test,2024-01-02,admin\n"),
                     ("b.csv", "email,changed,role_slugs\nj@x.test,2024-01-01,editor\n"),
                     ("c.csv", "email,changed,role_slugs\nj@x.test,2024-01-03,editor\n")]
        let cli = try ProcessFixture(importers: ["users": definition])
        try Self.seed(cli, slugs: ["admin", "editor"])
        var seen: [[String]] = []
        for (i, (name, content)) in files.enumerated() {
            try cli.write(content, to: "in\(i)/\(name)")
            let run = try cli.ingest(["run", "users", cli.root + "/in\(i)/\(name)", "--json"])
            #expect(run.status == 0, "\(run.stdout)")
            seen.append(try Outcome(via: "cli", run: .null, fixture: cli).roles("j@x.test"))
        }
        // An older row is skipped with its relations; a newer one syncs them.
        #expect(seen == [["admin"], ["admin"], ["editor"]])
    }

    @Test("syncs many-to-many relations from comma separated values")
    func syncsFromCommaSeparated() throws {
        for o in try Self.both(Self.definition(), Self.csv("John,john@test.com,\"admin,editor\"\n")) {
            #expect(o.status == "completed", "\(o.via): \(o.run)")
            #expect(try o.roles("john@test.com") == ["admin", "editor"], "\(o.via)")
            #expect(o.relations == [2, 0, 0], "\(o.via)")
        }
    }

    @Test("skips many relation sync when source field is missing")
    func missingSourceField() throws {
        for o in try Self.both(Self.definition(), [("users.csv", "name,email\nJohn,john@test.com\n")]) {
            #expect(o.status == "completed", "\(o.via): \(o.run)")
            #expect(try o.users() == ["john@test.com"], "\(o.via)")
            #expect(try o.roles("john@test.com") == [], "\(o.via)")
        }
    }

    @Test("skips many relation sync when value is empty")
    func emptyValue() throws {
        for o in try Self.both(Self.definition(), Self.csv("John,john@test.com,\n")) {
            #expect(o.status == "completed", "\(o.via): \(o.run)")
            #expect(try o.roles("john@test.com") == [], "\(o.via)")
        }
    }

    @Test("skips many relation sync when separator results in empty values")
    func onlySeparators() throws {
        for o in try Self.both(Self.definition(), Self.csv("John,john@test.com,\",  ,  \"\n")) {
            #expect(o.status == "completed", "\(o.via): \(o.run)")
            #expect(try o.users() == ["john@test.com"], "\(o.via)")
            #expect(try o.roles("john@test.com") == [], "\(o.via)")
        }
    }

    @Test("handles many relation sync with nested source field")
    func nestedSourceField() throws {
        let json = #"[{"name": "John", "email": "john@test.com", "meta": {"roles": "admin"}}]"#
        for o in try Self.both(Self.definition(from: "meta.roles"), [("users.json", json)]) {
            #expect(o.status == "completed", "\(o.via): \(o.run)")
            #expect(try o.roles("john@test.com") == ["admin"], "\(o.via)")
        }
    }

    @Test("prefetches many relations and uses cache")
    func prefetchesAndCaches() throws {
        for o in try Self.both(Self.definition(), Self.csv("John,john@test.com,\"admin,editor\"\nJane,jane@test.com,admin\n")) {
            #expect(o.status == "completed", "\(o.via): \(o.run)")
            #expect(try o.roles("john@test.com") == ["admin", "editor"], "\(o.via)")
            #expect(try o.roles("jane@test.com") == ["admin"], "\(o.via)")
            #expect(o.relations == [3, 0, 0], "\(o.via)")
        }
    }

    @Test("handles empty many relation cache gracefully")
    func emptyCache() throws {
        // The peer drops unknown values; that is `on_missing: skip`.
        for o in try Self.both(Self.definition(onMissing: "skip"), Self.csv("John,john@test.com,nonexistent\n"), slugs: []) {
            #expect(o.status == "completed", "\(o.via): \(o.run)")
            #expect(try o.users() == ["john@test.com"], "\(o.via)")
            #expect(try o.roles("john@test.com") == [], "\(o.via)")
        }
    }

    @Test("skips prefetching many relations when no data present")
    func noDataPresent() throws {
        for o in try Self.both(Self.definition(), [("users.csv", "name,email\nJohn,john@test.com\n")]) {
            #expect(o.status == "completed", "\(o.via): \(o.run)")
            #expect(try o.users() == ["john@test.com"], "\(o.via)")
        }
    }

    @Test("skips prefetching many relations when all values are empty after splitting")
    func allEmptyAfterSplitting() throws {
        for o in try Self.both(Self.definition(), Self.csv("John,john@test.com,\",,\"\nJane,jane@test.com,\",\"\n")) {
            #expect(o.status == "completed", "\(o.via): \(o.run)")
            #expect(o.run["progress"]?.int("successful") == 2, "\(o.via)")
            #expect(try o.users() == ["jane@test.com", "john@test.com"], "\(o.via)")
            #expect(try o.roles("john@test.com") == [] && o.roles("jane@test.com") == [], "\(o.via)")
        }
    }
}

/// Ingest's own relate_many cases: modes, on_missing, dry runs, transactions and `check`.
extension RelateManyTests {
    static let twoFiles = csv("John,john@test.com,\"admin,editor\"\n") + [("again.csv", "name,email,role_slugs\nJohn,john@test.com,editor\n")]

    @Test("sync detaches the pairs the list no longer names")
    func syncDetaches() throws {
        for o in try Self.both(Self.definition(mode: "sync"), Self.twoFiles) {
            #expect(o.status == "completed", "\(o.via): \(o.run)")
            #expect(try o.roles("john@test.com") == ["editor"], "\(o.via)")
            #expect(o.relations == [0, 1, 0], "\(o.via)")
        }
    }

    @Test("sync_without_detaching keeps the pairs already there")
    func withoutDetachingKeeps() throws {
        for o in try Self.both(Self.definition(mode: "sync_without_detaching"), Self.twoFiles) {
            #expect(o.status == "completed", "\(o.via): \(o.run)")
            #expect(try o.roles("john@test.com") == ["admin", "editor"], "\(o.via)")
            #expect(o.relations == [0, 0, 0], "\(o.via)")
        }
    }

    @Test("on_missing create inserts the unknown values into the related table")
    func createMissing() throws {
        let rows = "John,john@test.com,\"admin, vip ,vip\"\nJane,jane@test.com,vip|x\n"
        for o in try Self.both(Self.definition(onMissing: "create"), Self.csv(rows)) {
            #expect(o.status == "completed", "\(o.via): \(o.run)")
            #expect(try o.roles("john@test.com") == ["admin", "vip"], "\(o.via)")
            #expect(try o.roles("jane@test.com") == ["vip|x"], "\(o.via)")
            #expect(try o.fixture.count("roles") == 4, "\(o.via)")
            #expect(o.relations == [3, 0, 2], "\(o.via)")
        }
    }

    @Test("an INTEGER match column finds the cell's values (read back as text, as the cells are)")
    func integerMatch() throws {
        let definition = Self.definition().replacingOccurrences(of: #""match": "slug""#, with: #""match": "code""#)
        let outcomes = try Self.both(definition, Self.csv("John,john@test.com,\"5, 7\"\n")) { f in
            let db = try Connection(path: f.database)
            try db.execute("ALTER TABLE roles ADD COLUMN code INTEGER")
            _ = try db.execute("UPDATE roles SET code = CASE slug WHEN 'admin' THEN 5 ELSE 7 END", [])
        }
        for o in outcomes {
            #expect(o.status == "completed", "\(o.via): \(o.run)")
            #expect(try o.roles("john@test.com") == ["admin", "editor"], "\(o.via)")
            #expect(o.relations == [2, 0, 0], "\(o.via)")
        }
    }

    @Test("on_missing skip drops the unknown values and keeps the rest")
    func skipMissing() throws {
        for o in try Self.both(Self.definition(onMissing: "skip"), Self.csv("John,john@test.com,\"admin,ghost\"\n")) {
            #expect(o.status == "completed", "\(o.via): \(o.run)")
            #expect(try o.roles("john@test.com") == ["admin"], "\(o.via)")
            #expect(try o.fixture.count("roles") == 2, "\(o.via)")
        }
    }

    @Test("on_missing fail fails the row naming the values")
    func failMissing() throws {
        let rows = "John,john@test.com,\"admin,ghost,phantom\"\nJane,jane@test.com,editor\n"
        for o in try Self.both(Self.definition(onMissing: "fail"), Self.csv(rows)) {
            #expect(o.status == "completed_with_errors", "\(o.via): \(o.run)")
            #expect(o.failed == 1, "\(o.via)")
            let errors = o.run["summary"]?["errors"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(errors.contains { $0.contains("No roles found where slug = any of 'ghost', 'phantom'.") }, "\(o.via): \(errors)")
            #expect(try o.users() == ["jane@test.com"], "\(o.via)")
            #expect(try o.fixture.count("role_user") == 1, "\(o.via)")
        }
    }

    @Test("a dry run judges unknown values truthfully and writes nothing")
    func dryRun() throws {
        let rows = "John,john@test.com,\"admin,editor\"\nJane,jane@test.com,ghost\n"
        for o in try Self.both(Self.definition(onMissing: "fail"), Self.csv(rows), dryRun: true) {
            #expect(o.status == "completed_with_errors", "\(o.via): \(o.run)")
            #expect(o.failed == 1, "\(o.via)")
            #expect(o.relations == [2, 0, 0], "\(o.via): what a real run would attach")
            #expect(try o.users() == [], "\(o.via)")
            #expect(try o.fixture.count("role_user") == 0, "\(o.via)")
        }
        for o in try Self.both(Self.definition(onMissing: "create"), Self.csv("John,john@test.com,\"admin,new\"\n"), dryRun: true) {
            #expect(o.status == "completed", "\(o.via): \(o.run)")
            #expect(o.relations == [2, 0, 1], "\(o.via)")
            #expect(try o.fixture.count("roles") == 2, "\(o.via): the created role is rolled back")
        }
    }

    @Test("the pivot is written in the same transaction as its row", arguments: ["row", "chunk"])
    func sameTransaction(mode: String) throws {
        // The pivot refuses editor (id 2): Bob's row and his first pairs are written, then his
        // editor pair fails, and the row fails with everything it wrote (the created role too).
        let pivot = { (f: ProcessFixture) throws in
            let db = try Connection(path: f.database)
            try db.execute("CREATE TABLE role_user (user_id INTEGER NOT NULL, role_id INTEGER NOT NULL CHECK (role_id <> 2))")
            try db.execute("CREATE UNIQUE INDEX role_user_pair ON role_user (user_id, role_id)")
        }
        let rows = "Ann,ann@test.com,admin\nBob,bob@test.com,\"admin,brand-new,editor\"\n"
        for o in try Self.both(Self.definition(onMissing: "create", transaction: mode), Self.csv(rows), prepare: pivot) {
            #expect(o.failed == 1, "\(o.via) \(mode): \(o.run)")
            #expect(try o.users() == (mode == "row" ? ["ann@test.com"] : []), "\(o.via) \(mode)")
            #expect(try o.fixture.count("role_user") == (mode == "row" ? 1 : 0), "\(o.via) \(mode)")
            #expect(try o.fixture.scalar("SELECT COUNT(*) FROM roles WHERE slug = 'brand-new'") == 0, "\(o.via) \(mode)")
        }
    }

    @Test("check verifies the pivot table, its columns and its unique index")
    func checkVerifiesPivot() throws {
        let fixture = try ProcessFixture(importers: ["users": Self.definition()])
        try Self.seed(fixture, slugs: ["admin"])
        let db = try Connection(path: fixture.database)
        try db.execute("CREATE TABLE role_user (user_id INTEGER NOT NULL, role_id INTEGER NOT NULL)")
        let noIndex = try fixture.ingest(["check"])
        #expect(noIndex.status == 1)
        #expect((noIndex.stdout + noIndex.stderr).contains(#"CREATE UNIQUE INDEX "role_user_user_id_role_id_unique" ON "role_user" ("user_id", "role_id");"#), "\(noIndex.stdout)\(noIndex.stderr)")
        try db.execute(#"CREATE UNIQUE INDEX "role_user_user_id_role_id_unique" ON "role_user" ("user_id", "role_id")"#)
        let fine = try fixture.ingest(["check"])
        #expect(fine.status == 0, "\(fine.stdout)")
        try db.execute("DROP TABLE role_user")
        try db.execute("CREATE TABLE role_user (user_id INTEGER NOT NULL, tag INTEGER)")
        let noColumn = try fixture.ingest(["check"])
        #expect(noColumn.status == 1)
        #expect((noColumn.stdout + noColumn.stderr).contains("The table 'role_user' has no column 'role_id'"), "\(noColumn.stdout)\(noColumn.stderr)")

        let absent = try ProcessFixture(importers: ["users": Self.definition().replacingOccurrences(of: #""key": ["email"]"#, with: #""key": ["email"], "create_table": false"#)])
        try Self.seed(absent, slugs: ["admin"])
        let refused = try absent.ingest(["check"])
        #expect(refused.status == 1)
        #expect((refused.stdout + refused.stderr).contains(#"Create it: CREATE TABLE "role_user" ("user_id" INTEGER NOT NULL, "role_id" INTEGER NOT NULL);"#), "\(refused.stdout)\(refused.stderr)")
    }
}
