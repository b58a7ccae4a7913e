import Foundation

/// A many-to-many relation (`relate_many`, Laravel Ingest's `relateMany`): the column's cell is
/// a delimited list of values of another table (`"new|sale"`), and each row syncs a pivot table
/// that links the row to the ids of those values. The column itself is not stored.
package struct RelateManySpec: Sendable, Equatable {
    /// What a listed value that the related table lacks does.
    package enum OnMissing: String, Sendable, Equatable, CaseIterable {
        /// The row fails, naming the values (the default).
        case fail
        /// The value is dropped; the rest of the list is related.
        case skip
        /// The value is inserted into the related table (its `match` column), in the row's transaction.
        case create
    }

    /// How the pivot rows of a parent are brought in line with the list.
    package enum Mode: String, Sendable, Equatable, CaseIterable {
        /// Pivot rows of the parent not in the list are deleted, missing ones inserted (the default).
        case sync
        /// Missing pivot rows are inserted; none are deleted.
        case syncWithoutDetaching = "sync_without_detaching"
    }

    /// The pivot table (an SQL identifier).
    package var table: String
    /// The pivot column holding the parent row's id (its rowid).
    package var parentColumn: String
    /// The pivot column holding the related row's id.
    package var relatedColumn: String
    /// The related table: values are matched against `match` and `select` is the id stored.
    package var related: LookupSpec
    /// What a value the related table lacks does.
    package var onMissing: OnMissing
    /// Splits the cell (default `,`); values are trimmed, empties dropped, duplicates collapsed.
    package var separator: String
    /// `sync` or `sync_without_detaching`.
    package var mode: Mode

    package init(table: String, parentColumn: String, relatedColumn: String, related: LookupSpec,
                 onMissing: OnMissing = .fail, separator: String = ",", mode: Mode = .sync) {
        self.table = table; self.parentColumn = parentColumn; self.relatedColumn = relatedColumn
        self.related = related; self.onMissing = onMissing; self.separator = separator; self.mode = mode
    }

    /// The distinct, trimmed, non-empty values of a cell, in the order first written.
    package func values(of cell: String) -> [String] {
        var seen: Set<String> = []
        var out: [String] = []
        for piece in cell.components(separatedBy: separator) {
            let value = piece.trimmingCharacters(in: .whitespacesAndNewlines)
            if !value.isEmpty, seen.insert(value).inserted { out.append(value) }
        }
        return out
    }
}
