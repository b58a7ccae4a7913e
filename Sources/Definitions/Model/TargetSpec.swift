/// The table rows land in and what to do when a key already exists.
package struct TargetSpec: Sendable, Equatable {
    /// An SQL identifier not starting with `ingest_` or `sqlite_` (see `reservedPrefixes`).
    package var table: String
    /// Target columns identifying a record; empty means every row inserts.
    package var key: [String]
    /// What to do when a row's key exists (default `skip`).
    package var onDuplicate: DuplicateStrategy
    /// `update_if_newer`: the column compared as a date/time or number.
    package var newerBy: String?
    /// Let a row whose key has an empty column insert (SQL's NULLs never collide, so it inserts
    /// again on every re-import). Default false: such a row fails.
    package var allowEmptyKey: Bool
    /// Create the table when missing.
    package var createTable: Bool
    /// Add declared columns an existing table lacks (`ALTER TABLE … ADD COLUMN`), as
    /// sqlite-utils' `--alter` does. A column of another type is never changed.
    package var alter: Bool
    /// Create the table keyed by its `key` (`PRIMARY KEY (key) … WITHOUT ROWID`) instead of an
    /// `id` rowid column plus a UNIQUE index on the key: one B-tree per row write instead of two.
    /// Needs a key; applies when the table is created.
    package var withoutRowID: Bool
    package init(table: String, key: [String] = [], onDuplicate: DuplicateStrategy = .skip, newerBy: String? = nil,
                allowEmptyKey: Bool = false, createTable: Bool = true, alter: Bool = false, withoutRowID: Bool = false) {
        self.table = table; self.key = key; self.onDuplicate = onDuplicate; self.newerBy = newerBy
        self.allowEmptyKey = allowEmptyKey; self.createTable = createTable; self.alter = alter
        self.withoutRowID = withoutRowID
    }

    /// Table name prefixes no definition may name, compared ignoring case: Ingest's own
    /// bookkeeping (`ingest_runs`, `ingest_rows`, …) and SQLite's internal tables
    /// (`sqlite_sequence`, `sqlite_master`, `sqlite_stat1`, …). Writing to either breaks the
    /// database for every later run.
    package static let reservedPrefixes = ["ingest_", "sqlite_"]

    /// The reserved prefix `table` starts with, if any.
    package static func reservedPrefix(of table: String) -> String? {
        let lower = table.lowercased()
        return reservedPrefixes.first { lower.hasPrefix($0) }
    }
}

/// What to do when a row's key already exists in the target table.
package enum DuplicateStrategy: String, Sendable, Equatable, CaseIterable {
    case skip, update, upsert, fail
    case updateIfNewer = "update_if_newer"
}
