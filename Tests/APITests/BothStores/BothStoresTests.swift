import Engine
import Foundation
import SQLite
import Testing

/// The engine's behaviour on both stores (docs/POSTGRES.md): every case drives the real `ingest`
/// binary on a fresh SQLite file and on a fresh PostgreSQL database, and expects the same
/// observable result (the documented differences are asserted as documented).
@Suite("Both stores: the engine's matrix")
struct BothStoresTests {
    // MARK: - Column types

    static let typed = """
        {
          "name": "Typed",
          "source": { "type": "upload", "formats": ["csv"] },
          "target": { "table": "typed", "key": ["code"], "on_duplicate": "update" },
          "columns": {
            "code": { "from": "Code", "rules": "required" },
            "label": { "from": "Label" },
            "qty": { "from": "Qty", "type": "integer" },
            "price": { "from": "Price", "type": "decimal" },
            "active": { "from": "Active", "type": "boolean" },
            "born": { "from": "Born", "type": "date" },
            "seen": { "from": "Seen", "type": "datetime" },
            "meta": { "from": "Meta", "type": "json" },
            "raw": { "from": "Meta", "type": "json", "sql_type": "JSON" }
          }
        }
        """

    static let typedCSV = #"""
        Code,Label,Qty,Price,Active,Born,Seen,Meta
        A,Desk lamp,3,12.50,true,2026-03-15,2026-03-15 09:30:00,"{""b"":[true,null],""a"":1.50}"
        B,0042,-7,3,false,1999-12-31,2026-03-15T09:30:00+02:00,"""x"""
        C,,,,,,,

        """#

    @Test("column types: text, integer, decimal, boolean, date, datetime and json read back the same values (JSONB in its documented form)", arguments: Store.allCases)
    func columnTypes(store: Store) throws {
        let f = try ProcessFixture(store, importers: ["typed": Self.typed])
        try f.write(Self.typedCSV, to: "typed.csv")
        let result = try f.runJSON(["run", "typed", "typed.csv"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.run.counts == [3, 0, 0, 0])
        let rows = try f.rows("SELECT code, label, qty, price, active, born, seen, meta, raw FROM typed ORDER BY code")
        // JSON: SQLite keeps the compact text as read; PostgreSQL's JSONB gives its own normal form
        // (keys ordered by length then bytes, a space after ':' and ','), docs/POSTGRES.md.
        let meta: Value = store == .sqlite ? .text(#"{"b":[true,null],"a":1.50}"#) : .text(#"{"a": 1.50, "b": [true, null]}"#)
        #expect(rows == [
            [.text("A"), .text("Desk lamp"), .integer(3), .real(12.5), .integer(1), .text("2026-03-15"), .text("2026-03-15T09:30:00"), meta,
             .text(#"{"b":[true,null],"a":1.50}"#)],
            [.text("B"), .text("0042"), .integer(-7), .real(3), .integer(0), .text("1999-12-31"), .text("2026-03-15T07:30:00"), .text(#""x""#), .text(#""x""#)],
            [.text("C"), .null, .null, .null, .null, .null, .null, .null, .null],
        ])
        let types = try f.rows(store == .sqlite
            ? "SELECT name, type FROM pragma_table_info('typed') ORDER BY cid"
            : "SELECT column_name::text, data_type::text FROM information_schema.columns WHERE table_name = 'typed' ORDER BY ordinal_position")
        let expected = store == .sqlite
            ? ["id INTEGER", "code TEXT", "label TEXT", "qty INTEGER", "price REAL", "active INTEGER", "born TEXT", "seen TEXT", "meta TEXT", "raw JSON"]
            : ["id bigint", "code text", "label text", "qty bigint", "price double precision", "active bigint", "born text", "seen text", "meta jsonb", "raw json"]
        #expect(types.map { "\($0[0].textValue ?? "") \($0[1].textValue ?? "")" } == expected)
    }

    // MARK: - Rules

    @Test("rules fail the same rows with the same messages; the failed-rows CSV and the error summary agree", arguments: Store.allCases)
    func rules(store: Store) throws {
        let f = try ProcessFixture(store, importers: ["items": itemsDefinition()])
        try f.write(itemsCSV, to: "items.csv")
        let result = try f.runJSON(["run", "items", "items.csv"])
        #expect(result.run.status == "completed_with_errors", "\(result.stderr)")
        #expect(result.run.counts == [3, 0, 0, 2])
        #expect(try f.rows("SELECT sku, name, price FROM items ORDER BY sku") == [
            [.text("A-1"), .text("Desk lamp"), .real(12.5)],
            [.text("A-3"), .text("Chair"), .real(45)],
            [.text("A-5"), .text("Shelf"), .real(20)],
        ])
        let csv = try f.ingest(["failed-rows", "1"])
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(csv.stdout == """
            SKU,Name,Price,_error_message,_row_number\r
            A-2,X,3.00,The name field must be at least 2 characters.,3\r
            A-4,Table,-1,The price field must be at least 0.,5\r

            """)
        let errors = try f.ingest(["errors", "1", "--json"])
        #expect(errors.status == 0, "\(errors.stderr)")
        let summary = try JSONValue.parse(errors.stdout)
        #expect(summary["total_failed_rows"]?.intValue == 2, "\(errors.stdout)")
    }

    // MARK: - Duplicate strategies

    static func duplicates(_ strategy: String) -> String {
        """
        {
          "name": "Items",
          "source": { "type": "upload", "formats": ["csv"] },
          "target": { "table": "items", "key": ["sku"], "on_duplicate": "\(strategy)"\(strategy == "update_if_newer" ? #", "newer_by": "updated""# : "") },
          "columns": {
            "sku": { "from": "SKU", "rules": "required" },
            "name": { "from": "Name" },
            "price": { "from": "Price", "type": "decimal" },
            "updated": { "from": "Updated", "type": "datetime" }
          }
        }
        """
    }

    static let seedCSV = """
        SKU,Name,Price,Updated
        A,Lamp,10,2026-01-01T00:00:00
        B,Desk,20,2026-01-01T00:00:00
        C,Chair,30,

        """

    /// A newer A without a price, an older B, a C whose stored date is empty, a new D, and D again (newer).
    static let changesCSV = """
        SKU,Name,Price,Updated
        A,Lamp 2,,2026-02-01T00:00:00
        B,Desk 2,21,2025-12-01T00:00:00
        C,Chair 2,31,2026-01-01T00:00:00
        D,Shelf,40,2026-01-01T00:00:00
        D,Shelf 2,41,2026-03-01T00:00:00

        """

    struct DuplicateCase: Sendable, CustomTestStringConvertible {
        let strategy: String
        /// created, updated, skipped, failed of the second import.
        let counts: [Int64]
        /// name and price of A, B, C, D afterwards.
        let table: [String]
        var testDescription: String { strategy }
    }

    static let duplicateCases: [DuplicateCase] = [
        DuplicateCase(strategy: "skip", counts: [1, 0, 4, 0], table: ["A Lamp 10.0", "B Desk 20.0", "C Chair 30.0", "D Shelf 40.0"]),
        DuplicateCase(strategy: "update", counts: [1, 4, 0, 0], table: ["A Lamp 2 null", "B Desk 2 21.0", "C Chair 2 31.0", "D Shelf 2 41.0"]),
        DuplicateCase(strategy: "upsert", counts: [1, 4, 0, 0], table: ["A Lamp 2 10.0", "B Desk 2 21.0", "C Chair 2 31.0", "D Shelf 2 41.0"]),
        DuplicateCase(strategy: "fail", counts: [1, 0, 0, 4], table: ["A Lamp 10.0", "B Desk 20.0", "C Chair 30.0", "D Shelf 40.0"]),
        DuplicateCase(strategy: "update_if_newer", counts: [1, 3, 1, 0], table: ["A Lamp 2 null", "B Desk 20.0", "C Chair 2 31.0", "D Shelf 2 41.0"]),
    ]

    @Test("duplicate strategies give exact created/updated/skipped counts and the same table", arguments: Store.allCases, duplicateCases)
    func duplicateStrategies(store: Store, expected: DuplicateCase) throws {
        let f = try ProcessFixture(store, importers: ["items": Self.duplicates(expected.strategy)])
        try f.write(Self.seedCSV, to: "seed.csv")
        try f.write(Self.changesCSV, to: "changes.csv")
        let seed = try f.runJSON(["run", "items", "seed.csv"])
        #expect(seed.run.counts == [3, 0, 0, 0], "\(seed.stderr)")
        let second = try f.runJSON(["run", "items", "changes.csv"])
        #expect(second.run.counts == expected.counts, "\(second.stderr)")
        #expect(try Self.describe(f.rows("SELECT sku, name, price FROM items ORDER BY sku")) == expected.table)
        if expected.strategy == "fail" {
            let csv = try f.ingest(["failed-rows", "2"])
            #expect(csv.stdout.components(separatedBy: "Duplicate entry found for key 'sku'.").count == 5, "\(csv.stdout)")
        }
    }

    static func describe(_ rows: [[Value]]) -> [String] {
        rows.map { row in
            row.map { value -> String in
                switch value {
                case .null: "null"
                case .integer(let i): String(i)
                case .real(let r): String(r)
                case .text(let t): t
                default: "\(value)"
                }
            }.joined(separator: " ")
        }
    }

    // MARK: - Transaction modes

    static func transactional(_ mode: String) -> String {
        """
        {
          "name": "Items",
          "source": { "type": "upload", "formats": ["csv"] },
          "target": { "table": "items", "key": ["sku"], "on_duplicate": "fail" },
          "transaction": "\(mode)",
          "chunk_size": 2,
          "columns": {
            "sku": { "from": "SKU", "rules": "required" },
            "name": { "from": "Name", "rules": "required|min:2" },
            "category_id": { "from": "Category", "lookup": { "table": "categories", "match": "slug", "on_missing": "create" } }
          }
        }
        """
    }

    /// Row 4 fails a rule; row 6 repeats row 1's key with a new category (a write-time failure).
    static let transactionCSV = """
        SKU,Name,Category
        S-1,Lamp,lights
        S-2,Desk,tables
        S-3,Chair,seats
        S-4,X,broken
        S-5,Shelf,tables
        S-1,Lamp again,dupes
        S-7,Stool,seats

        """

    struct TransactionCase: Sendable, CustomTestStringConvertible {
        let mode: String
        let status: String
        /// created, updated, skipped, failed.
        let counts: [Int64]
        let items: [String]
        let categories: [String]
        var testDescription: String { mode }
    }

    static let transactionCases: [TransactionCase] = [
        TransactionCase(mode: "none", status: "completed_with_errors", counts: [5, 0, 0, 2],
                        items: ["S-1", "S-2", "S-3", "S-5", "S-7"], categories: ["lights", "tables", "seats", "dupes"]),
        TransactionCase(mode: "row", status: "completed_with_errors", counts: [5, 0, 0, 2],
                        items: ["S-1", "S-2", "S-3", "S-5", "S-7"], categories: ["lights", "tables", "seats"]),
        TransactionCase(mode: "chunk", status: "failed", counts: [2, 0, 0, 2],
                        items: ["S-1", "S-2"], categories: ["lights", "tables"]),
        TransactionCase(mode: "all", status: "failed", counts: [0, 0, 0, 2], items: [], categories: []),
    ]

    @Test("transaction modes with failing rows: the same status, counts, rows and lookup values kept", arguments: Store.allCases, transactionCases)
    func transactionModes(store: Store, expected: TransactionCase) throws {
        let f = try ProcessFixture(store, importers: ["items": Self.transactional(expected.mode)])
        try f.write(Self.transactionCSV, to: "items.csv")
        let result = try f.runJSON(["run", "items", "items.csv"])
        #expect(result.run.status == expected.status, "\(result.stderr)")
        #expect(result.run.counts == expected.counts, "\(result.run.json)")
        let items = try f.storeTableExists("items") ? try f.rows("SELECT sku FROM items ORDER BY sku").compactMap { $0[0].textValue } : []
        #expect(items == expected.items)
        let categories = try f.storeTableExists("categories") ? try f.rows("SELECT slug FROM categories ORDER BY id").compactMap { $0[0].textValue } : []
        #expect(categories == expected.categories)
        let csv = try f.ingest(["failed-rows", "1"])
        #expect(csv.stdout.contains("S-4,X,broken,The name field must be at least 2 characters.,5"), "\(csv.stdout)")
        #expect(csv.stdout.contains("S-1,Lamp again,dupes,Duplicate entry found for key 'sku'.,7"), "\(csv.stdout)")
    }

    // MARK: - Dry run

    @Test("a dry run writes nothing (no table, no lookup value) and its counters say what a real run would do", arguments: Store.allCases)
    func dryRun(store: Store) throws {
        let f = try ProcessFixture(store, importers: ["items": Self.transactional("none")])
        try f.write(Self.transactionCSV, to: "items.csv")
        let dry = try f.runJSON(["run", "items", "items.csv", "--dry-run"])
        #expect(dry.run.json["dry_run"]?.boolValue == true)
        #expect(dry.run.counts == [5, 0, 0, 2], "\(dry.stderr)")
        #expect(try !f.storeTableExists("items"))
        #expect(try !f.storeTableExists("categories"))
        let real = try f.runJSON(["apply", "1"])
        #expect(real.run.counts == dry.run.counts, "\(real.stderr)")
        #expect(try f.storeCount("items") == 5)
    }

    @Test("a dry run over existing rows predicts updates and skips exactly, and changes nothing", arguments: Store.allCases)
    func dryRunOverExistingRows(store: Store) throws {
        let f = try ProcessFixture(store, importers: ["items": Self.duplicates("update_if_newer")])
        try f.write(Self.seedCSV, to: "seed.csv")
        try f.write(Self.changesCSV, to: "changes.csv")
        #expect(try f.runJSON(["run", "items", "seed.csv"]).run.counts == [3, 0, 0, 0])
        let before = try Self.describe(f.rows("SELECT sku, name, price, updated FROM items ORDER BY sku"))
        let dry = try f.runJSON(["run", "items", "changes.csv", "--dry-run"])
        #expect(dry.run.counts == [1, 3, 1, 0], "\(dry.stderr)")
        #expect(try Self.describe(f.rows("SELECT sku, name, price, updated FROM items ORDER BY sku")) == before)
        let applied = try f.runJSON(["apply", "2"])
        #expect(applied.run.counts == dry.run.counts, "\(applied.stderr)")
    }

    // MARK: - unique and exists

    static let teams = """
        {
          "name": "Members",
          "source": { "type": "upload", "formats": ["csv"] },
          "target": { "table": "members" },
          "chunk_size": 3,
          "columns": {
            "email": { "from": "Email", "rules": "required|unique" },
            "team_id": { "from": "Team", "type": "integer", "rules": "nullable|exists:teams,id" }
          }
        }
        """

    @Test("unique and exists rules judge against the table and earlier rows of the run, across chunks", arguments: Store.allCases)
    func uniqueAndExists(store: Store) throws {
        let f = try ProcessFixture(store, importers: ["members": Self.teams])
        let db = try f.store()
        try db.execute("CREATE TABLE teams (id INTEGER PRIMARY KEY, name TEXT)")
        try db.execute("INSERT INTO teams (id, name) VALUES (1, 'red'), (2, 'blue')")
        let id = store == .sqlite ? "INTEGER PRIMARY KEY" : "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
        try db.execute("CREATE TABLE members (id \(id), email TEXT, team_id INTEGER)")
        try db.execute("INSERT INTO members (email, team_id) VALUES ('old@example.com', 1)")
        try f.write("""
            Email,Team
            a@example.com,1
            old@example.com,2
            b@example.com,3
            a@example.com,2
            c@example.com,
            b@example.com,2

            """, to: "members.csv")
        let result = try f.runJSON(["run", "members", "members.csv"])
        #expect(result.run.counts == [3, 0, 0, 3], "\(result.stderr)")
        #expect(try Self.describe(f.rows("SELECT email, team_id FROM members ORDER BY id")) == [
            "old@example.com 1", "a@example.com 1", "c@example.com null", "b@example.com 2",
        ])
        let csv = try f.ingest(["failed-rows", "1"])
        #expect(csv.stdout == """
            Email,Team,_error_message,_row_number\r
            old@example.com,2,The email has already been taken.,3\r
            b@example.com,3,The selected team is invalid.,4\r
            a@example.com,2,The email has already been taken.,5\r

            """)
    }

    static let mismatched = """
        {
          "name": "Members",
          "source": { "type": "upload", "formats": ["csv"] },
          "target": { "table": "members" },
          "columns": {
            "email": { "from": "Email", "rules": "required" },
            "team": { "from": "Team", "rules": "nullable|exists:teams,id" },
            "flag": { "from": "Flag", "rules": "nullable|exists:flags,on" },
            "level_id": { "from": "Level", "lookup": { "table": "levels", "match": "code", "on_missing": "null" } }
          }
        }
        """

    @Test("exists and lookups on number and boolean columns: text values find their numbers; values the type cannot read fail the row or get no id, the run goes on",
          arguments: Store.allCases)
    func checksAgainstNumberColumns(store: Store) throws {
        let f = try ProcessFixture(store, importers: ["members": Self.mismatched])
        let db = try f.store()
        try db.execute("CREATE TABLE teams (id BIGINT PRIMARY KEY)")
        try db.execute("CREATE TABLE flags (\"on\" BOOLEAN)")
        try db.execute("CREATE TABLE levels (id BIGINT PRIMARY KEY, code INTEGER)")
        try db.execute("INSERT INTO levels (id, code) VALUES (5, 7)")
        try db.execute("INSERT INTO teams (id) VALUES (1), (2)")
        try f.write("""
            Email,Team,Flag,Level
            a@example.com,,,zz
            b@example.com,abc,,
            c@example.com,,maybe,
            d@example.com,,,99999999999
            e@example.com,12345678901234567890,,
            f@example.com,2,,7

            """, to: "members.csv")
        let result = try f.runJSON(["run", "members", "members.csv"])
        #expect(result.run.status == "completed_with_errors", "\(result.run.failureReason) \(result.stderr)")
        #expect(result.run.counts == [3, 0, 0, 3])
        // The text '2' and '7' find the numbers 2 and 7 on both stores (as Laravel's database does).
        #expect(try Self.describe(f.rows("SELECT email, team, level_id FROM members ORDER BY email")) == [
            "a@example.com null null", "d@example.com null null", "f@example.com 2 5",
        ])
        let csv = try f.ingest(["failed-rows", "1"])
        #expect(csv.stdout == """
            Email,Team,Flag,Level,_error_message,_row_number\r
            b@example.com,abc,,,The selected team is invalid.,3\r
            c@example.com,,maybe,,The selected flag is invalid.,4\r
            e@example.com,12345678901234567890,,,The selected team is invalid.,6\r

            """)
    }

    // MARK: - Constraints of an existing table, composite keys, error budget

    static func constrained(_ mode: String) -> String {
        """
        {
          "name": "Stock",
          "source": { "type": "upload", "formats": ["csv"] },
          "target": { "table": "stock", "key": ["shop", "sku"], "on_duplicate": "update", "create_table": false },
          "transaction": "\(mode)",
          "columns": {
            "shop": { "from": "Shop", "rules": "required" },
            "sku": { "from": "SKU", "rules": "required" },
            "qty": { "from": "Qty", "type": "integer" }
          }
        }
        """
    }

    @Test("a row the table's own constraints refuse (CHECK, NOT NULL) fails alone with the database's reason; composite keys update",
          arguments: Store.allCases, ["none", "chunk"])
    func tableConstraints(store: Store, mode: String) throws {
        let f = try ProcessFixture(store, importers: ["stock": Self.constrained(mode)])
        let id = store == .sqlite ? "INTEGER PRIMARY KEY" : "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
        try f.store().execute("CREATE TABLE stock (id \(id), shop TEXT NOT NULL, sku TEXT NOT NULL, qty BIGINT NOT NULL CHECK (qty >= 0), UNIQUE (shop, sku))")
        try f.write("Shop,SKU,Qty\nberlin,A,1\nparis,A,2\nberlin,B,3\n", to: "seed.csv")
        #expect(try f.runJSON(["run", "stock", "seed.csv"]).run.counts == [3, 0, 0, 0])
        try f.write("Shop,SKU,Qty\nberlin,A,10\nparis,A,-5\nrome,A,\nrome,B,4\n", to: "changes.csv")
        let result = try f.runJSON(["run", "stock", "changes.csv"])
        let csv = try f.ingest(["failed-rows", "2"]).stdout
        let lines = csv.split(separator: "\r\n").map(String.init)
        #expect(lines.count == 3, "\(csv)")
        // The reason is the database's own message (quoted in the CSV when PostgreSQL's names quotes).
        #expect(lines.dropFirst().allSatisfy { $0.contains("The row could not be saved: ") }, "\(csv)")
        #expect(lines.dropFirst().first?.hasPrefix("paris,A,-5,") == true, "\(csv)")
        #expect(lines.dropFirst().first?.hasSuffix(",3") == true, "\(csv)")
        #expect(lines.dropFirst(2).first?.hasPrefix("rome,A,,") == true, "\(csv)")
        #expect(lines.dropFirst(2).first?.hasSuffix(",4") == true, "\(csv)")
        let table = try Self.describe(f.rows("SELECT shop, sku, qty FROM stock ORDER BY shop, sku"))
        switch mode {
        case "none":
            #expect(result.run.status == "completed_with_errors")
            #expect(result.run.counts == [1, 1, 0, 2], "\(result.run.json)")
            #expect(table == ["berlin A 10", "berlin B 3", "paris A 2", "rome B 4"])
        default:
            #expect(result.run.status == "failed")
            #expect(result.run.counts == [0, 0, 0, 2], "\(result.run.json)")
            #expect(table == ["berlin A 1", "berlin B 3", "paris A 2"])
        }
    }

    @Test("an error budget stops the run at the same row on both stores", arguments: Store.allCases)
    func errorBudget(store: Store) throws {
        let definition = itemsDefinition(chunkSize: 2).replacingOccurrences(of: #""row_log": "failed","#,
                                                                             with: #""row_log": "failed", "error_budget": { "max_failed_rows": 1 },"#)
        let f = try ProcessFixture(store, importers: ["items": definition])
        try f.write(ProcessFixture.itemsCSV(rows: 20, bad: [3, 5, 7]), to: "items.csv")
        let result = try f.runJSON(["run", "items", "items.csv"])
        #expect(result.run.status == "failed")
        #expect(result.run.failureReason == "Error budget exceeded: 2 failed rows (at most 1 allowed).")
        #expect(result.run.counts == [4, 0, 0, 2], "the chunk with the second failed row is written: \(result.run.json)")
        #expect(try f.storeCount("items") == 4)
    }

    // MARK: - Cancel from another process

    @Test("`ingest cancel` from another process stops `ingest run` between chunks; resume completes every row once", arguments: Store.allCases)
    func cancelFromCLI(store: Store) throws {
        let rows = 60_000  // long enough to stop mid-import after its second chunk (500 rows each), light beside the other suites
        let f = try ProcessFixture(store, importers: ["items": RunLifecycleProcessTests.definition(transaction: "row")])
        try f.write(ProcessFixture.itemsCSV(rows: rows), to: "items.csv")
        let importer = try f.start(["run", "items", "items.csv", "--json"])
        _ = try f.eventually("run 1 to commit a chunk") { () -> Bool? in
            ((try? f.storeScalar("SELECT processed_rows FROM ingest_runs WHERE id = 1")) ?? 0) >= 1_000 ? true : nil
        }
        let cancel = try f.ingest(["cancel", "1"])
        #expect(cancel.status == 0, "\(cancel.stdout) \(cancel.stderr)")
        #expect(try importer.wait() != 0)
        let run = try JSONRun(importer.stdout)
        #expect(run.status == "cancelled", "\(importer.stdout) \(importer.stderr)")
        #expect(run.progress("created") == (try f.storeCount("items")))
        #expect(run.progress("created") < Int64(rows))
        let resumed = try f.runJSON(["resume", "1"])
        #expect(resumed.run.status == "completed", "\(resumed.stderr)")
        #expect(resumed.run.progress("created") == Int64(rows))
        #expect(try f.storeScalar("SELECT COUNT(DISTINCT sku) FROM items") == Int64(rows))
    }

    // MARK: - Retry

    @Test("retry imports exactly the failed rows under the fixed definition", arguments: Store.allCases)
    func retry(store: Store) throws {
        let f = try ProcessFixture(store, importers: ["items": itemsDefinition()])
        try f.write(itemsCSV, to: "items.csv")
        let first = try f.runJSON(["run", "items", "items.csv"])
        #expect(first.run.counts == [3, 0, 0, 2])
        try f.write(itemsDefinition(nameRules: "required").replacingOccurrences(of: "nullable|min:0", with: "nullable"), to: "importers/items.json")
        let retried = try f.runJSON(["retry", "1"])
        #expect(retried.run.status == "completed", "\(retried.stderr)")
        #expect(retried.run.counts == [2, 0, 0, 0])
        #expect(try f.rows("SELECT sku, name, price FROM items WHERE sku IN ('A-2', 'A-4') ORDER BY sku") == [
            [.text("A-2"), .text("X"), .real(3)],
            [.text("A-4"), .text("Table"), .real(-1)],
        ])
        #expect(try f.storeCount("items") == 5)
    }

    // MARK: - Lookups

    static let lookups = """
        {
          "name": "Products",
          "source": { "type": "upload", "formats": ["csv"] },
          "target": { "table": "products", "key": ["sku"], "on_duplicate": "update" },
          "columns": {
            "sku": { "from": "SKU", "rules": "required" },
            "category_id": { "from": "Category", "lookup": { "table": "categories", "match": "slug", "create_missing": true } },
            "brand_id": { "from": "Brand", "lookup": { "table": "brands", "match": "code", "select": "id" } }
          }
        }
        """

    @Test("lookups: create_missing adds each new value once, existing values resolve, a missing one fails the row", arguments: Store.allCases)
    func lookupsCreateMissing(store: Store) throws {
        let f = try ProcessFixture(store, importers: ["products": Self.lookups])
        let db = try f.store()
        try db.execute("CREATE TABLE brands (id INTEGER PRIMARY KEY, code TEXT NOT NULL)")
        try db.execute("INSERT INTO brands (id, code) VALUES (7, 'acme'), (9, 'globex')")
        try f.write("""
            SKU,Category,Brand
            P-1,tools,acme
            P-2,garden,globex
            P-3,tools,acme
            P-4,,globex
            P-5,tools,initech

            """, to: "products.csv")
        let result = try f.runJSON(["run", "products", "products.csv"])
        #expect(result.run.counts == [4, 0, 0, 1], "\(result.stderr)")
        #expect(try f.rows("SELECT id, slug FROM categories ORDER BY id") == [[.integer(1), .text("tools")], [.integer(2), .text("garden")]])
        #expect(try Self.describe(f.rows("SELECT sku, category_id, brand_id FROM products ORDER BY sku")) == [
            "P-1 1 7", "P-2 2 9", "P-3 1 7", "P-4 null 9",
        ])
        let csv = try f.ingest(["failed-rows", "1"])
        #expect(csv.stdout.contains("P-5,tools,initech,No brands found where code = 'initech'.,6"), "\(csv.stdout)")
    }

    // MARK: - Interrupted run, resumed

    /// SQLite: the killed process's run lock goes with it, so the next command recovers the run.
    /// PostgreSQL: a foreground run holds a lease like a server's (docs/RUNS.md, "Several nodes"),
    /// recovered once it has passed: the test gives it 1 s (`INGEST_LEASE_SECONDS`) and asks again
    /// until then.
    @Test("kill -9 of `ingest run` mid-import: a later command ends it interrupted; resume completes every row once", arguments: Store.allCases)
    func interruptedAndResumed(store: Store) throws {
        let rows = 60_000  // long enough to stop mid-import after its second chunk (500 rows each), light beside the other suites
        let f = try ProcessFixture(store, importers: ["items": RunLifecycleProcessTests.definition(transaction: "chunk")])
        if store == .postgres { f.environment["INGEST_LEASE_SECONDS"] = "1" }
        try f.write(ProcessFixture.itemsCSV(rows: rows), to: "items.csv")
        let importer = try f.start(["run", "items", "items.csv"])
        _ = try f.eventually("run 1 to commit a chunk") { () -> Bool? in
            ((try? f.storeScalar("SELECT processed_rows FROM ingest_runs WHERE id = 1")) ?? 0) >= 1_000 ? true : nil
        }
        importer.killHard()
        let status = try f.eventually("run 1 to be recovered") { () -> (stdout: String, stderr: String)? in
            let status = try f.ingest(["status", "1", "--json"])
            return try JSONRun(status.stdout).status == "processing" ? nil : (status.stdout, status.stderr)
        }
        #expect(status.stderr.contains("run 1 was interrupted"), "\(status.stderr)")
        let recovered = try JSONRun(status.stdout)
        #expect(recovered.status == "failed")
        let stopped = store == .sqlite ? "stopped before the run finished" : "stopped renewing its lease before the run finished"
        #expect(recovered.failureReason.hasPrefix("interrupted: process "), "\(recovered.failureReason)")
        #expect(recovered.failureReason.contains(stopped), "\(recovered.failureReason)")
        #expect(recovered.progress("created") == (try f.storeCount("items")), "counters equal the committed rows")
        #expect(recovered.progress("created") < Int64(rows), "the kill came mid-import")
        let resumed = try f.runJSON(["resume", "1"])
        #expect(resumed.run.status == "completed", "\(resumed.stderr)")
        #expect(resumed.run.progress("processed") == Int64(rows))
        #expect(resumed.run.progress("created") == Int64(rows))
        #expect(try f.storeCount("items") == Int64(rows))
        #expect(try f.storeScalar("SELECT COUNT(DISTINCT sku) FROM items") == Int64(rows))
    }
}
