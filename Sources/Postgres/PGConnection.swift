import CPq
@_exported import SQLStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One connection to a PostgreSQL server through libpq, implementing the store seam.
///
/// - Opens from a `postgres://` / `postgresql://` URL or a libpq conninfo string; the password
///   comes from libpq's own means (`PGPASSWORD`, `~/.pgpass`, `PGPASSFILE`). Errors and
///   descriptions show ``location``'s redacted form only.
/// - `?` placeholders are rewritten to `$n` (see ``Placeholders``); each SQL text is prepared
///   once and cached by text, like SQLite's statement cache.
/// - Results are read in text format and mapped by column type: `int2`/`int4`/`int8`/`oid` →
///   `.integer`; `float4`/`float8` → `.real`; `numeric` → `.text` (exact: a `Double` would round
///   it); `bool` → `.integer` 1 or 0; `bytea` → `.blob`; every other type → `.text`.
/// - Parameters: `.integer`, `.real` and `.text` are sent as text of unknown type, so the server
///   infers each from where it stands; `.blob` as binary (a `bytea` where the server infers one);
///   `.null` as NULL.
///
/// A connection belongs to one thread at a time; it is not `Sendable`. A lost connection makes
/// every call throw (SQLSTATE class 08); ``reset()`` reconnects.
package final class PGConnection: SQLDatabase {
    package var dialect: SQLDialect { .postgres }
    /// Where the connection goes, safe to show.
    package let location: PostgresLocation
    let handle: OpaquePointer
    private var statements: [String: PreparedStatement] = [:]
    private var nextStatementNumber = 0
    /// Set while a COPY … FROM STDIN is under way; nothing else may run on the connection.
    var copyInProgress = false

    struct PreparedStatement {
        let name: String
        let parameterCount: Int
    }

    /// Prepared statements kept at most; past this the cache is emptied (dynamic SQL cannot grow it forever).
    static let statementCacheLimit = 512

    /// Connects. `connectTimeout` (seconds) applies unless the string sets `connect_timeout`.
    package init(_ connectionString: String, connectTimeout: Int = 10) throws(DatabaseError) {
        let location = PostgresLocation(connectionString)
        self.location = location
        let keywords = ["connect_timeout", "fallback_application_name", "dbname", "client_encoding"]
        let values = [String(connectTimeout), "ingest", connectionString, "UTF8"]
        let conn = PGConnection.connect(keywords: keywords, values: values)
        guard let conn else {
            throw DatabaseError(sqlState: "08001", message: "cannot connect to \(location.redacted): out of memory")
        }
        guard PQstatus(conn) == CONNECTION_OK else {
            let message = location.scrub(PGConnection.trimmed(String(cString: PQerrorMessage(conn))))
            PQfinish(conn)
            throw DatabaseError(sqlState: "08001", message: "cannot connect to \(location.redacted): \(message)")
        }
        handle = conn
        PQsetNoticeProcessor(conn, { arg, message in ingest_pg_ignore_notice(arg, message) }, nil)
    }

    private static func connect(keywords: [String], values: [String]) -> OpaquePointer? {
        let keywordPointers = keywords.map { strdup($0) } + [nil]
        let valuePointers = values.map { strdup($0) } + [nil]
        defer {
            keywordPointers.forEach { free($0) }
            valuePointers.forEach { free($0) }
        }
        let constKeywords = keywordPointers.map { UnsafePointer($0) }
        let constValues = valuePointers.map { UnsafePointer($0) }
        return PQconnectdbParams(constKeywords, constValues, 1)
    }

    deinit { PQfinish(handle) }

    /// Reconnects with the same parameters after the server or the network dropped the connection.
    package func reset() throws(DatabaseError) {
        statements.removeAll()
        copyInProgress = false
        PQreset(handle)
        guard PQstatus(handle) == CONNECTION_OK else { throw connectionError(sql: nil) }
    }

    /// False once the connection is lost.
    package var isConnected: Bool { PQstatus(handle) == CONNECTION_OK }

    // MARK: - The store seam

    /// Runs one or more statements without parameters (DDL), in one round trip.
    package func execute(_ sql: String) throws(DatabaseError) {
        try checkUsable(sql: sql)
        let result = PQexec(handle, sql)
        defer { PQclear(result) }
        try check(result, sql: sql)
    }

    /// Runs one statement with parameters; returns the rows it changed (`PQcmdTuples`).
    @discardableResult
    package func execute(_ sql: String, _ values: [Value]) throws(DatabaseError) -> Int {
        let result = try run(sql, values)
        defer { PQclear(result) }
        return Int(String(cString: PQcmdTuples(result))) ?? 0
    }

    /// Runs a query and returns all rows.
    package func query(_ sql: String, _ values: [Value]) throws(DatabaseError) -> [[Value]] {
        let result = try run(sql, values)
        defer { PQclear(result) }
        return PGConnection.rows(of: result)
    }

    /// `BEGIN` for every kind: PostgreSQL takes row locks as it goes.
    package func begin(_ kind: TransactionKind) throws(DatabaseError) { try execute("BEGIN") }

    package func commit() throws(DatabaseError) { try execute("COMMIT") }

    /// Rolls back; a no-op when no transaction is open.
    package func rollback() throws(DatabaseError) {
        guard isInTransaction else { return }
        try execute("ROLLBACK")
    }

    /// True while a transaction is open (also when it failed and waits for its rollback).
    package var isInTransaction: Bool {
        let status = PQtransactionStatus(handle)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE
    }

    /// Whether a table (or view) named exactly `table` exists in the current schema.
    package func tableExists(_ table: String) throws(DatabaseError) -> Bool {
        try scalar("""
            SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relname = ? AND n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
            """, [.text(table)]) != nil
    }

    /// Column names and types (`format_type`: `integer`, `text`, `character varying(20)`, …), in order.
    package func columns(of table: String) throws(DatabaseError) -> [(name: String, type: String)] {
        try query("""
            SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod)
            FROM pg_catalog.pg_attribute a
            JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relname = ? AND n.nspname = current_schema() AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum
            """, [.text(table)]).map { ($0[0].textValue ?? "", $0[1].textValue ?? "") }
    }

    // MARK: - The statement cache

    func statement(for sql: String) -> PreparedStatement? { statements[sql] }

    func nextStatementName() -> String {
        nextStatementNumber += 1
        return "ingest_\(nextStatementNumber)"
    }

    func remember(_ statement: PreparedStatement, for sql: String) {
        if statements.count >= PGConnection.statementCacheLimit, PQtransactionStatus(handle) == PQTRANS_IDLE {
            PQclear(PQexec(handle, "DEALLOCATE ALL"))
            statements.removeAll()
        }
        statements[sql] = statement
    }

    /// Drops `sql`'s statement (its plan went stale); it is prepared again on next use.
    func forget(_ sql: String) {
        guard let statement = statements.removeValue(forKey: sql) else { return }
        if PQtransactionStatus(handle) == PQTRANS_IDLE { PQclear(PQexec(handle, "DEALLOCATE " + quoteIdentifier(statement.name))) }
    }

    // MARK: - Versions

    /// The server's version as `PQserverVersion` gives it (150020 for 15.20).
    package var serverVersionNumber: Int { Int(PQserverVersion(handle)) }

    /// The server's version, `major.minor` (`15.20`).
    package var serverVersion: String { PGConnection.versionText(serverVersionNumber) }

    /// The libpq version, `major.minor` (`15.20`).
    package static var libraryVersion: String { versionText(Int(PQlibVersion())) }

    static func versionText(_ number: Int) -> String {
        number >= 100_000 ? "\(number / 10_000).\(number % 10_000)" : "\(number / 10_000).\(number / 100 % 100).\(number % 100)"
    }
}
