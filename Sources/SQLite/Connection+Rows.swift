import CSQLite

/// Streaming reads and the change token: the rest of the store seam.
extension Connection {
    /// Steps through the rows of `sql`, handing `body` each one. Uses the cached statement unless
    /// it is already stepping (a nested read of the same SQL gets its own).
    package func forEachRow(_ sql: String, _ values: [Value], _ body: (any SQLRow) throws(SQLiteError) -> Void) throws(SQLiteError) {
        defer { turns?.endWait() }
        let cached = try cachedStatement(sql)
        let statement = sqlite3_stmt_busy(cached.handle) != 0 ? try prepare(sql) : cached
        statement.reset()
        defer { statement.reset() }
        try statement.bind(values)
        let row = StatementRow(statement: statement)
        while try statement.step() { try body(row) }
    }

    /// `PRAGMA data_version`: it moves whenever another connection (of this process or any
    /// other) has committed since the last call, and never for this connection's own commits.
    package func changeToken() throws(SQLiteError) -> Int64 {
        try scalar("PRAGMA data_version")?.integerValue ?? 0
    }
}

/// The current row of a stepping statement.
struct StatementRow: SQLRow {
    let statement: Statement
    var count: Int { statement.columnCount }
    func value(_ index: Int) -> Value { statement.column(index) }
    func textBytes(_ index: Int) -> [UInt8]? { statement.columnIsBlob(index) ? nil : statement.columnBytes(index) }
}
