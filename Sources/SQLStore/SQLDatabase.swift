/// Which SQL a connection speaks. Store types write portable SQL with `?` placeholders (each
/// backend binds them) and ask the dialect only where the two differ.
package enum SQLDialect: String, Sendable {
    case sqlite
    case postgres
}

/// How a transaction takes its locks. PostgreSQL takes row locks as it goes, so there every kind
/// is a plain `BEGIN`.
package enum TransactionKind: String, Sendable { case deferred = "DEFERRED", immediate = "IMMEDIATE", exclusive = "EXCLUSIVE" }

/// The store seam: one connection to the database that holds Ingest's bookkeeping tables (and,
/// by default, the targets). SQLite (`SQLite.Connection`) and PostgreSQL
/// (`Postgres.PGConnection`) implement it; the engine's store types hold an `any SQLDatabase`.
///
/// SQL passed here uses `?` placeholders. A connection belongs to one thread at a time.
package protocol SQLDatabase: AnyObject {
    var dialect: SQLDialect { get }
    /// Runs one or more statements without parameters (DDL).
    func execute(_ sql: String) throws(DatabaseError)
    /// Runs one statement with parameters; returns the rows it changed.
    @discardableResult
    func execute(_ sql: String, _ values: [Value]) throws(DatabaseError) -> Int
    /// Runs a query and returns all rows.
    func query(_ sql: String, _ values: [Value]) throws(DatabaseError) -> [[Value]]
    func begin(_ kind: TransactionKind) throws(DatabaseError)
    func commit() throws(DatabaseError)
    /// Rolls back; a no-op when no transaction is open.
    func rollback() throws(DatabaseError)
    /// True while a transaction is open.
    var isInTransaction: Bool { get }
    /// Whether `table` exists (SQLite: any case; PostgreSQL: in the connection's schema search path).
    func tableExists(_ table: String) throws(DatabaseError) -> Bool
    /// Column names and declared types of `table`, in order.
    func columns(of table: String) throws(DatabaseError) -> [(name: String, type: String)]
    /// Runs a query and hands `body` each row in turn, without collecting them: for reads too
    /// large to hold (a run's failed rows). The row is valid only during the call. `body` must
    /// not use the connection (PostgreSQL streams the result on it).
    func forEachRow(_ sql: String, _ values: [Value], _ body: (any SQLRow) throws(DatabaseError) -> Void) throws(DatabaseError)
    /// A number that moves when the database changed: it differs from the last one read
    /// whenever another connection (of any process) has committed since. SQLite: `PRAGMA
    /// data_version`; PostgreSQL: the current snapshot's `xmax`, which moves whenever any write
    /// transaction has started. Compare values of one connection only.
    func changeToken() throws(DatabaseError) -> Int64
}

/// The current row of ``SQLDatabase/forEachRow(_:_:_:)``.
package protocol SQLRow {
    /// Number of result columns.
    var count: Int { get }
    /// Column `index` (0-based).
    func value(_ index: Int) -> Value
    /// The UTF-8 bytes of column `index` when it is text (or a number), without making a
    /// `String`; nil for NULL and for binary values.
    func textBytes(_ index: Int) -> [UInt8]?
}

extension SQLDatabase {
    /// The first column of the first row, or nil.
    package func scalar(_ sql: String, _ values: [Value] = []) throws(DatabaseError) -> Value? {
        try query(sql, values).first?.first
    }

    package func query(_ sql: String) throws(DatabaseError) -> [[Value]] { try query(sql, []) }

    /// Runs an `INSERT … RETURNING id` (both dialects support it) and returns the new row's id.
    package func insertReturningID(_ sql: String, _ values: [Value]) throws(DatabaseError) -> Int64 {
        guard let id = try query(sql + " RETURNING id", values).first?.first?.integerValue else {
            throw DatabaseError(extendedCode: 1, message: "the insert returned no id", sql: sql)
        }
        return id
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    package func transaction<T, E: Error>(_ kind: TransactionKind = .immediate, _ body: () throws(E) -> T) throws(TransactionError<E>) -> T {
        do { try begin(kind) } catch { throw .database(error) }
        let result: T
        do { result = try body() } catch {
            try? rollback()
            throw .body(error)
        }
        do { try commit() } catch {
            try? rollback()
            throw .database(error)
        }
        return result
    }

    /// Opens a savepoint named `name` (an identifier).
    package func savepoint(_ name: String) throws(DatabaseError) { try execute("SAVEPOINT \(name)") }
    /// Releases (keeps) the savepoint's work.
    package func release(_ name: String) throws(DatabaseError) { try execute("RELEASE SAVEPOINT \(name)") }
    /// Undoes the savepoint's work and closes it.
    package func rollback(to name: String) throws(DatabaseError) {
        try execute("ROLLBACK TO SAVEPOINT \(name)")
        try execute("RELEASE SAVEPOINT \(name)")
    }
}

/// Quotes an identifier for SQL (`"name"`, doubling embedded quotes); both dialects accept it.
package func quoteIdentifier(_ name: String) -> String {
    var out = "\""
    out.reserveCapacity(name.utf8.count + 2)
    for ch in name { if ch == "\"" { out += "\"\"" } else { out.append(ch) } }
    return out + "\""
}
