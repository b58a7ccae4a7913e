/// The table rows land in and what to do when a key already exists.
public struct TargetSpec: Sendable, Equatable {
    /// An SQL identifier not starting with `ingest_` or `sqlite_` (see `reservedPrefixes`).
    public var table: String
    /// Target columns identifying a record; empty means every row inserts.
    public var key: [String]
    /// What to do when a row's key exists (default `skip`).
    public var onDuplicate: DuplicateStrategy
    /// `update_if_newer`: the column compared as a date/time or number.
    public var newerBy: String?
    /// Let a row whose key has an empty column insert (SQL's NULLs never collide, so it inserts
    /// again on every re-import). Default false: such a row fails.
    public var allowEmptyKey: Bool
    /// Create the table when missing.
    public var createTable: Bool
    public init(table: String, key: [String] = [], onDuplicate: DuplicateStrategy = .skip, newerBy: String? = nil,
                allowEmptyKey: Bool = false, createTable: Bool = true) {
        self.table = table; self.key = key; self.onDuplicate = onDuplicate; self.newerBy = newerBy
        self.allowEmptyKey = allowEmptyKey; self.createTable = createTable
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
public enum DuplicateStrategy: String, Sendable, Equatable, CaseIterable {
    case skip, update, upsert, fail
    case updateIfNewer = "update_if_newer"
}
