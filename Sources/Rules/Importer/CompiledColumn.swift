import Definitions

/// What the engine needs to know about one target column: its SQL shape and the checks only
/// the database can make (`unique`, `exists`, `lookup`).
package struct CompiledColumn: Sendable {
    /// Target column name.
    package let name: String
    /// The declared type; decides how `values` are typed (see `TypedValue`).
    package let type: ColumnType
    /// The created column's type: `TEXT`, `INTEGER`, `REAL`, or `ColumnSpec.sqlType`;
    /// a lookup column holds the selected key, so it is `INTEGER` unless overridden.
    package let sqlType: String
    /// Part of `target.key`.
    package let isKey: Bool
    /// `lookup`: the engine turns the row's value into this foreign key (or the lookup error).
    package let lookup: LookupSpec?
    /// `unique`: the value must not already exist in the target table (one `IN` query per chunk).
    package let unique: DeferredRule?
    /// `exists:table,column`: the value must exist in another table.
    package let exists: ExistsRule?
    /// Whether the column may hold NULL: false only for `required` columns not marked nullable.
    package let nullable: Bool
    /// `relate_many`: the value lists related values and the row syncs a pivot table; such a
    /// column is not a column of the target table.
    package let relateMany: RelateManySpec?
    /// Whether the column is a column of the target table (not a `relate_many` list).
    package var isStored: Bool { relateMany == nil }
    /// How two values of the column compare as its type (`update_if_newer`'s `newer_by`).
    package let ordering: ValueOrdering

    /// The message for a lookup value with no match: "No categories found where slug = 'x'."
    package func lookupMissingMessage(value: String) -> String {
        guard let lookup else { return "No match found for '\(value)'." }
        return "No \(lookup.table) found where \(lookup.match) = '\(value)'."
    }

    init(name: String, type: ColumnType, sqlType: String, isKey: Bool, lookup: LookupSpec?,
         unique: DeferredRule?, exists: ExistsRule?, nullable: Bool, ordering: ValueOrdering, relateMany: RelateManySpec? = nil) {
        self.name = name; self.type = type; self.sqlType = sqlType; self.isKey = isKey
        self.lookup = lookup; self.unique = unique; self.exists = exists; self.nullable = nullable
        self.ordering = ordering; self.relateMany = relateMany
    }

    /// The message for listed values the related table lacks (`on_missing: fail`).
    package func relateMissingMessage(values: [String]) -> String {
        guard let relate = relateMany else { return "No match found." }
        let list = values.map { "'\($0)'" }.joined(separator: ", ")
        return "No \(relate.related.table) found where \(relate.related.match) = \(values.count == 1 ? list : "any of " + list)."
    }

    /// The SQL type a created table uses for a declared type.
    static func sqlType(for type: ColumnType) -> String {
        switch type {
        case .text, .date, .datetime, .json: return "TEXT"
        case .integer, .boolean: return "INTEGER"
        case .decimal: return "REAL"
        }
    }
}
