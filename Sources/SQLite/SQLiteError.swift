import CSQLite

/// An error reported by SQLite, with its extended result code and the SQL that failed.
///
/// Bound argument values are never part of the message: they may carry user data or secrets.
package struct SQLiteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// SQLite's extended result code (`SQLITE_CONSTRAINT_UNIQUE` is 2067, …).
    package let extendedCode: Int32
    /// SQLite's message (`sqlite3_errmsg`), or ours for wrapper-level problems.
    package let message: String
    /// The statement text, when one was involved.
    package let sql: String?

    package init(extendedCode: Int32, message: String, sql: String? = nil) {
        self.extendedCode = extendedCode
        self.message = message
        self.sql = sql
    }

    /// The primary result code (`SQLITE_CONSTRAINT` for every constraint kind).
    package var primaryCode: Int32 { extendedCode & 0xFF }

    /// True for any constraint violation (unique, not null, foreign key, check).
    package var isConstraintViolation: Bool { primaryCode == SQLITE_CONSTRAINT }

    /// True when another connection holds a lock past the busy timeout.
    package var isBusy: Bool { primaryCode == SQLITE_BUSY || primaryCode == SQLITE_LOCKED }

    package var description: String {
        var text = "SQLite error \(extendedCode): \(message)"
        if let sql { text += " (while running: \(sql))" }
        return text
    }
}
