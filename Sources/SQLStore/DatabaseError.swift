/// An error reported by a database (SQLite or PostgreSQL), with the code the backend gave and the
/// SQL that failed.
///
/// Bound argument values are never part of the message: they may carry user data or secrets.
package struct DatabaseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// SQLite's extended result code (`SQLITE_CONSTRAINT_UNIQUE` is 2067, …). For PostgreSQL, the
    /// SQLite code of the same kind (constraint 19, busy 5, full 13, cannot open 14, else 1), so
    /// callers that test `primaryCode` behave the same on both.
    package let extendedCode: Int32
    /// PostgreSQL's five-character SQLSTATE (`23505` unique violation, …); nil for SQLite.
    package let sqlState: String?
    /// The backend's message, or ours for wrapper-level problems.
    package let message: String
    /// The statement text, when one was involved.
    package let sql: String?

    package init(extendedCode: Int32, message: String, sql: String? = nil) {
        self.extendedCode = extendedCode
        self.sqlState = nil
        self.message = message
        self.sql = sql
    }

    /// A PostgreSQL error: `sqlState` decides the SQLite-equivalent `extendedCode`.
    package init(sqlState: String, message: String, sql: String? = nil) {
        self.sqlState = sqlState
        self.extendedCode = DatabaseError.sqliteEquivalent(of: sqlState)
        self.message = message
        self.sql = sql
    }

    /// The primary result code (`SQLITE_CONSTRAINT` = 19 for every constraint kind).
    package var primaryCode: Int32 { extendedCode & 0xFF }

    /// True for any constraint violation (unique, not null, foreign key, check).
    package var isConstraintViolation: Bool { primaryCode == 19 }

    /// True for a unique or primary-key violation.
    package var isUniqueViolation: Bool {
        if let sqlState { return sqlState == "23505" }
        return extendedCode == 2067 || extendedCode == 1555  // SQLITE_CONSTRAINT_UNIQUE, _PRIMARYKEY
    }

    /// True when another connection holds a lock past the busy timeout (SQLite), or the server
    /// gave up on a lock, a serialization or a deadlock (PostgreSQL): trying again may succeed.
    package var isBusy: Bool { primaryCode == 5 || primaryCode == 6 }

    package var description: String {
        var text = sqlState.map { "PostgreSQL error \($0): \(message)" } ?? "SQLite error \(extendedCode): \(message)"
        if let sql { text += " (while running: \(sql))" }
        return text
    }

    /// The SQLite result code of the same kind as a SQLSTATE.
    static func sqliteEquivalent(of sqlState: String) -> Int32 {
        switch sqlState {
        case "23505": return 2067                               // SQLITE_CONSTRAINT_UNIQUE
        case "23502": return 1299                               // SQLITE_CONSTRAINT_NOTNULL
        case "23503": return 787                                // SQLITE_CONSTRAINT_FOREIGNKEY
        case "23514": return 275                                // SQLITE_CONSTRAINT_CHECK
        case _ where sqlState.hasPrefix("23"): return 19        // SQLITE_CONSTRAINT
        case "40001", "40P01", "55P03", "57014": return 5       // SQLITE_BUSY: retry may succeed
        case "53100": return 13                                 // SQLITE_FULL (disk full)
        case _ where sqlState.hasPrefix("08"): return 14        // SQLITE_CANTOPEN: connection trouble
        default: return 1                                       // SQLITE_ERROR
        }
    }
}

/// The failure of a `transaction` block: the database's or the body's.
package enum TransactionError<Body: Error>: Error {
    case database(DatabaseError)
    case body(Body)
}
