/// The table rows land in and what to do when a key already exists.
package struct TargetSpec: Sendable, Equatable {
    /// An SQL identifier not starting with `ingest_`, `sqlite_` or `pg_`, nor `information_schema`
    /// (see `reservedPrefixes`).
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
    /// Rows routed to other tables by a source cell's value (`route`); nil: every row goes to `table`.
    package var route: RouteSpec?
    package init(table: String, key: [String] = [], onDuplicate: DuplicateStrategy = .skip, newerBy: String? = nil,
                allowEmptyKey: Bool = false, createTable: Bool = true, alter: Bool = false, withoutRowID: Bool = false) {
        self.table = table; self.key = key; self.onDuplicate = onDuplicate; self.newerBy = newerBy
        self.allowEmptyKey = allowEmptyKey; self.createTable = createTable; self.alter = alter
        self.withoutRowID = withoutRowID
    }

    /// Table name prefixes no definition may name, compared ignoring case: Ingest's own
    /// bookkeeping (`ingest_runs`, `ingest_rows`, …), SQLite's internal tables
    /// (`sqlite_sequence`, `sqlite_master`, `sqlite_stat1`, …) and PostgreSQL's catalogs
    /// (`pg_catalog`, `pg_class`, …). Writing to any of them breaks the database for every later run.
    package static let reservedPrefixes = ["ingest_", "sqlite_", "pg_"]
    /// Whole table names no definition may name, compared ignoring case: PostgreSQL's
    /// `information_schema`.
    package static let reservedNames = ["information_schema"]

    /// The reserved prefix `table` starts with (or the reserved name it is), if any.
    package static func reservedPrefix(of table: String) -> String? {
        let lower = table.lowercased()
        return reservedPrefixes.first { lower.hasPrefix($0) } ?? reservedNames.first { lower == $0 }
    }
}

/// `target.route`: the source header whose trimmed cell picks a row's table. A cell equal to a
/// key of `tables` sends the row there; any other value (or an empty cell) to `target.table`.
/// Every routed table gets the target's columns, key and duplicate strategy.
package struct RouteSpec: Sendable, Equatable {
    /// The source header (exact) whose cell is read.
    package var column: String
    /// Cell value → table, in declaration order.
    package var tables: [(value: String, table: String)]
    package init(column: String, tables: [(value: String, table: String)]) {
        self.column = column; self.tables = tables
    }

    /// The distinct routed tables, in declaration order.
    package var tableNames: [String] {
        var seen: Set<String> = []
        return tables.map(\.table).filter { seen.insert($0.lowercased()).inserted }
    }

    package static func == (a: RouteSpec, b: RouteSpec) -> Bool {
        a.column == b.column && a.tables.map(\.value) == b.tables.map(\.value) && a.tables.map(\.table) == b.tables.map(\.table)
    }
}

/// What to do when a row's key already exists in the target table.
package enum DuplicateStrategy: String, Sendable, Equatable, CaseIterable {
    case skip, update, upsert, fail
    case updateIfNewer = "update_if_newer"
}
