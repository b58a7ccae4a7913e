/// Transactions and savepoints.
extension Connection {
    package func begin(_ kind: TransactionKind = .immediate) throws(SQLiteError) { try execute("BEGIN \(kind.rawValue)") }
    /// Commits; then, if a writer in another connection is waiting, stays out a moment so it gets
    /// its turn (see ``WriterTurns``).
    package func commit() throws(SQLiteError) {
        try execute("COMMIT")
        turns?.yieldToWaiters()
    }
    /// Rolls back; a no-op when no transaction is open (SQLite may already have rolled back).
    package func rollback() throws(SQLiteError) { if isInTransaction { try execute("ROLLBACK") } }

    // `transaction { … }` comes from the SQLDatabase extension (SQLStore), over these three.

    /// Opens a savepoint named `name` (an identifier).
    /// (Prepared once per name: writers open one per row.)
    package func savepoint(_ name: String) throws(SQLiteError) { _ = try cachedStatement("SAVEPOINT \(name)").execute() }
    /// Releases (keeps) the savepoint's work.
    package func release(_ name: String) throws(SQLiteError) { _ = try cachedStatement("RELEASE \(name)").execute() }
    /// Undoes the savepoint's work and closes it.
    package func rollback(to name: String) throws(SQLiteError) { try execute("ROLLBACK TO \(name); RELEASE \(name)") }
}
