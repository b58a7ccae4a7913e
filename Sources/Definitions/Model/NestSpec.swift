/// `nest` (Laravel Ingest's `nest`): an array inside each JSON/NDJSON source object
/// (`"lines": [{…}, …]`) imported into a child table. Each element of the array is one child
/// row with its own columns, transforms, rules, key and duplicate strategy; the child table's
/// `parent_column` holds the parent row's key value (its single-column `key`, else its id).
/// A parent row and its children are written together: a failing child fails its parent row.
package struct NestSpec: Sendable, Equatable {
    /// The source key of the array (`lines`, or a dotted key such as `order.lines` for an array
    /// inside a nested object), matched exactly.
    package var path: String
    /// The child table (an SQL identifier outside the reserved namespaces).
    package var table: String
    /// The child column that holds the parent's key value (or the parent's id).
    package var parentColumn: String
    /// Child columns in file order; `from` names keys of each array element.
    package var columns: [ColumnSpec]
    /// Child columns (and/or `parent_column`) identifying a child row; empty: every child inserts.
    package var key: [String]
    /// What a child row whose key exists does (default `skip`); `update_if_newer` is not offered.
    package var onDuplicate: DuplicateStrategy
    /// Create the child table when missing (default true).
    package var createTable: Bool
    /// JSON pointer of this entry in the definition (`/nest/0`), for messages.
    package var pointer: String

    package init(path: String, table: String, parentColumn: String, columns: [ColumnSpec], key: [String] = [],
                 onDuplicate: DuplicateStrategy = .skip, createTable: Bool = true, pointer: String = "/nest/0") {
        self.path = path; self.table = table; self.parentColumn = parentColumn; self.columns = columns
        self.key = key; self.onDuplicate = onDuplicate; self.createTable = createTable; self.pointer = pointer
    }

    /// The formats whose rows can carry nested arrays.
    package static let formats: [FileFormat] = [.json, .ndjson]
}
