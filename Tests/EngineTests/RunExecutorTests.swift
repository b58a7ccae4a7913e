import Foundation
import Testing
import SQLite
@testable import Engine

@Suite("A run end to end")
struct RunExecutorTests {
    @Test("valid rows land, invalid rows are logged with Laravel-worded messages")
    func validAndInvalid() throws {
        let f = try EngineFixture(importers: ["items": itemsDefinition()])
        let run = try f.run("items", csv: "SKU,Name,Price\nA1,Apple,1.50\nA2,,2\nA3,Cherry,-1\nA4,Date,4\n")
        #expect(run.status == .completedWithErrors)
        #expect(run.counts.processed == 4 && run.counts.created == 2 && run.counts.failed == 2)
        #expect(run.userID == 7 && run.originalFilename == "data.csv")
        #expect(try f.query("SELECT sku, name, price FROM items ORDER BY sku") == [["A1", "Apple", .real(1.5)], ["A4", "Date", .real(4)]])
        let failed = try f.failedRows(run.id)
        #expect(failed.map(\.rowNumber) == [3, 4])
        #expect(failed[0].errors == RowErrors(message: "The given data was invalid.", validation: [("name", ["The name field is required."])]))
        #expect(failed[1].errors?.validation.first?.messages == ["The price field must be at least 0."])
        #expect(failed[0].data.map(\.key) == ["SKU", "Name", "Price"] && failed[0].data.map(\.value) == ["A2", "", "2"])
        #expect(run.summary?.meta.failedRows == 2 && run.summary?.meta.createdRows == 2)
        #expect(run.completedAt != nil && run.startedAt != nil)
    }

    @Test("the summary splits the run's time per thread, and the split survives the store")
    func threadSplit() throws {
        let f = try EngineFixture(importers: ["items": itemsDefinition()])
        let csv = "SKU,Name,Price\n" + (0..<3000).map { "S\($0),Item \($0),\($0 % 90).5" }.joined(separator: "\n") + "\n"
        let run = try f.run("items", csv: csv)
        let threads = try #require(run.summary?.meta.threads)
        #expect(threads.readValidateCPUMs >= 0 && threads.writeCPUMs >= 0 && threads.writeSQLiteMs >= 0)
        let stored = try #require(try f.store().run(run.id)?.summary?.meta.threads)
        #expect(stored == threads)
        let json = RunStore.encode(try #require(run.summary))
        #expect(json["meta"]?["threads"]?["write_sqlite_ms"]?.intValue == Int64(threads.writeSQLiteMs))
    }

    @Test("a clean file completes with status completed")
    func clean() throws {
        let f = try EngineFixture(importers: ["items": itemsDefinition()])
        let run = try f.run("items", csv: "SKU,Name,Price\r\nA1,Apple,1\r\n")
        #expect(run.status == .completed)
        #expect(run.summary?.errors == [])
    }

    @Test("chunks larger than a batch commit whole, and a file ending mid-chunk keeps its rows", arguments: [512, 1000, 1300])
    func batchesAndChunks(rows: Int) throws {
        let f = try EngineFixture(importers: ["items": itemsDefinition(chunkSize: 1000)])
        let csv = "SKU,Name,Price\n" + (0..<rows).map { "S\($0),Item,1" }.joined(separator: "\n") + "\n"
        let database = f.database
        let run = try f.run("items", csv: csv) { progress in
            // Between chunk boundaries nothing is committed yet: another connection sees whole chunks only.
            if progress.counts.processed < rows,
               let count = try? SQLite.Connection(path: database).scalar("SELECT COUNT(*) FROM items")?.integerValue {
                #expect(count % 1000 == 0)
            }
        }
        #expect(run.status == .completed && run.counts.created == rows)
        #expect(try f.query("SELECT COUNT(*) FROM items") == [[.integer(Int64(rows))]])
    }

    @Test("ragged rows fail as rows, trailing empty cells are tolerated")
    func ragged() throws {
        let f = try EngineFixture(importers: ["items": itemsDefinition()])
        let run = try f.run("items", csv: "SKU,Name,Price\nA1,Apple,1,,\nA2,Banana\nA3,Cherry,3,extra\n")
        #expect(run.counts.created == 1 && run.counts.failed == 2)
        let failed = try f.failedRows(run.id)
        #expect(failed.map { $0.errors?.message } == ["The row has 2 fields, but the header has 3.", "The row has 4 fields, but the header has 3."])
        #expect(failed[1].data.last?.key == "_extra_1")
    }

    @Test("an empty file fails, a header-only file completes with nothing to do")
    func emptyAndHeaderOnly() throws {
        let f = try EngineFixture(importers: ["items": itemsDefinition()])
        let empty = try f.run("items", csv: "")
        #expect(empty.status == .failed)
        #expect(empty.failureReason == "The file is empty: it has no header row.")
        let headerOnly = try f.run("items", csv: "SKU,Name,Price\n")
        #expect(headerOnly.status == .completed && headerOnly.counts.processed == 0)
    }

    @Test("strict headers fail the run before any row is written")
    func strictHeaders() throws {
        let f = try EngineFixture(importers: ["items": itemsDefinition(extraTop: "\"headers\": {\"strict\": true},")])
        let run = try f.run("items", csv: "SKU,Title,Price\nA1,Apple,1\n")
        #expect(run.status == .failed)
        #expect(run.failureReason?.contains("Name") == true)
        #expect(try f.query("SELECT name FROM sqlite_master WHERE name = 'items'").isEmpty)
    }

    @Test("an existing table without a mapped column fails before any row")
    func existingTableMismatch() throws {
        let f = try EngineFixture(importers: ["items": itemsDefinition()])
        try Connection(path: f.database).execute("CREATE TABLE items (sku TEXT UNIQUE, name TEXT)")
        let run = try f.run("items", csv: "SKU,Name,Price\nA1,Apple,1\n")
        #expect(run.status == .failed)
        #expect(run.failureReason == "The table 'items' has no column 'price', which the importer declares. Add it (ALTER TABLE \"items\" ADD COLUMN \"price\" REAL;), or run with --alter (or set target.alter: true) to add missing columns automatically.")
        #expect(try f.query("SELECT COUNT(*) FROM items") == [[.integer(0)]])
    }

    @Test("an existing table without a unique index on the key is refused with the fix")
    func existingTableWithoutKeyIndex() throws {
        let f = try EngineFixture(importers: ["items": itemsDefinition()])
        try Connection(path: f.database).execute("CREATE TABLE items (sku TEXT, name TEXT, price REAL)")
        let run = try f.run("items", csv: "SKU,Name,Price\nA1,Apple,1\n")
        #expect(run.status == .failed)
        #expect(run.failureReason?.contains("CREATE UNIQUE INDEX") == true)
    }

    @Test("the created table has the declared types and a unique index on the key")
    func createdTable() throws {
        let f = try EngineFixture(importers: ["items": itemsDefinition(extraColumns: #", "stock": { "from": "Stock", "type": "integer" }, "active": { "from": "Active", "type": "boolean" }"#)])
        _ = try f.run("items", csv: "SKU,Name,Price,Stock,Active\nA1,Apple,1,5,yes\n")
        let columns = try Connection(path: f.database).columns(of: "items")
        #expect(columns.map(\.name) == ["id", "sku", "name", "price", "stock", "active"])
        #expect(columns.map(\.type) == ["INTEGER", "TEXT", "TEXT", "REAL", "INTEGER", "INTEGER"])
        #expect(try f.query("SELECT stock, active FROM items") == [[.integer(5), .integer(1)]])
        #expect(try f.query("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'items_sku_unique'").count == 1)
    }

    @Test("an unknown importer and a broken definition are clear errors")
    func unknownAndBroken() throws {
        let f = try EngineFixture(importers: ["items": itemsDefinition(), "broken": #"{"target": {"table": "x"}, "columns": {}, "chunk_sise": 3}"#])
        #expect(throws: EngineError.importerNotFound(slug: "nope")) { try f.run("nope", csv: "a\n1\n") }
        do {
            _ = try f.run("broken", csv: "a\n1\n")
            Issue.record("expected an error")
        } catch let error as EngineError {
            guard case .importerBroken(let slug, let problems) = error else { Issue.record("wrong error \(error)"); return }
            #expect(slug == "broken")
            #expect(problems.contains { $0.contains("chunk_sise") && $0.contains("chunk_size") })
        }
    }

    @Test("a file format the importer does not accept is refused before a run exists")
    func formatRefused() throws {
        let f = try EngineFixture(importers: ["items": itemsDefinition(extraTop: #""source": {"type": "upload", "formats": ["xlsx"]},"#)])
        #expect(throws: EngineError.unsupportedFormat(found: "csv", accepted: ["xlsx"])) {
            try f.run("items", csv: "SKU,Name,Price\nA1,Apple,1\n")
        }
        #expect(try f.store().runs(limit: 10, offset: 0).total == 0)
    }

    @Test("error budget stops the run as failed")
    func errorBudget() throws {
        let f = try EngineFixture(importers: ["items": itemsDefinition(chunkSize: 2, extraTop: #""error_budget": {"max_failed_rows": 1},"#)])
        var csv = "SKU,Name,Price\n"
        for i in 0..<10 { csv += "S\(i),\(i % 2 == 0 ? "" : "Ok"),1\n" }
        let run = try f.run("items", csv: csv)
        #expect(run.status == .failed)
        #expect(run.failureReason == "Error budget exceeded: 2 failed rows (at most 1 allowed).")
        #expect(run.counts.processed == 4)
    }

    @Test("row_log all keeps every row with its status")
    func rowLogAll() throws {
        let f = try EngineFixture(importers: ["items": itemsDefinition(onDuplicate: "skip", rowLog: "all")])
        let run = try f.run("items", csv: "SKU,Name,Price\nA1,Apple,1\nA1,Again,2\nA2,,1\n")
        let rows = try f.store().rows(of: run.id, limit: 10, offset: 0).rows
        #expect(rows.map(\.status) == [.success, .skipped, .failed])
    }

    @Test("lookups resolve to ids, create missing values, or fail with the lookup message")
    func lookups() throws {
        let lookupColumn = #", "category_id": { "from": "Category", "lookup": { "table": "categories", "match": "slug", "select": "id", "create_missing": CREATE } }"#
        let f = try EngineFixture(importers: [
            "create": itemsDefinition(extraColumns: lookupColumn.replacingOccurrences(of: "CREATE", with: "true")),
            "strict": itemsDefinition(extraColumns: lookupColumn.replacingOccurrences(of: "CREATE", with: "false")).replacingOccurrences(of: "\"items\"", with: "\"items2\""),
        ])
        let created = try f.run("create", csv: "SKU,Name,Price,Category\nA1,Apple,1,fruit\nA2,Bean,1,veg\nA3,Cherry,1,fruit\n")
        #expect(created.status == .completed)
        #expect(try f.query("SELECT slug FROM categories ORDER BY id") == [["fruit"], ["veg"]])
        #expect(try f.query("SELECT i.sku, c.slug FROM items i JOIN categories c ON c.id = i.category_id ORDER BY i.sku") == [["A1", "fruit"], ["A2", "veg"], ["A3", "fruit"]])
        let strict = try f.run("strict", csv: "SKU,Name,Price,Category\nB1,Apple,1,fruit\nB2,Bean,1,meat\n")
        #expect(strict.counts.created == 1 && strict.counts.failed == 1)
        #expect(try f.failedRows(strict.id).first?.errors?.validation.first?.messages == ["No categories found where slug = 'meat'."])
        #expect(try f.query("SELECT COUNT(*) FROM categories") == [[.integer(2)]])
    }

    @Test("unique checks the table, distinct checks the file, exists checks another table")
    func databaseRules() throws {
        let columns = #", "code": { "from": "Code", "rules": "nullable|unique" }, "ref": { "from": "Ref", "rules": "nullable|exists:refs,slug" }, "tag": { "from": "Tag", "rules": "nullable|distinct" }"#
        let f = try EngineFixture(importers: ["items": itemsDefinition(onDuplicate: "skip", extraColumns: columns)])
        let db = try Connection(path: f.database)
        try db.execute("CREATE TABLE refs (slug TEXT)")
        try db.execute("INSERT INTO refs VALUES ('r1')")
        let first = try f.run("items", csv: "SKU,Name,Price,Code,Ref,Tag\nA1,Apple,1,C1,r1,t1\n")
        #expect(first.status == .completed)
        let second = try f.run("items", csv: "SKU,Name,Price,Code,Ref,Tag\nA2,Bean,1,C1,r1,t2\nA3,Corn,1,C3,r9,t3\nA4,Date,1,C4,,t3\nA5,Egg,1,C4,,\n")
        let failed = try f.failedRows(second.id)
        #expect(failed.map(\.rowNumber) == [2, 3, 4])  // row 5 reuses C4, which row 4 never wrote
        #expect(failed[0].errors?.validation.first?.messages == ["The code has already been taken."])
        #expect(failed[1].errors?.validation.first?.messages == ["The selected ref is invalid."])
        #expect(failed[2].errors?.validation.first?.messages == ["The tag field has a duplicate value."])
        #expect(try f.query("SELECT sku FROM items ORDER BY sku") == [["A1"], ["A5"]])
    }
}

@Suite("JSON values")
struct JSONValueTests {
    @Test("strings are escaped per RFC 8259 and read back unchanged")
    func escaping() throws {
        let text = "quote \" backslash \\ slash / tab \t newline \n bell \u{07} ünïcode 😀"
        let json = JSONValue.object([("k", .string(text)), ("n", .integer(-3)), ("d", .number(1.5)), ("b", .bool(true)), ("z", .null)])
        #expect(json.text == #"{"k":"quote \" backslash \\ slash \/ tab \t newline \n bell \u0007 ünïcode 😀","n":-3,"d":1.5,"b":true,"z":null}"#)
        #expect(try JSONValue.parse(json.text) == json)
        #expect(try JSONValue.parse(#"["\ud83d\ude00", 1e3, 0.25, []]"#) == .array([.string("😀"), .number(1000), .number(0.25), .array([])]))
        #expect(throws: JSONParseError.self) { try JSONValue.parse(#"{"a": 1,}"#) }
        #expect(throws: JSONParseError.self) { try JSONValue.parse(#"["\ud83d"]"#) }
        #expect(throws: JSONParseError.self) { try JSONValue.parse("[1] x") }
    }
}
