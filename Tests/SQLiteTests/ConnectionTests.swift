import Foundation
import Testing
@testable import SQLite

@Suite("SQLite connection")
struct ConnectionTests {
    func makeDatabase() throws -> (Connection, String) {
        let path = NSTemporaryDirectory() + "sqlite-test-\(UUID().uuidString).sqlite"
        return (try Connection(path: path), path)
    }

    @Test("opens in WAL mode with foreign keys on")
    func pragmas() throws {
        let (db, path) = try makeDatabase()
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try db.scalar("PRAGMA journal_mode") == .text("wal"))
        #expect(try db.scalar("PRAGMA foreign_keys") == .integer(1))
        #expect(try db.scalar("PRAGMA synchronous") == .integer(1))
    }

    @Test("round-trips every value type through a prepared statement")
    func roundTrip() throws {
        let (db, path) = try makeDatabase()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try db.execute("CREATE TABLE t (a, b, c, d, e)")
        try db.execute("INSERT INTO t VALUES (?, ?, ?, ?, ?)", [.null, .integer(42), .real(1.5), .text("héllo"), .blob([0, 1, 255])])
        let rows = try db.query("SELECT a, b, c, d, e FROM t")
        #expect(rows == [[.null, .integer(42), .real(1.5), .text("héllo"), .blob([0, 1, 255])]])
        #expect(try db.scalar("SELECT d FROM t WHERE d = ?", ["héllo"]) == .text("héllo"))
    }

    @Test("errors carry the extended code and the SQL, never the bound values")
    func errors() throws {
        let (db, path) = try makeDatabase()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try db.execute("CREATE TABLE t (k TEXT PRIMARY KEY)")
        try db.execute("INSERT INTO t VALUES (?)", ["secret-value"])
        do {
            try db.execute("INSERT INTO t VALUES (?)", ["secret-value"])
            Issue.record("expected a constraint error")
        } catch {
            #expect(error.extendedCode == 1555 || error.extendedCode == 2067) // PRIMARYKEY or UNIQUE
            #expect(error.isConstraintViolation)
            #expect(error.sql == "INSERT INTO t VALUES (?)")
            #expect(!error.description.contains("secret-value"))
        }
        #expect(throws: SQLiteError.self) { try db.execute("SELEC nonsense") }
    }

    @Test("a throwing transaction body rolls everything back")
    func transactionRollback() throws {
        let (db, path) = try makeDatabase()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try db.execute("CREATE TABLE t (v INTEGER)")
        struct Boom: Error {}
        var insertedInside: Int64?
        var caught: (any Error)?
        do {
            try db.transaction { () throws(Boom) in
                // The insert must really happen inside the transaction, or the rollback proves nothing.
                do { _ = try db.execute("INSERT INTO t VALUES (1)", []) } catch { Issue.record("insert failed: \(error)") }
                insertedInside = (try? db.scalar("SELECT COUNT(*) FROM t"))??.integerValue
                throw Boom()
            }
        } catch {
            caught = error
        }
        #expect(insertedInside == 1)
        #expect(caught != nil, "the body's error reaches the caller")
        #expect(try db.scalar("SELECT COUNT(*) FROM t") == .integer(0))
        #expect(!db.isInTransaction)
        _ = try db.transaction { () throws(SQLiteError) in try db.execute("INSERT INTO t VALUES (2)", []) }
        #expect(try db.scalar("SELECT COUNT(*) FROM t") == .integer(1))
    }

    @Test("a savepoint rolls back only its own work")
    func savepoints() throws {
        let (db, path) = try makeDatabase()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try db.execute("CREATE TABLE t (v INTEGER)")
        try db.begin()
        try db.execute("INSERT INTO t VALUES (1)", [])
        try db.savepoint("row")
        try db.execute("INSERT INTO t VALUES (2)", [])
        try db.rollback(to: "row")
        try db.savepoint("row")
        try db.execute("INSERT INTO t VALUES (3)", [])
        try db.release("row")
        try db.commit()
        #expect(try db.query("SELECT v FROM t ORDER BY v") == [[.integer(1)], [.integer(3)]])
    }

    @Test("the migrator applies each version once, across connections")
    func migrator() throws {
        let (db, path) = try makeDatabase()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let migrator = Migrator(migrations: [
            .init(version: 2, name: "b", sql: "ALTER TABLE a ADD COLUMN y TEXT"),
            .init(version: 1, name: "a", sql: "CREATE TABLE a (x)"),
        ])
        #expect(try migrator.migrate(db) == [1, 2])
        let other = try Connection(path: path)
        #expect(try migrator.migrate(other) == [])
        #expect(try migrator.currentVersion(other) == 2)
        #expect(try db.columns(of: "a").map(\.name) == ["x", "y"])
    }

    @Test("a failing migration leaves the previous version in place")
    func failingMigration() throws {
        let (db, path) = try makeDatabase()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let migrator = Migrator(migrations: [
            .init(version: 1, name: "a", sql: "CREATE TABLE a (x)"),
            .init(version: 2, name: "broken", sql: "CREATE TABLE b (y); CREATE TABLE a (x)"),
        ])
        #expect(throws: SQLiteError.self) { try migrator.migrate(db) }
        #expect(try migrator.currentVersion(db) == 1)
        #expect(try !db.tableExists("b"))
    }

    @Test("quoteIdentifier doubles embedded quotes")
    func quoting() {
        #expect(quoteIdentifier("a\"b") == "\"a\"\"b\"")
    }
}

@Suite("Row execution")
struct RowExecutionTests {
    @Test("executeRow binds packed text, numbers and nulls, and reports constraint errors")
    func executeRow() throws {
        let db = try Connection(path: ":memory:")
        try db.execute("CREATE TABLE t (k TEXT PRIMARY KEY, a TEXT, b INTEGER, c REAL, d TEXT)")
        let insert = try db.prepare("INSERT INTO t VALUES (?, ?, ?, ?, ?) ON CONFLICT (k) DO NOTHING")
        var scratch: [UInt8] = []
        #expect(try insert.executeRow(["k1", "a longer text value that is not a small string", .integer(3), .real(1.5), ""], scratch: &scratch) == 1)
        #expect(try insert.executeRow(["k2", "ü", .null, .null, "x"], scratch: &scratch) == 1)
        #expect(try insert.executeRow(["k1", "dup", .null, .null, .null], scratch: &scratch) == 0)
        #expect(try db.query("SELECT k, a, b, c, d FROM t ORDER BY k") == [
            ["k1", "a longer text value that is not a small string", .integer(3), .real(1.5), ""],
            ["k2", "ü", .null, .null, "x"],
        ])
        let strict = try db.prepare("INSERT INTO t (k) VALUES (?)")
        #expect(throws: SQLiteError.self) { try strict.executeRow(["k1"], scratch: &scratch) }
        #expect(try strict.executeRow(["k3"], scratch: &scratch) == 1)
    }

    @Test("executeRow binds large texts in place among small ones, and a row after them reuses a small scratch buffer")
    func executeRowLargeTexts() throws {
        let db = try Connection(path: ":memory:")
        try db.execute("CREATE TABLE t (a TEXT, b TEXT, c INTEGER, d TEXT, e TEXT)")
        let insert = try db.prepare("INSERT INTO t VALUES (?, ?, ?, ?, ?)")
        var scratch: [UInt8] = []
        let big = String(repeating: "é", count: 40 << 10)  // 80 KiB of UTF-8
        let bigger = String(repeating: "z", count: 3 << 20)
        #expect(try insert.executeRow([.text(big), "small", .integer(7), .text(bigger), .null], scratch: &scratch) == 1)
        #expect(scratch.count == 5)
        #expect(try insert.executeRow(["x", "", .null, .text(big), "y"], scratch: &scratch) == 1)
        #expect(try db.query("SELECT a, b, c, d, e FROM t ORDER BY rowid") == [
            [.text(big), "small", .integer(7), .text(bigger), .null],
            ["x", "", .null, .text(big), "y"],
        ])
        // A constraint failure with large texts bound in place is an error like any other.
        try db.execute("CREATE TABLE u (a TEXT NOT NULL, b TEXT)")
        let strict = try db.prepare("INSERT INTO u VALUES (?, ?)")
        #expect(throws: SQLiteError.self) { try strict.executeRow([.null, .text(bigger)], scratch: &scratch) }
        #expect(try strict.executeRow(["ok", .text(bigger)], scratch: &scratch) == 1)
    }
}
