import CSQLite
@_exported import SQLStore

/// One SQLite connection, configured for Ingest: WAL, `synchronous=NORMAL`, a busy timeout and
/// foreign keys on.
///
/// A connection is used by one thread at a time (SQLite's multi-thread mode); it is not `Sendable`.
/// Prepared statements are cached by SQL text, so hot statements are compiled once.
package final class Connection: SQLDatabase {
    package var dialect: SQLDialect { .sqlite }
    let handle: OpaquePointer
    /// The database file path (or `:memory:`).
    package let path: String
    private var statementCache: [String: Statement] = [:]
    /// Fair waiting between writers of a database file (see ``WriterTurns``); nil in memory.
    let turns: WriterTurns?

    /// Opens (creating if needed) the database at `path`.
    /// - Parameter busyTimeout: how long to wait on another connection's lock, in milliseconds.
    package init(path: String, busyTimeout: Int32 = 10_000, readOnly: Bool = false) throws(SQLiteError) {
        _ = Connection.configureOnce
        self.path = path
        var db: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)) | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open database"
            if let db { sqlite3_close_v2(db) }
            throw SQLiteError(extendedCode: rc, message: "\(message): \(path)")
        }
        self.handle = db
        sqlite3_extended_result_codes(db, 1)
        if readOnly || path == ":memory:" || path.isEmpty {
            turns = nil
            sqlite3_busy_timeout(db, busyTimeout)
        } else {
            let turns = WriterTurns(databasePath: path, timeoutMs: busyTimeout)
            turns.install(on: db)
            self.turns = turns
        }
        if !readOnly && path != ":memory:" {
            try execute("PRAGMA journal_mode=WAL")
        }
        try execute("PRAGMA synchronous=NORMAL")
        try execute("PRAGMA foreign_keys=ON")
    }

    /// Process-wide SQLite settings, applied before the first connection opens: no global memory
    /// statistics (their mutex costs every allocation; Ingest never reads them).
    private static let configureOnce: Void = {
        _ = ingest_sqlite_disable_memstatus()
    }()

    deinit {
        statementCache.removeAll()
        sqlite3_close_v2(handle)
    }

    func error(code: Int32, sql: String?) -> SQLiteError {
        let ext = sqlite3_extended_errcode(handle)
        let message = String(cString: sqlite3_errmsg(handle))
        return SQLiteError(extendedCode: ext != 0 ? ext : code, message: message, sql: sql)
    }

    /// Runs one or more statements without parameters (DDL, pragmas).
    package func execute(_ sql: String) throws(SQLiteError) {
        var errmsg: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &errmsg)
        turns?.endWait()
        if rc != SQLITE_OK {
            let message = errmsg.map { String(cString: $0) } ?? "error \(rc)"
            sqlite3_free(errmsg)
            throw SQLiteError(extendedCode: sqlite3_extended_errcode(handle), message: message, sql: sql)
        }
    }

    /// Runs one statement with parameters; returns rows changed.
    @discardableResult
    package func execute(_ sql: String, _ values: [Value]) throws(SQLiteError) -> Int {
        defer { turns?.endWait() }
        return try cachedStatement(sql).execute(values)
    }

    /// Runs a query and returns all rows.
    package func query(_ sql: String, _ values: [Value] = []) throws(SQLiteError) -> [[Value]] {
        defer { turns?.endWait() }
        return try cachedStatement(sql).query(values)
    }

    /// The first column of the first row, or nil.
    package func scalar(_ sql: String, _ values: [Value] = []) throws(SQLiteError) -> Value? {
        try query(sql, values).first?.first
    }

    /// A prepared statement owned by the caller (not cached).
    package func prepare(_ sql: String) throws(SQLiteError) -> Statement {
        try Statement(connection: self, sql: sql)
    }

    /// A prepared statement from the cache, compiled on first use.
    package func cachedStatement(_ sql: String) throws(SQLiteError) -> Statement {
        if let s = statementCache[sql] { return s }
        let s = try Statement(connection: self, sql: sql)
        statementCache[sql] = s
        return s
    }

    /// Rowid of the last successful insert on this connection.
    package var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Rows changed by the last statement.
    package var changes: Int { Int(sqlite3_changes(handle)) }

    /// True while a transaction is open.
    package var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Whether `table` exists (case-insensitive, as SQLite compares names).
    package func tableExists(_ table: String) throws(SQLiteError) -> Bool {
        try scalar("SELECT 1 FROM sqlite_master WHERE type='table' AND name=? COLLATE NOCASE", [.text(table)]) != nil
    }

    /// Column names and declared types of `table`, in order.
    package func columns(of table: String) throws(SQLiteError) -> [(name: String, type: String)] {
        try query("SELECT name, type FROM pragma_table_info(?)", [.text(table)]).map {
            ($0[0].textValue ?? "", $0[1].textValue ?? "")
        }
    }

    /// The SQLite library version.
    package static var libraryVersion: String { String(cString: sqlite3_libversion()) }
}
