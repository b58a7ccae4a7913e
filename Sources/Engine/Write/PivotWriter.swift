import Definitions
import Rules
import SQLite

/// Writes the pivot rows of `relate_many` columns for a ``ChunkWriter``: per batch one `IN (…)`
/// query per relation for the listed values it has not seen (ids kept in a ``LookupCache``), per
/// row the ids of its list, then the pivot synced inside the row's transaction.
///
/// Runs on the write thread only.
final class PivotWriter {
    /// What syncing pivots did: pairs inserted and deleted, related rows created.
    struct Counts: Sendable, Equatable {
        var attached = 0, detached = 0, created = 0
        mutating func add(_ other: Counts) {
            attached += other.attached; detached += other.detached; created += other.created
        }
    }

    /// One row's verdict for one relation: the ids found and the values to create.
    struct Plan {
        var relation: Int
        var ids: [Int64]
        var toCreate: [String]
    }

    private let db: Connection
    private let relations: [(index: Int, column: CompiledColumn, spec: RelateManySpec)]
    private var caches: [LookupCache]
    /// Per relation, per row of the current batch: its list (nil: no value, no sync).
    private var lists: [[[String]?]] = []
    private static let cacheLimit = 50_000
    private static let inBatch = 500

    init?(db: Connection, table: TargetTable) {
        let relations = table.relations
        guard !relations.isEmpty else { return nil }
        self.db = db
        self.relations = relations
        caches = Array(repeating: LookupCache(), count: relations.count)
    }

    /// Forgets cached ids (after a rollback may have removed related rows created).
    func invalidate() { for i in caches.indices { caches[i].removeAll() } }

    /// Splits every valid row's list and fetches the ids of values not cached yet.
    func prefetch(_ rows: [Int], _ arena: RowArena) throws(SQLiteError) {
        lists = Array(repeating: Array(repeating: nil, count: arena.rows.count), count: relations.count)
        for (k, relation) in relations.enumerated() {
            if caches[k].count > PivotWriter.cacheLimit { caches[k].removeAll() }
            var wanted: [String] = []
            var seen: Set<String> = []
            for r in rows {
                guard case .text(let cell) = arena.value(row: r, column: relation.index) else { continue }
                let values = relation.spec.values(of: cell)
                guard !values.isEmpty else { continue }
                lists[k][r] = values
                for v in values where caches[k].id(of: .text(v)) == nil && seen.insert(v).inserted { wanted.append(v) }
            }
            try fetch(wanted, relation: k)
        }
    }

    private func fetch(_ wanted: [String], relation k: Int) throws(SQLiteError) {
        let related = relations[k].spec.related
        var start = 0
        while start < wanted.count {
            let slice = Array(wanted[start..<min(wanted.count, start + PivotWriter.inBatch)])
            start += slice.count
            // The match read back as text, the form the cell values are looked up in (an INTEGER
            // match column would otherwise come back as 5 for the cell "5").
            let sql = "SELECT CAST(\(quoteIdentifier(related.match)) AS TEXT), \(quoteIdentifier(related.select)) FROM \(quoteIdentifier(related.table)) WHERE \(quoteIdentifier(related.match)) IN (\(Array(repeating: "?", count: slice.count).joined(separator: ",")))"
            for row in try db.query(sql, slice.map { .text($0) }) {
                if let id = row[1].integerValue { caches[k].set(ChunkWriter.typed(row[0]), id: id) }
            }
        }
    }

    /// Row `r`'s plans (one per relation with a list) and its messages for unknown values under
    /// `on_missing: fail`, by column name.
    func check(_ r: Int) -> (plans: [Plan], failures: [(column: String, messages: [String])]) {
        var plans: [Plan] = []
        var failures: [(column: String, messages: [String])] = []
        for (k, relation) in relations.enumerated() {
            guard let values = lists[k][r] else { continue }
            var plan = Plan(relation: k, ids: [], toCreate: [])
            var missing: [String] = []
            for v in values {
                if let id = caches[k].id(of: .text(v)) { plan.ids.append(id) } else { missing.append(v) }
            }
            switch relation.spec.onMissing {
            case .fail where !missing.isEmpty: failures.append((relation.column.name, [relation.column.relateMissingMessage(values: missing)]))
            case .create: plan.toCreate = missing
            default: break
            }
            plans.append(plan)
        }
        return (plans, failures)
    }

    /// Creates the plans' missing related rows and syncs the pivots of `parent`.
    func apply(_ plans: [Plan], parent: Int64) throws(SQLiteError) -> Counts {
        var counts = Counts()
        for var plan in plans {
            let spec = relations[plan.relation].spec
            for value in plan.toCreate {
                if let id = caches[plan.relation].id(of: .text(value)) { plan.ids.append(id); continue }  // created by an earlier row
                plan.ids.append(try create(value, relation: plan.relation))
                counts.created += 1
            }
            counts.add(try sync(spec, parent: parent, ids: plan.ids))
        }
        return counts
    }

    /// Forgets the ids of values `plans` created (their savepoint was rolled back).
    func forgetCreated(_ plans: [Plan]) {
        for plan in plans { for value in plan.toCreate { caches[plan.relation].remove(.text(value)) } }
    }

    private func create(_ value: String, relation k: Int) throws(SQLiteError) -> Int64 {
        let related = relations[k].spec.related
        try db.execute("INSERT INTO \(quoteIdentifier(related.table)) (\(quoteIdentifier(related.match))) VALUES (?)", [.text(value)])
        var id = db.lastInsertRowID
        if related.select.lowercased() != "id" && related.select.lowercased() != "rowid" {
            id = try db.scalar("SELECT \(quoteIdentifier(related.select)) FROM \(quoteIdentifier(related.table)) WHERE rowid = ?", [.integer(id)])?.integerValue ?? id
        }
        caches[k].set(.text(value), id: id)
        return id
    }

    /// `sync`: deletes the parent's pairs not in `ids`; both modes insert the missing pairs.
    private func sync(_ spec: RelateManySpec, parent: Int64, ids: [Int64]) throws(SQLiteError) -> Counts {
        var counts = Counts()
        let pivot = quoteIdentifier(spec.table), p = quoteIdentifier(spec.parentColumn), r = quoteIdentifier(spec.relatedColumn)
        if spec.mode == .sync {
            let keep = Set(ids)
            let existing = try db.cachedStatement("SELECT \(r) FROM \(pivot) WHERE \(p) = ?").query([.integer(parent)])
            let delete = try db.cachedStatement("DELETE FROM \(pivot) WHERE \(p) = ? AND \(r) = ?")
            for row in existing {
                guard let id = row[0].integerValue, !keep.contains(id) else { continue }
                counts.detached += try delete.execute([.integer(parent), .integer(id)])
            }
        }
        // Only the UNIQUE pair is let pass; a CHECK, NOT NULL or trigger of the pivot still fails the row.
        let insert = try db.cachedStatement("INSERT INTO \(pivot) (\(p), \(r)) VALUES (?, ?) ON CONFLICT DO NOTHING")
        for id in ids { counts.attached += try insert.execute([.integer(parent), .integer(id)]) }
        return counts
    }
}
