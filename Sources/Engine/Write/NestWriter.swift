import Definitions
import Rules
import SQLite

/// Writes the child rows of `nest` entries for a ``ChunkWriter``: after a parent row is written,
/// each of its children is inserted into its child table (`parent_column` bound to the parent's
/// key value or id) with the child's duplicate strategy, inside the parent's transaction.
///
/// Runs on the write thread only.
final class NestWriter {
    /// One child table's prepared statements (a class: read per child row without copying).
    private final class Child {
        let nest: CompiledNest
        let insert: Statement
        let update: Statement?
        /// Indexes (into the child's values) of the non-key columns, then of the key columns; the
        /// parent column is bound where `parentInKey` / `parentInSet` say.
        let setColumns: [Int]
        let keyColumns: [Int]
        let parentInKey: Bool
        let table: String
        let keyDescription: String
        let strategy: DuplicateStrategy
        let keyed: Bool

        init(nest: CompiledNest, insert: Statement, update: Statement?, setColumns: [Int], keyColumns: [Int], parentInKey: Bool) {
            self.nest = nest; self.insert = insert; self.update = update; self.setColumns = setColumns
            self.keyColumns = keyColumns; self.parentInKey = parentInKey
            table = nest.spec.table; keyDescription = nest.spec.key.joined(separator: ", ")
            strategy = nest.spec.onDuplicate; keyed = !nest.spec.key.isEmpty
        }
    }

    private let db: Connection
    private let children: [Child]
    /// Per nested table, the next child row of the current batch not written yet.
    private var cursors: [Int] = []

    init?(db: Connection, nests: [CompiledNest]) throws(SQLiteError) {
        guard !nests.isEmpty else { return nil }
        self.db = db
        var children: [Child] = []
        for nest in nests {
            let spec = nest.spec
            let columns = nest.importer.columns.map(\.name)
            let names = (columns + [spec.parentColumn]).map(quoteIdentifier)
            var insertSQL = "INSERT INTO \(quoteIdentifier(spec.table)) (\(names.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: names.count).joined(separator: ", ")))"
            if !spec.key.isEmpty { insertSQL += " ON CONFLICT (\(spec.key.map(quoteIdentifier).joined(separator: ", "))) DO NOTHING" }
            let keyColumns = spec.key.compactMap { k in columns.firstIndex(of: k) }
            let parentInKey = spec.key.contains(spec.parentColumn)
            let setColumns = columns.indices.filter { !spec.key.contains(columns[$0]) }
            var update: Statement?
            if !spec.key.isEmpty, spec.onDuplicate == .update || spec.onDuplicate == .upsert {
                var sets = setColumns.map { i -> String in
                    let c = quoteIdentifier(columns[i])
                    return spec.onDuplicate == .upsert ? "\(c) = COALESCE(?, \(c))" : "\(c) = ?"
                }
                if !parentInKey { sets.append("\(quoteIdentifier(spec.parentColumn)) = ?") }
                var keyWhere = keyColumns.map { "\(quoteIdentifier(columns[$0])) = ?" }
                if parentInKey { keyWhere.append("\(quoteIdentifier(spec.parentColumn)) = ?") }
                if !sets.isEmpty {
                    update = try db.prepare("UPDATE \(quoteIdentifier(spec.table)) SET \(sets.joined(separator: ", ")) WHERE \(keyWhere.joined(separator: " AND "))")
                }
            }
            children.append(Child(nest: nest, insert: try db.prepare(insertSQL), update: update, setColumns: setColumns,
                                  keyColumns: keyColumns, parentInKey: parentInKey))
        }
        self.children = children
    }

    /// Starts a batch: children are read in file order from here.
    func begin(_ batch: RowBatch) { cursors = Array(repeating: 0, count: children.count) }

    /// The child rows of parent row `r` of `batch`, per nested table: index ranges into its arena.
    /// Call once per parent row, in order.
    func rows(of r: Int, in batch: RowBatch) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        for k in children.indices {
            guard k < batch.children.count else { ranges.append(0..<0); continue }
            let arena = batch.children[k]
            var end = cursors[k]
            // Skip children of earlier parents not written (their parent failed at the database).
            while end < arena.rows.count, Int(arena.rows[end].parent) < r { end += 1 }
            let start = end
            while end < arena.rows.count, Int(arena.rows[end].parent) == r { end += 1 }
            cursors[k] = end
            ranges.append(start..<end)
        }
        return ranges
    }

    /// Why a child could not be written: the row fails with this message.
    struct Failure: Error { let message: String }

    /// Writes the children of one parent (`parent` bound to each child's parent column),
    /// counting created/updated/skipped per child table into `counts`.
    func write(_ ranges: [Range<Int>], of batch: RowBatch, parent: Value, into counts: inout TableCounts) throws(SQLiteError) -> Failure? {
        for (k, range) in ranges.enumerated() where !range.isEmpty {
            let child = children[k]
            let arena = batch.children[k]
            var outcome = RunSummary.Outcome(created: 0, updated: 0, skipped: 0)
            defer { counts.add(outcome, to: child.table) }
            for c in range {
                func path() -> String { "\(child.nest.spec.path)[\(arena.rows[c].recordNumber)]" }
                let written: ChunkWriter.WriteOutcome
                do {
                    written = try write(c, arena, parent: parent, child)
                } catch where error.isConstraintViolation {
                    return Failure(message: "The child row \(path()) could not be saved in the child table '\(child.table)': \(error.message).")
                }
                switch written {
                case .created: outcome.created += 1
                case .updated: outcome.updated += 1
                case .skipped: outcome.skipped += 1
                case .duplicate, .incomparable:
                    return Failure(message: "Duplicate entry found for key '\(child.keyDescription)' in the child table '\(child.table)' (\(path())).")
                }
            }
        }
        return nil
    }

    /// Inserts child row `c` of `arena` (its texts bound in place); on an existing key applies
    /// the child's duplicate strategy.
    private func write(_ c: Int, _ arena: RowArena, parent: Value, _ child: Child) throws(SQLiteError) -> ChunkWriter.WriteOutcome {
        let first = Int(arena.rows[c].values)
        let insert = child.insert
        for i in 0..<arena.width { try NestWriter.bind(insert, Int32(i + 1), arena.cells[first + i], arena) }
        try insert.bind(parent, at: Int32(arena.width + 1))
        if try insert.runBound() > 0 || !child.keyed { return .created }
        switch child.strategy {
        case .skip, .updateIfNewer: return .skipped
        case .fail: return .duplicate
        case .update, .upsert:
            guard let update = child.update else { return .updated }  // only key columns: nothing to change
            var index: Int32 = 1
            for i in child.setColumns { try NestWriter.bind(update, index, arena.cells[first + i], arena); index += 1 }
            if !child.parentInKey { try update.bind(parent, at: index); index += 1 }
            for i in child.keyColumns { try NestWriter.bind(update, index, arena.cells[first + i], arena); index += 1 }
            if child.parentInKey { try update.bind(parent, at: index) }
            return try update.runBound() > 0 ? .updated : .skipped
        }
    }

    /// Binds a child value: texts in place (SQLITE_STATIC; ``clearBindings()`` before the arena changes).
    @inline(__always)
    private static func bind(_ statement: Statement, _ index: Int32, _ cell: RowArena.Cell, _ arena: RowArena) throws(SQLiteError) {
        let rc: Int32
        switch cell.kind {
        case .null: rc = statement.bindNull(at: index)
        case .integer: rc = statement.bindInteger(cell.payload, at: index)
        case .real: rc = statement.bindReal(Double(bitPattern: UInt64(bitPattern: cell.payload)), at: index)
        case .text: rc = statement.bindStaticText(arena.base + Int(cell.payload), count: Int(cell.count), at: index)
        case .list:
            try statement.bind(ChunkWriter.value(arena.value(of: cell)), at: index)
            return
        }
        try statement.check(bind: rc)
    }

    /// Releases the bindings into the batch's arenas (after the batch).
    func clearBindings() {
        for child in children {
            child.insert.clearBindings()
            child.update?.clearBindings()
        }
    }

    /// Counts every child of `ranges` as skipped (their parent was skipped as a duplicate).
    func skip(_ ranges: [Range<Int>], into counts: inout TableCounts) {
        for (k, range) in ranges.enumerated() where !range.isEmpty {
            counts.add(RunSummary.Outcome(created: 0, updated: 0, skipped: range.count), to: children[k].table)
        }
    }
}
