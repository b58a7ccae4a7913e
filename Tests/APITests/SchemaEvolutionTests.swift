import Foundation
import SQLite
import Testing

/// Definitions against the tables they write, through real `ingest` processes: type and
/// affinity mismatches, lookup and `exists` columns, `in:` lists with spaces, schema evolution
/// (`alter`), missing key headers, lookup `on_missing`, and the peer's behaviours
/// (`update_if_newer` by type, `required` on empty arrays, boolean defaults, PHP `date_format`,
/// the percentage of a running run).
@Suite("Schema checks and evolution across processes")
struct SchemaEvolutionTests {
    static func places(zipType: String, extra: String = "", target: String = "") -> String {
        """
        {
          "target": { "table": "places", "key": ["code"], "on_duplicate": "update"\(target) },
          "columns": {
            "code": { "from": "Code", "rules": "required" },
            "zip": { "from": "Zip", "type": "\(zipType)" }\(extra)
          }
        }
        """
    }

    @Test("a text column over an existing INTEGER column fails check and run with how to migrate; after the migration the zeros stay")
    func affinityMismatch() throws {
        let f = try ProcessFixture(importers: ["places": Self.places(zipType: "integer")])
        try f.write("Code,Zip\nA,1400\n", to: "first.csv")
        #expect(try f.ingest(["run", "places", "first.csv"]).status == 0)
        try f.write(Self.places(zipType: "text"), to: "importers/places.json")
        try f.write("Code,Zip\nB,01400\n", to: "second.csv")

        let check = try f.ingest(["check"])
        #expect(check.status == 1)
        #expect(check.stderr.contains("The column 'zip' of table 'places' is INTEGER (INTEGER affinity), but the importer writes text values as TEXT (TEXT affinity)"), "\(check.stderr)")
        #expect(check.stderr.contains("'01400' would become 1400"))
        #expect(check.stderr.contains(#"ALTER TABLE "places" ADD COLUMN "zip_migrated" TEXT"#))

        let run = try f.ingest(["run", "places", "second.csv", "--json"])
        #expect(run.status == 1)
        let failed = try JSONRun(run.stdout)
        #expect(failed.failureReason.contains("INTEGER affinity"), "\(failed.failureReason)")
        #expect(failed.progress("processed") == 0)
        #expect(try f.count("places") == 1)
        // --alter never changes a type.
        #expect(try f.ingest(["run", "places", "second.csv", "--alter"]).status == 1)

        // The migration the message gives, then the run keeps the leading zero.
        for sql in [#"ALTER TABLE "places" ADD COLUMN "zip_migrated" TEXT"#, #"UPDATE "places" SET "zip_migrated" = "zip""#,
                    #"ALTER TABLE "places" DROP COLUMN "zip""#, #"ALTER TABLE "places" RENAME COLUMN "zip_migrated" TO "zip""#] {
            _ = try f.query(sql)
        }
        let ok = try f.ingest(["check"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("table 'places' matches the columns"))
        #expect(try f.ingest(["run", "places", "second.csv"]).status == 0)
        #expect(try f.query("SELECT zip, typeof(zip) FROM places WHERE code = 'B'").first == [.text("01400"), .text("text")])
    }

    @Test("numbers over a TEXT column are a mismatch too; a column without a type and NUMERIC for numbers are accepted")
    func affinityRules() throws {
        let f = try ProcessFixture(importers: ["places": Self.places(zipType: "integer")])
        _ = try f.query("CREATE TABLE places (id INTEGER PRIMARY KEY, code TEXT, zip TEXT)")
        _ = try f.query("CREATE UNIQUE INDEX places_code_unique ON places (code)")
        let check = try f.ingest(["check"])
        #expect(check.status == 1)
        #expect(check.stderr.contains("numbers would be stored as text"), "\(check.stderr)")
        _ = try f.query("ALTER TABLE places DROP COLUMN zip")
        _ = try f.query("ALTER TABLE places ADD COLUMN zip NUMERIC")
        #expect(try f.ingest(["check"]).status == 0)
        _ = try f.query("ALTER TABLE places DROP COLUMN zip")
        _ = try f.query("ALTER TABLE places ADD COLUMN zip")
        let untyped = try f.ingest(["check"])
        #expect(untyped.status == 0, "\(untyped.stderr)")
    }

    @Test("check fails on a lookup match or select column and an exists column that the table lacks")
    func lookupAndExistsColumns() throws {
        let definition = """
        {
          "target": { "table": "products" },
          "columns": {
            "sku": { "from": "SKU" },
            "category_id": { "from": "Category", "lookup": { "table": "categories", "match": "slgu", "select": "key" } },
            "brand": { "from": "Brand", "rules": "exists:brands,nme" }
          }
        }
        """
        let f = try ProcessFixture(importers: ["products": definition])
        _ = try f.query("CREATE TABLE categories (id INTEGER PRIMARY KEY, slug TEXT)")
        _ = try f.query("CREATE TABLE brands (id INTEGER PRIMARY KEY, name TEXT)")
        let check = try f.ingest(["check"])
        #expect(check.status == 1)
        #expect(check.stderr.contains("The table 'categories' has no column 'slgu', 'key', which the lookup of column 'category_id'"), "\(check.stderr)")
        #expect(check.stderr.contains("The table 'brands' has no column 'nme', which the exists rule of column 'brand' reads"))
        try f.write("SKU,Category,Brand\nA,books,acme\n", to: "p.csv")
        let run = try f.ingest(["run", "products", "p.csv", "--json"])
        #expect(run.status == 1)
        #expect(try JSONRun(run.stdout).failureReason.contains("no column 'slgu'"))
    }

    @Test("in: keeps spaces as Laravel's str_getcsv does, and check says what it will compare")
    func inListSpaces() throws {
        let definition = """
        { "target": { "table": "orders" }, "columns": { "status": { "from": "Status", "rules": "in:paid, shipped" } } }
        """
        let f = try ProcessFixture(importers: ["orders": definition])
        let check = try f.ingest(["check"])
        #expect(check.status == 0)
        #expect(check.stderr.contains(#"in compares the values exactly as written, spaces included (as Laravel's str_getcsv parses them): "paid", " shipped""#), "\(check.stderr)")
        #expect(check.stderr.contains("Write in:paid,shipped"))
        try f.write("Status\npaid\nshipped\n\" shipped\"\n", to: "o.csv")
        let run = try JSONRun(try f.ingest(["run", "orders", "o.csv", "--json"]).stdout)
        #expect(run.progress("created") == 2)
        #expect(run.progress("failed") == 1)
        #expect(try f.query("SELECT status FROM orders ORDER BY id") == [[.text("paid")], [.text(" shipped")]])
    }

    @Test("a column added after the first run: a clear error without alter, added by --alter and by target.alter")
    func alter() throws {
        let f = try ProcessFixture(importers: ["places": Self.places(zipType: "text")])
        try f.write("Code,Zip\nA,01400\n", to: "first.csv")
        #expect(try f.ingest(["run", "places", "first.csv"]).status == 0)
        let notes = #", "notes": { "from": "Notes" }"#
        try f.write(Self.places(zipType: "text", extra: notes), to: "importers/places.json")
        try f.write("Code,Zip,Notes\nB,02000,hello\n", to: "second.csv")

        let refused = try f.ingest(["run", "places", "second.csv", "--json"])
        #expect(refused.status == 1)
        let reason = try JSONRun(refused.stdout).failureReason
        #expect(reason.contains(#"The table 'places' has no column 'notes', which the importer declares. Add it (ALTER TABLE "places" ADD COLUMN "notes" TEXT;), or run with --alter"#), "\(reason)")
        #expect(try f.ingest(["check"]).stderr.contains("has no column 'notes'"))

        let dry = try f.ingest(["run", "places", "second.csv", "--alter", "--dry-run"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(try f.query("SELECT COUNT(*) FROM pragma_table_info('places') WHERE name = 'notes'").first == [.integer(0)], "a dry run rolls the ALTER back")

        let altered = try f.ingest(["run", "places", "second.csv", "--alter"])
        #expect(altered.status == 0, "\(altered.stderr)")
        #expect(altered.stdout.contains("Added the column 'notes' (TEXT) to the table 'places' (alter)."))
        #expect(try f.query("SELECT notes FROM places WHERE code = 'B'") == [[.text("hello")]])

        // target.alter does the same without the flag.
        let tags = #", "notes": { "from": "Notes" }, "tags": { "from": "Tags", "type": "integer" }"#
        try f.write(Self.places(zipType: "text", extra: tags, target: #", "alter": true"#), to: "importers/places.json")
        let check = try f.ingest(["check"])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.contains("column 'tags' will be added (alter)"))
        try f.write("Code,Zip,Notes,Tags\nC,03000,x,7\n", to: "third.csv")
        #expect(try f.ingest(["run", "places", "third.csv"]).status == 0)
        #expect(try f.query("SELECT tags, typeof(tags) FROM places WHERE code = 'C'").first == [.integer(7), .text("integer")])
    }

    @Test("a key whose header is missing fails the run before any row: a plain key, a composite key, a key through a lookup")
    func missingKeyHeader() throws {
        let users = """
        {
          "target": { "table": "users", "key": ["user_email"], "on_duplicate": "update" },
          "columns": { "user_email": { "from": ["Email", "E-Mail"] }, "name": { "from": "Name" } }
        }
        """
        let composite = """
        {
          "target": { "table": "stock", "key": ["warehouse", "sku"], "on_duplicate": "update" },
          "columns": { "warehouse": { "from": "Warehouse" }, "sku": { "from": "SKU" }, "qty": { "from": "Qty", "type": "integer" } }
        }
        """
        let viaLookup = """
        {
          "target": { "table": "memberships", "key": ["team_id"], "on_duplicate": "update" },
          "columns": { "team_id": { "from": "Team", "lookup": { "table": "teams", "match": "slug", "on_missing": "create" } }, "role": { "from": "Role" } }
        }
        """
        let f = try ProcessFixture(importers: ["users": users, "stock": composite, "memberships": viaLookup])
        try f.write("Name,Mail\nAda,ada@example.com\n", to: "users.csv")
        let run = try f.ingest(["run", "users", "users.csv", "--json"])
        #expect(run.status == 1)
        #expect(try JSONRun(run.stdout).failureReason == "The key column 'user_email' or one of its aliases was not found in the source file headers (looked for 'Email', 'E-Mail').")
        #expect(try f.count("users") == 0)

        try f.write("Warehouse,Qty\nnorth,3\n", to: "stock.csv")
        let second = try JSONRun(try f.ingest(["run", "stock", "stock.csv", "--json"]).stdout)
        #expect(second.status == "failed")
        #expect(second.failureReason.contains("The key column 'sku' or one of its aliases was not found"), "\(second.failureReason)")
        #expect(second.progress("processed") == 0)

        try f.write("Role\nowner\n", to: "m.csv")
        let third = try JSONRun(try f.ingest(["run", "memberships", "m.csv", "--json"]).stdout)
        #expect(third.status == "failed")
        #expect(third.failureReason.contains("The key column 'team_id' or one of its aliases was not found"))
        #expect(try f.count("teams") == 0)
    }

    static func orders(onMissing: String) -> String {
        """
        {
          "target": { "table": "orders", "key": ["number"], "on_duplicate": "update" },
          "columns": {
            "number": { "from": "Number", "rules": "required" },
            "customer_id": { "from": "Customer", "lookup": { "table": "customers", "match": "email", \(onMissing) } }
          }
        }
        """
    }

    @Test("lookup on_missing: fail, null (row kept with a NULL foreign key) and create (create_missing as its alias), dry runs judged as the real run")
    func onMissing() throws {
        let f = try ProcessFixture(importers: ["orders": Self.orders(onMissing: #""on_missing": "null""#)])
        _ = try f.query("CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT UNIQUE)")
        _ = try f.query("INSERT INTO customers (id, email) VALUES (7, 'ada@example.com')")
        try f.write("Number,Customer\n1,ada@example.com\n2,nobody@example.com\n", to: "o.csv")

        let dry = try JSONRun(try f.ingest(["run", "orders", "o.csv", "--dry-run", "--json"]).stdout)
        let real = try JSONRun(try f.ingest(["run", "orders", "o.csv", "--json"]).stdout)
        #expect(dry.status == "completed")
        #expect(real.status == "completed")
        #expect(dry.progress("created") == 2 && real.progress("created") == 2)
        #expect(try f.query("SELECT number, customer_id FROM orders ORDER BY number") == [[.text("1"), .integer(7)], [.text("2"), .null]])

        try f.write(Self.orders(onMissing: #""on_missing": "fail""#), to: "importers/orders.json")
        try f.write("Number,Customer\n3,nobody@example.com\n", to: "o3.csv")
        let failedDry = try JSONRun(try f.ingest(["run", "orders", "o3.csv", "--dry-run", "--json"]).stdout)
        let failed = try f.ingest(["run", "orders", "o3.csv", "--json"])
        #expect(failed.status == 2)
        let failedReal = try JSONRun(failed.stdout)
        #expect(failedDry.progress("failed") == 1 && failedReal.progress("failed") == 1)
        #expect(failed.stdout.contains("No customers found where email = 'nobody@example.com'."))

        try f.write(Self.orders(onMissing: #""create_missing": true"#), to: "importers/orders.json")
        let createdDry = try JSONRun(try f.ingest(["run", "orders", "o3.csv", "--dry-run", "--json"]).stdout)
        #expect(createdDry.progress("created") == 1)
        #expect(try f.count("customers") == 1, "the dry run rolled the new customer back")
        #expect(try f.ingest(["run", "orders", "o3.csv"]).status == 0)
        #expect(try f.query("SELECT c.email FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.number = '3'") == [[.text("nobody@example.com")]])

        try f.write(Self.orders(onMissing: #""on_missing": "null", "create_missing": true"#), to: "importers/orders.json")
        let contradiction = try f.ingest(["check"])
        #expect(contradiction.status == 1)
        #expect(contradiction.stderr.contains("'create_missing: true' contradicts 'on_missing: null'"), "\(contradiction.stderr)")
    }

    @Test("update_if_newer compares times as times, whatever text form is stored")
    func updateIfNewerTyped() throws {
        let definition = """
        {
          "target": { "table": "events", "key": ["code"], "on_duplicate": "update_if_newer", "newer_by": "changed_at" },
          "columns": {
            "code": { "from": "Code", "rules": "required" },
            "label": { "from": "Label" },
            "changed_at": { "from": "Changed", "type": "datetime" }
          }
        }
        """
        let f = try ProcessFixture(importers: ["events": definition])
        _ = try f.query("CREATE TABLE events (id INTEGER PRIMARY KEY, code TEXT UNIQUE, label TEXT, changed_at TEXT)")
        _ = try f.query("INSERT INTO events (code, label, changed_at) VALUES ('a', 'stored', '2026-03-15 12:00:00'), ('b', 'stored', '2026-03-15 12:00:00'), ('c', 'stored', 'soon')")
        try f.write("Code,Label,Changed\na,older,2026-03-15 09:00:00\nb,newer,2026-03-15T13:00:00\n", to: "e.csv")
        let run = try JSONRun(try f.ingest(["run", "events", "e.csv", "--json"]).stdout)
        #expect(run.progress("skipped") == 1)
        #expect(run.progress("updated") == 1)
        #expect(try f.query("SELECT code, label FROM events ORDER BY code") == [[.text("a"), .text("stored")], [.text("b"), .text("newer")], [.text("c"), .text("stored")]])

        try f.write("Code,Label,Changed\nc,newer,2026-03-15T13:00:00\n", to: "c.csv")
        let incomparable = try f.ingest(["run", "events", "c.csv", "--json"])
        #expect(incomparable.status == 2)
        #expect(incomparable.stdout.contains("The stored changed_at 'soon' is not a datetime value"), "\(incomparable.stdout)")
    }

    @Test("required rejects an empty JSON array; a boolean with its own words takes default false; date_format takes PHP letters")
    func peerBehaviours() throws {
        let definition = """
        {
          "target": { "table": "people" },
          "columns": {
            "name": { "from": "name", "rules": "required" },
            "tags": { "from": "tags", "rules": "required" },
            "active": { "from": "active", "type": "boolean", "true_values": ["ja"], "false_values": ["nein"], "default": false },
            "born": { "from": "born", "rules": "date_format:d.m.Y" }
          }
        }
        """
        let f = try ProcessFixture(importers: ["people": definition])
        try f.write("""
            {"name": "Ada", "tags": ["x"], "active": "ja", "born": "10.12.1815"}
            {"name": "Bob", "tags": [], "active": "nein", "born": "01.01.1990"}
            {"name": "Cy", "tags": ["y"], "born": "1990-01-01"}
            {"name": "Di", "tags": ["z"], "active": null}

            """, to: "people.ndjson")
        let result = try f.ingest(["run", "people", "people.ndjson", "--json"])
        let run = try JSONRun(result.stdout)
        #expect(run.progress("created") == 2, "\(result.stdout)")
        #expect(run.progress("failed") == 2)
        #expect(result.stdout.contains("The tags field is required."))
        #expect(result.stdout.contains("The born field must match the format d.m.Y."))
        #expect(try f.query("SELECT name, active FROM people ORDER BY id") == [[.text("Ada"), .integer(1)], [.text("Di"), .integer(0)]])
    }

    @Test("concat joins source columns and skips empty parts, from CSV and from JSON (whose reader keeps only the keys read)")
    func concat() throws {
        let definition = """
        {
          "target": { "table": "people" },
          "columns": {
            "full_name": { "from": "first", "transform": [{ "concat": { "columns": ["first", "middle", "last"] } }] },
            "address": { "from": "street", "transform": [{ "concat": { "columns": ["street", "city"], "separator": ", " } }] }
          }
        }
        """
        let f = try ProcessFixture(importers: ["people": definition])
        try f.write("first,middle,last,street,city\nAda,,Lovelace,,London\nAlan,Mathison,Turing,Hollymeade,Wilmslow\n", to: "p.csv")
        #expect(try f.ingest(["run", "people", "p.csv"]).status == 0)
        try f.write(#"[{"first": "Grace", "middle": " ", "last": "Hopper", "city": "Arlington", "unused": 1}]"#, to: "p.json")
        #expect(try f.ingest(["run", "people", "p.json"]).status == 0)
        #expect(try f.query("SELECT full_name, address FROM people ORDER BY id") == [
            [.text("Ada Lovelace"), .text("London")], [.text("Alan Mathison Turing"), .text("Hollymeade, Wilmslow")],
            [.text("Grace Hopper"), .text("Arlington")],
        ])
    }

    @Test("status of a running run shows the share of its file read")
    func statusPercentage() throws {
        let f = try ProcessFixture(importers: ["items": RunLifecycleProcessTests.definition(transaction: "none")])
        try f.write(ProcessFixture.itemsCSV(rows: RunLifecycleProcessTests.rows), to: "items.csv")
        let importer = try f.start(["run", "items", "items.csv"], environment: ["INGEST_BUSY_TIMEOUT_MS": "120000"])
        try RunLifecycleProcessTests.waitUntilMidImport(f, transaction: "none")
        let blocker = try LockHolder(path: f.database)
        let status = try f.ingest(["status", "1"])
        blocker.release()
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("processing"), "\(status.stdout)")
        let line = status.stdout.split(separator: "\n").first { $0.contains("progress:") }.map(String.init) ?? ""
        let percent = Int(line.split(separator: "%").first?.split(separator: " ").last ?? "") ?? -1
        #expect((1...99).contains(percent), "\(status.stdout)")
        #expect(line.contains("bytes read"))
        #expect(try importer.wait() == 0)
        #expect(!(try f.ingest(["status", "1"]).stdout.contains("progress:")), "a finished run shows no percentage")
    }
}
