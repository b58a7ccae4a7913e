/// The table rows land in and what to do when a key already exists.
public struct TargetSpec: Sendable, Equatable {
    /// An SQL identifier not starting with `ingest_`.
    public var table: String
    /// Target columns identifying a record; empty means every row inserts.
    public var key: [String]
    /// What to do when a row's key exists (default `skip`).
    public var onDuplicate: DuplicateStrategy
    /// `update_if_newer`: the column compared as a date/time or number.
    public var newerBy: String?
    /// Create the table when missing.
    public var createTable: Bool
    public init(table: String, key: [String] = [], onDuplicate: DuplicateStrategy = .skip, newerBy: String? = nil, createTable: Bool = true) {
        self.table = table; self.key = key; self.onDuplicate = onDuplicate; self.newerBy = newerBy; self.createTable = createTable
    }
}

/// What to do when a row's key already exists in the target table.
public enum DuplicateStrategy: String, Sendable, Equatable, CaseIterable {
    case skip, update, upsert, fail
    case updateIfNewer = "update_if_newer"
}
