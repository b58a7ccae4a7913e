import Engine
import Foundation
import PostgresTestServer
import SQLite
import Testing

/// `ingest check` against the database on both stores, what PostgreSQL refuses, and passwords
/// in `postgres://` URLs, which no output may show (docs/POSTGRES.md).
@Suite("Both stores: check, refusals and passwords")
struct StoreCheckAndRefusalTests {
    static func items(table: String = "items", createTable: Bool = true) -> String {
        """
        {
          "name": "Items",
          "source": { "type": "upload", "formats": ["csv"] },
          "target": { "table": "\(table)", "key": ["sku"], "on_duplicate": "update", "create_table": \(createTable) },
          "columns": {
            "sku": { "from": "SKU", "rules": "required" },
            "name": { "from": "Name" },
            "price": { "from": "Price", "type": "decimal" },
            "category_id": { "from": "Category", "lookup": { "table": "categories", "match": "slug", "on_missing": "create" } }
          }
        }
        """
    }

    // MARK: - ingest check

    @Test("check on a good importer: the tables to create, then (after a run) the tables that match", arguments: Store.allCases)
    func checkGood(store: Store) throws {
        let f = try ProcessFixture(store, importers: ["items": Self.items()])
        let before = try f.ingest(["check"])
        #expect(before.status == 0, "\(before.stderr)")
        #expect(before.stdout.contains("ok     items (importers/items.json)"), "\(before.stdout)")
        #expect(before.stdout.contains("table 'items' will be created on the first run"), "\(before.stdout)")
        #expect(before.stdout.contains("lookup table 'categories' will be created on the first run"), "\(before.stdout)")
        try f.write("SKU,Name,Price,Category\nA,Lamp,1.5,tools\n", to: "items.csv")
        #expect(try f.ingest(["run", "items", "items.csv"]).status == 0)
        let after = try f.ingest(["check", "--json"])
        #expect(after.status == 0, "\(after.stderr)")
        let report = try #require(try JSONValue.parse(after.stdout).arrayValue?.first)
        #expect(report["ok"]?.boolValue == true)
        #expect(report["problems"]?.arrayValue?.isEmpty == true, "\(after.stdout)")
        #expect(report["notes"]?.arrayValue?.compactMap(\.stringValue) == ["table 'items' matches the columns"], "\(after.stdout)")
    }

    @Test("check on an existing table whose column type conflicts: the problem with the statement that fixes it", arguments: Store.allCases)
    func checkConflictingType(store: Store) throws {
        let f = try ProcessFixture(store, importers: ["items": Self.items()])
        try f.store().execute("CREATE TABLE items (id INTEGER PRIMARY KEY, sku TEXT NOT NULL UNIQUE, name TEXT, price TEXT, category_id INTEGER)")
        let check = try f.ingest(["check"])
        #expect(check.status == 1)
        #expect(check.stdout.contains("FAILED items (importers/items.json)"), "\(check.stdout)")
        switch store {
        case .sqlite:
            #expect(check.stderr.contains("The column 'price' of table 'items' is TEXT (TEXT affinity), but the importer writes decimal values as REAL"), "\(check.stderr)")
        case .postgres:
            #expect(check.stderr.contains("The column 'price' of table 'items' is text, but the importer writes decimal values (created as DOUBLE PRECISION on PostgreSQL)"), "\(check.stderr)")
            #expect(check.stderr.contains(#"ALTER TABLE "items" ALTER COLUMN "price" TYPE DOUBLE PRECISION USING "price"::DOUBLE PRECISION"#), "\(check.stderr)")
        }
        // A run fails on the same problem before any row.
        try f.write("SKU,Name,Price,Category\nA,Lamp,1.5,tools\n", to: "items.csv")
        let run = try f.runJSON(["run", "items", "items.csv"])
        #expect(run.run.status == "failed")
        #expect(run.run.failureReason.contains("The column 'price' of table 'items' is"), "\(run.run.failureReason)")
        #expect(try f.storeCount("items") == 0)
    }

    @Test("check on a missing table that the importer does not create", arguments: Store.allCases)
    func checkMissingTable(store: Store) throws {
        let f = try ProcessFixture(store, importers: ["items": Self.items(createTable: false)])
        let check = try f.ingest(["check"])
        #expect(check.status == 1)
        #expect(check.stderr.contains("items.json: The target table 'items' does not exist and the importer does not create it (target.create_table is false)."), "\(check.stderr)")
    }

    @Test("check on a key without a UNIQUE index, and on a lookup table without its columns", arguments: Store.allCases)
    func checkIndexAndLookupColumns(store: Store) throws {
        let f = try ProcessFixture(store, importers: ["items": Self.items()])
        let db = try f.store()
        try db.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, sku TEXT, name TEXT, price REAL, category_id INTEGER)")
        try db.execute("CREATE TABLE categories (id INTEGER PRIMARY KEY, name TEXT)")
        let check = try f.ingest(["check"])
        #expect(check.status == 1)
        #expect(check.stderr.contains("The target table 'items' has no UNIQUE index on (sku), which duplicate detection needs."), "\(check.stderr)")
        #expect(check.stderr.contains("The table 'categories' has no column 'slug', which the lookup of column 'category_id'"), "\(check.stderr)")
    }

    @Test("a column whose name differs only in case: SQLite finds it; PostgreSQL's quoted names do not, so check and run say so before any row",
          arguments: Store.allCases)
    func columnNameCase(store: Store) throws {
        let f = try ProcessFixture(store, importers: ["items": Self.items()])
        let db = try f.store()
        try db.execute(#"CREATE TABLE items (id INTEGER PRIMARY KEY, sku TEXT NOT NULL UNIQUE, "Name" TEXT, price REAL, category_id INTEGER)"#)
        try db.execute(#"CREATE TABLE categories (id INTEGER PRIMARY KEY, "Slug" TEXT NOT NULL UNIQUE)"#)
        try f.write("SKU,Name,Price,Category\nA,Lamp,1.5,tools\n", to: "items.csv")
        let check = try f.ingest(["check"])
        let run = try f.runJSON(["run", "items", "items.csv"])
        switch store {
        case .sqlite:
            #expect(check.status == 0, "\(check.stderr)")
            #expect(run.run.counts == [1, 0, 0, 0], "\(run.run.json)")
        case .postgres:
            let name = #"The column 'name' of table 'items' is named 'Name' in the database, and PostgreSQL's quoted names are case-sensitive, so the importer would not find it. Rename it (ALTER TABLE "items" RENAME COLUMN "Name" TO "name";) or write 'Name' in the definition."#
            let slug = #"The column 'slug' of table 'categories' is named 'Slug' in the database"#
            #expect(check.status == 1)
            #expect(check.stderr.contains(name), "\(check.stderr)")
            #expect(check.stderr.contains(slug), "\(check.stderr)")
            #expect(run.run.status == "failed")
            #expect(run.run.failureReason.contains(name), "\(run.run.failureReason)")
            #expect(try f.storeCount("items") == 0)
        }
    }

    @Test("check on reserved table names (pg_*, information_schema): refused as definition problems",
          arguments: Store.allCases, ["pg_items", "information_schema", "PG_Stats"])
    func checkReservedName(store: Store, table: String) throws {
        let f = try ProcessFixture(store, importers: ["items": Self.items(table: table)])
        let check = try f.ingest(["check"])
        #expect(check.status == 1)
        #expect(check.stderr.contains("/target/table"), "\(check.stderr)")
        #expect(check.stderr.contains("reserved for PostgreSQL's catalogs"), "\(check.stderr)")
    }

    // MARK: - Refused on PostgreSQL

    static let refused: [(feature: String, definition: String)] = [
        ("relate_many", RelateManyTests.definition()),
        ("target.route", RouteTests.definition()),
        ("target.without_rowid", """
            { "name": "Users", "source": { "formats": ["csv"] },
              "target": { "table": "users", "key": ["email"], "on_duplicate": "update", "without_rowid": true },
              "columns": { "name": { "from": "Name" }, "email": { "from": "Email", "rules": "required" } } }
            """),
    ]

    @Test("relate_many, target.route and target.without_rowid are refused on PostgreSQL by run and check, with the reason",
          arguments: ["relate_many", "target.route", "target.without_rowid"])
    func refusedOnPostgres(feature: String) throws {
        let definition = try #require(Self.refused.first { $0.feature == feature }?.definition)
        let f = try ProcessFixture(.postgres, importers: ["users": definition])
        try f.write("Name,Email,Role,name,email,role_slugs\nAda,ada@example.com,admin,Ada,ada@example.com,admin\n", to: "users.csv")
        let message = "The importer uses \(feature), which Ingest does not support on PostgreSQL yet. Remove it from the definition, or import into a SQLite database."
        let run = try f.ingest(["run", "users", "users.csv"])
        #expect(run.status == 1)
        #expect(run.stdout.contains("failed in"), "\(run.stdout)")
        #expect(run.stdout.contains("reason:   " + message), "\(run.stdout)")
        #expect(try !f.storeTableExists("users"), "nothing is written")
        let check = try f.ingest(["check"])
        #expect(check.status == 1)
        #expect(check.stderr.contains(message), "\(check.stderr)")
    }

    // MARK: - Passwords

    /// The forms a password may take in a URL: the two test secrets, as written and decoded.
    static let secrets = ["Sekr1tPw", "p%40ss-Hidden", "p@ss-Hidden"]

    /// `url` with the user's password set to `password` (as written in the URL); with
    /// `inQuery`, as its `password=` parameter instead.
    static func withPassword(_ url: String, _ password: String, inQuery: Bool = false) -> String {
        if inQuery { return url + (url.contains("?") ? "&" : "?") + "password=" + password }
        return url.replacingOccurrences(of: "://ingest@", with: "://ingest:\(password)@")
    }

    struct PasswordForm: Sendable, CustomTestStringConvertible {
        let password: String
        let inQuery: Bool
        var testDescription: String { inQuery ? "?password=\(password)" : "user:\(password)@" }
    }

    static let passwordForms = [PasswordForm(password: "Sekr1tPw", inQuery: false), PasswordForm(password: "p%40ss-Hidden", inQuery: false),
                                PasswordForm(password: "Sekr1tPw", inQuery: true)]

    static func expectNoSecret(_ texts: [String], _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for text in texts {
            for secret in secrets {
                #expect(!text.contains(secret), "\(what) shows the password: \(text.prefix(2000))", sourceLocation: sourceLocation)
            }
        }
    }

    /// Every file under `root` (names and contents), to search for the password.
    static func filesText(_ root: String) -> [String] {
        guard let paths = FileManager.default.subpaths(atPath: root) else { return [] }
        return paths.flatMap { path -> [String] in
            let contents = (try? Data(contentsOf: URL(fileURLWithPath: root + "/" + path))).map { String(decoding: $0, as: UTF8.self) } ?? ""
            return [path, contents]
        }
    }

    @Test("a password in the URL never shows: run, status, errors, check, token, serve's lines and logs, API answers, files",
          arguments: passwordForms)
    func passwordNeverShown(form: PasswordForm) throws {
        let url = Self.withPassword(try PostgresTestServer.freshDatabase(), form.password, inQuery: form.inQuery)
        let f = try ProcessFixture(importers: ["items": itemsDefinition()], database: url)
        try f.write(itemsCSV, to: "items.csv")
        var outputs: [String] = []
        for command in [["run", "items", "items.csv"], ["run", "items", "items.csv", "--json"], ["status", "1"], ["status", "1", "--json"],
                        ["runs"], ["errors", "1"], ["failed-rows", "1"], ["check"], ["check", "--json"], ["list"], ["resume", "1"],
                        ["retry", "1"], ["cancel", "1"], ["status", "99"]] {
            let result = try f.ingest(command)
            outputs += [result.stdout, result.stderr]
        }
        #expect(outputs.joined().contains("Row 3"), "the commands ran: \(outputs.joined().prefix(1000))")
        Self.expectNoSecret(outputs, "the CLI")

        let token = try ServerProcess.token(f)
        let server = try ServerProcess(f)
        #expect(server.process.stderr.contains("Database: postgres://ingest@127.0.0.1:"), "\(server.process.stderr)")
        let upload = try server.upload("items", csv: itemsCSV, token: token)
        let id = try #require(upload.data?.int("id"), "\(upload.text)")
        _ = try server.waitUntilFinished(id, token: token)
        var answers = [upload.text]
        for path in ["/", "/\(id)", "/\(id)/errors/summary", "/\(id)/failed-rows/download", "/\(id)/rows", "/importers", "/importers/items",
                     "/importers/items/check", "/999", "/health"] {
            answers.append(try server.get(path, token: token).text)
        }
        answers.append(try server.post("/\(id)/retry", token: token).text)
        answers.append(try server.post("/\(id)/cancel", token: token).text)
        try server.process.terminate()
        Self.expectNoSecret(answers, "the API")
        Self.expectNoSecret([server.process.stdout, server.process.stderr], "serve's output and log")
        Self.expectNoSecret(Self.filesText(f.root), "the files beside the database")
    }

    @Test("a server that cannot be reached: run, check, token and serve say so without the password", arguments: passwordForms)
    func passwordNotShownOnConnectionFailure(form: PasswordForm) throws {
        // Port 1 on loopback: nothing listens there, so libpq's connection fails at once.
        let url = Self.withPassword("postgres://ingest@127.0.0.1:1/nowhere?connect_timeout=2", form.password, inQuery: form.inQuery)
        let f = try ProcessFixture(importers: ["items": itemsDefinition()], database: url)
        try f.write(itemsCSV, to: "items.csv")
        var outputs: [String] = []
        for command in [["run", "items", "items.csv"], ["run", "items", "items.csv", "--json"], ["check"], ["status", "1"], ["serve", "--port", "0"]] {
            let result = try f.ingest(command, timeout: .seconds(60))
            #expect(result.status != 0, "ingest \(command[0]) fails")
            #expect(result.stderr.contains("postgres://ingest@127.0.0.1:1/nowhere"), "ingest \(command[0]) names the server: \(result.stderr)")
            outputs += [result.stdout, result.stderr]
        }
        Self.expectNoSecret(outputs, "a connection failure")
        let token = try IngestProcess(["token", "create", "--name", "t", "--user-id", "1", "--database", url], in: f.root)
        #expect(try token.wait() != 0)
        #expect(token.stderr.contains("postgres://ingest@127.0.0.1:1/nowhere"), "\(token.stderr)")
        Self.expectNoSecret([token.stdout, token.stderr], "token create")
    }

    @Test("a URL libpq cannot parse, with a password: the error says so without the password")
    func passwordNotShownForUnparsableURL() throws {
        let url = "postgres://ingest:Sekr1tPw@[::1/nowhere"
        let f = try ProcessFixture(importers: ["items": itemsDefinition()], database: url)
        try f.write(itemsCSV, to: "items.csv")
        for command in [["run", "items", "items.csv"], ["check"], ["serve", "--port", "0"]] {
            let result = try f.ingest(command, timeout: .seconds(60))
            #expect(result.status != 0)
            #expect(result.stderr.contains("cannot connect to postgres://(unparsable connection string)"), "\(result.stderr)")
            Self.expectNoSecret([result.stdout, result.stderr], "ingest \(command[0])")
        }
    }
}
