import Foundation
import Testing
import SQLite
@testable import Engine

@Suite("Duplicate strategies")
struct DuplicateStrategyTests {
    static let first = "SKU,Name,Price\nA1,Apple,1\nA2,Banana,2\n"
    static let second = "SKU,Name,Price\nA1,Apricot,\nA3,Cherry,3\n"

    func twoRuns(_ strategy: String) throws -> (EngineFixture, IngestRun) {
        let f = try EngineFixture(importers: ["items": itemsDefinition(onDuplicate: strategy)])
        _ = try f.run("items", csv: Self.first)
        return (f, try f.run("items", csv: Self.second))
    }

    @Test("skip keeps the existing row and counts it skipped")
    func skip() throws {
        let (f, run) = try twoRuns("skip")
        #expect((run.counts.created, run.counts.updated, run.counts.skipped) == (1, 0, 1))
        #expect(try f.query("SELECT name, price FROM items WHERE sku = 'A1'") == [["Apple", .real(1)]])
    }

    @Test("update overwrites every mapped column, nulls included")
    func update() throws {
        let (f, run) = try twoRuns("update")
        #expect((run.counts.created, run.counts.updated, run.counts.skipped) == (1, 1, 0))
        #expect(try f.query("SELECT name, price FROM items WHERE sku = 'A1'") == [["Apricot", .null]])
    }

    @Test("upsert merges: incoming nulls keep the stored value")
    func upsert() throws {
        let (f, run) = try twoRuns("upsert")
        #expect((run.counts.created, run.counts.updated) == (1, 1))
        #expect(try f.query("SELECT name, price FROM items WHERE sku = 'A1'") == [["Apricot", .real(1)]])
    }

    @Test("fail logs the duplicate with the key in the message")
    func fail() throws {
        let (f, run) = try twoRuns("fail")
        #expect((run.counts.created, run.counts.failed) == (1, 1))
        #expect(try f.failedRows(run.id).first?.errors == RowErrors(message: "Duplicate entry found for key 'sku'."))
        #expect(try f.query("SELECT name FROM items WHERE sku = 'A1'") == [["Apple"]])
    }

    @Test("update_if_newer updates only when the incoming value is newer")
    func updateIfNewer() throws {
        let definition = itemsDefinition(onDuplicate: "update_if_newer", extraColumns: #", "changed": { "from": "Changed", "type": "date" }"#, newerBy: "changed")
        let f = try EngineFixture(importers: ["items": definition])
        _ = try f.run("items", csv: "SKU,Name,Price,Changed\nA1,Apple,1,2024-01-10\nA2,Banana,2,2024-01-10\n")
        let run = try f.run("items", csv: "SKU,Name,Price,Changed\nA1,Newer,1,2024-02-01\nA2,Older,2,2023-12-31\n")
        #expect((run.counts.updated, run.counts.skipped) == (1, 1))
        #expect(try f.query("SELECT name FROM items ORDER BY sku") == [["Newer"], ["Banana"]])
    }

    @Test("a key repeated inside one file is judged against the earlier row")
    func repeatedInFile() throws {
        let f = try EngineFixture(importers: ["items": itemsDefinition(onDuplicate: "update")])
        let run = try f.run("items", csv: "SKU,Name,Price\nA1,Apple,1\nA1,Again,2\n")
        #expect((run.counts.created, run.counts.updated) == (1, 1))
        #expect(try f.query("SELECT name FROM items") == [["Again"]])
    }

    @Test("without_rowid creates the table keyed by its key and keeps every strategy's counts", arguments: ["skip", "update", "upsert", "fail"])
    func withoutRowID(strategy: String) throws {
        let plain = try twoRuns(strategy)
        let definition = itemsDefinition(onDuplicate: strategy).replacingOccurrences(of: #""key": ["sku"]"#, with: #""key": ["sku"], "without_rowid": true"#)
        let f = try EngineFixture(importers: ["items": definition])
        _ = try f.run("items", csv: Self.first)
        let run = try f.run("items", csv: Self.second + "A3,Cherry again,4\n")
        let sql = try f.query("SELECT sql FROM sqlite_master WHERE name = 'items'").first?.first?.textValue ?? ""
        #expect(sql.contains("PRIMARY KEY (\"sku\")") && sql.hasSuffix("WITHOUT ROWID") && !sql.contains("\"id\""))
        #expect(try f.query("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'items' AND sql IS NOT NULL") == [[.integer(0)]])
        // The same file as the rowid table plus one in-file repeat: counted as the strategy says.
        let repeatCounts = strategy == "skip" ? (0, 0, 1, 0) : strategy == "fail" ? (0, 0, 0, 1) : (0, 1, 0, 0)
        #expect(run.counts.created == plain.1.counts.created + repeatCounts.0)
        #expect(run.counts.updated == plain.1.counts.updated + repeatCounts.1)
        #expect(run.counts.skipped == plain.1.counts.skipped + repeatCounts.2)
        #expect(run.counts.failed == plain.1.counts.failed + repeatCounts.3)
    }

    @Test("without a key every row inserts")
    func noKey() throws {
        let definition = itemsDefinition().replacingOccurrences(of: #", "key": ["sku"], "on_duplicate": "update""#, with: "")
        let f = try EngineFixture(importers: ["items": definition])
        let run = try f.run("items", csv: "SKU,Name,Price\nA1,Apple,1\nA1,Apple,1\n")
        #expect(run.counts.created == 2)
    }
}

@Suite("Transaction modes")
struct TransactionModeTests {
    /// Five chunks of two rows; row 8 (the 7th data row) is invalid.
    static let csv = "SKU,Name,Price\n" + (1...10).map { "S\($0),\($0 == 7 ? "" : "Item"),\($0)" }.joined(separator: "\n") + "\n"

    @Test("none keeps every good row and logs the bad one")
    func none() throws {
        let f = try EngineFixture(importers: ["items": itemsDefinition(transaction: "none", chunkSize: 2)])
        let run = try f.run("items", csv: Self.csv)
        #expect(run.status == .completedWithErrors)
        #expect(try f.query("SELECT COUNT(*) FROM items") == [[.integer(9)]])
    }

    @Test("chunk rolls back the failing chunk, keeps earlier chunks, and fails the run")
    func chunk() throws {
        let f = try EngineFixture(importers: ["items": itemsDefinition(transaction: "chunk", chunkSize: 2)])
        let run = try f.run("items", csv: Self.csv)
        #expect(run.status == .failed)
        #expect(run.failureReason?.contains("Row 8") == true)
        #expect(try f.query("SELECT sku FROM items ORDER BY id") == [["S1"], ["S2"], ["S3"], ["S4"], ["S5"], ["S6"]])
        #expect(try f.failedRows(run.id).map(\.rowNumber) == [8])
    }

    @Test("all leaves the target exactly as before when a row fails")
    func all() throws {
        let f = try EngineFixture(importers: ["items": itemsDefinition(transaction: "all", chunkSize: 2)])
        _ = try f.run("items", csv: "SKU,Name,Price\nS1,Before,1\n")
        let run = try f.run("items", csv: Self.csv)
        #expect(run.status == .failed)
        #expect(try f.query("SELECT sku, name FROM items") == [["S1", "Before"]])
        #expect(try f.failedRows(run.id).map(\.rowNumber) == [8])
        let good = try f.run("items", csv: "SKU,Name,Price\nS2,Fine,1\nS3,Fine,1\n")
        #expect(good.status == .completed)
        #expect(try f.query("SELECT COUNT(*) FROM items") == [[.integer(3)]])
    }

    @Test("row mode undoes a lookup created for a row that then fails")
    func rowMode() throws {
        let columns = #", "category_id": { "from": "Category", "lookup": { "table": "categories", "match": "slug", "create_missing": true } }"#
        let f = try EngineFixture(importers: ["items": itemsDefinition(onDuplicate: "fail", transaction: "row", extraColumns: columns)])
        _ = try f.run("items", csv: "SKU,Name,Price,Category\nA1,Apple,1,fruit\n")
        let run = try f.run("items", csv: "SKU,Name,Price,Category\nA1,Again,1,newcat\nA2,Bean,1,veg\n")
        #expect(run.counts.failed == 1 && run.counts.created == 1)
        #expect(try f.query("SELECT slug FROM categories ORDER BY slug") == [["fruit"], ["veg"]])
    }

    @Test("none mode keeps a lookup created for a row that then fails")
    func noneModeKeepsLookup() throws {
        let columns = #", "category_id": { "from": "Category", "lookup": { "table": "categories", "match": "slug", "create_missing": true } }"#
        let f = try EngineFixture(importers: ["items": itemsDefinition(onDuplicate: "fail", transaction: "none", extraColumns: columns)])
        _ = try f.run("items", csv: "SKU,Name,Price,Category\nA1,Apple,1,fruit\n")
        _ = try f.run("items", csv: "SKU,Name,Price,Category\nA1,Again,1,newcat\n")
        #expect(try f.query("SELECT slug FROM categories ORDER BY slug") == [["fruit"], ["newcat"]])
    }
}

@Suite("Dry runs")
struct DryRunTests {
    @Test("a dry run reports what would happen and leaves the database untouched")
    func untouched() throws {
        let columns = #", "category_id": { "from": "Category", "lookup": { "table": "categories", "match": "slug", "create_missing": true } }"#
        let f = try EngineFixture(importers: ["items": itemsDefinition(extraColumns: columns)])
        let dry = try f.run("items", csv: "SKU,Name,Price,Category\nA1,Apple,1,fruit\nA1,Again,1,fruit\nA2,,1,veg\n", dryRun: true)
        #expect(dry.dryRun && dry.status == .completedWithErrors)
        #expect((dry.counts.created, dry.counts.updated, dry.counts.failed) == (1, 1, 1))
        #expect(dry.summary?.meta.dryRun == true)
        #expect(try f.query("SELECT name FROM sqlite_master WHERE name IN ('items', 'categories')").isEmpty)
        #expect(try f.failedRows(dry.id).count == 1)

        _ = try f.run("items", csv: "SKU,Name,Price,Category\nA1,Apple,1,fruit\n")
        let before = try f.query("SELECT * FROM items")
        let dry2 = try f.run("items", csv: "SKU,Name,Price,Category\nA1,Changed,9,fruit\nA9,New,1,other\n", dryRun: true)
        #expect((dry2.counts.created, dry2.counts.updated) == (1, 1))
        #expect(try f.query("SELECT * FROM items") == before)
        #expect(try f.query("SELECT COUNT(*) FROM categories") == [[.integer(1)]])
    }
}
