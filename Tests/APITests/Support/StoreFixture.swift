import Engine
import Foundation
import PostgresTestServer
import SQLite
import Testing

/// The two stores the engine runs on (docs/POSTGRES.md). The matrix tests take it as their
/// argument, so every case runs once on a SQLite file and once on a PostgreSQL database.
enum Store: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }

    /// A new, empty database of this store: a SQLite file in the fixture's own folder, or a
    /// database of its own on the tests' PostgreSQL server. Without a server (no
    /// `INGEST_TEST_POSTGRES_URL` and none can be started) this throws
    /// ``PostgresTestServer/Unavailable`` with what to install: the postgres case fails, never skips.
    func freshDatabase() throws -> String? {
        switch self {
        case .sqlite: return nil
        case .postgres: return try PostgresTestServer.freshDatabase()
        }
    }
}

extension ProcessFixture {
    /// A fixture whose `--database` is a fresh database of `store`.
    convenience init(_ store: Store, importers: [String: String]) throws {
        try self.init(importers: importers, database: store.freshDatabase())
    }

    /// A connection to the fixture's database, whichever store it is, for reading what runs wrote.
    func store() throws -> any SQLDatabase {
        try DatabaseLocation(database).connect()
    }

    /// The rows of `sql` on the fixture's database (SQLite or PostgreSQL).
    func rows(_ sql: String) throws -> [[Value]] {
        try store().query(sql)
    }

    /// The first value of `sql` as an integer (-1 when there is none).
    func storeScalar(_ sql: String) throws -> Int64 {
        try rows(sql).first?.first?.integerValue ?? -1
    }

    /// The rows of `table` (0 when it does not exist).
    func storeCount(_ table: String) throws -> Int64 {
        let db = try store()
        guard try db.tableExists(table) else { return 0 }
        return try db.query("SELECT COUNT(*) FROM \(quoteIdentifier(table))").first?.first?.integerValue ?? -1
    }

    func storeTableExists(_ table: String) throws -> Bool {
        try store().tableExists(table)
    }

    /// `ingest ARGS --json` run to its end: exit status, the run it printed, stderr.
    func runJSON(_ arguments: [String]) throws -> (status: Int32, run: JSONRun, stderr: String) {
        let result = try ingest(arguments + ["--json"])
        return (result.status, try JSONRun(result.stdout.isEmpty ? result.stderr : result.stdout), result.stderr)
    }
}

extension JSONRun {
    /// created, updated, skipped, failed: the counters the matrix compares.
    var counts: [Int64] { ["created", "updated", "skipped", "failed"].map(progress) }
}
