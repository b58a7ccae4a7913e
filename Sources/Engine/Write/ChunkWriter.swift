import Definitions
import Rules
import SQLite

/// Writes chunks of validated rows to the target table with the importer's duplicate strategy,
/// resolving lookups and the database-backed rules (`unique`, `exists`) with one `IN (…)` query
/// per chunk and column.
///
/// Duplicate detection needs no prefetch: new rows go through `INSERT … ON CONFLICT(key) DO NOTHING`,
/// and only a row that changed nothing (an existing key) pays a second statement for its strategy.
/// Rows come as a ``RowBatch``: values are bound straight from the batch's arena (texts in place,
/// with SQLITE_STATIC), so a plain column costs SQLite's bind and nothing else; only columns with
/// a database-backed check (lookups, `unique`, `exists`) and `update_if_newer` read values out.
///
/// Runs on the write thread only.
final class ChunkWriter {
    let db: Connection
    let table: TargetTable
    let definition: ImporterDefinition
    let header: [String]
    let runID: Int64
    /// The row statements of the target table, then of each routed table (`target.route`).
    private let tables: [TableStatements]
    /// `target.route`: the source cell read per row, and its trimmed value → index in ``tables``.
    private let routeColumn: Int?
    private let routes: [String: Int]
    private let newerByIndex: Int?
    /// Per lookup column: match value → selected id. Bounded so a high-cardinality lookup can't grow memory without limit.
    private var lookupCache: [LookupCache]
    private static let lookupCacheLimit = 50_000
    /// Parameters per `IN (…)` query, far below SQLite's 32766 limit.
    private static let inBatch = 500

    /// What writing a batch did. The writer never stops at a failing row: in `chunk` and `all`
    /// modes the executor decides to roll back, and the rest of the file is still checked.
    struct BatchOutcome {
        var created = 0, updated = 0, skipped = 0, failed = 0
        var logged: [LoggedRow] = []
        var firstErrors: [String] = []
        /// The first failing row of the batch: its record number and message.
        var firstFailure: (row: Int, message: String)?
        /// Pivot rows attached and detached, related rows created (`relate_many`).
        var relations = PivotWriter.Counts()
        /// `target.route`: created/updated/skipped per table.
        var tables = TableCounts()
    }

    init(db: Connection, table: TargetTable, definition: ImporterDefinition, header: [String], runID: Int64) throws(SQLiteError) {
        self.db = db
        self.table = table
        self.definition = definition
        self.header = header
        self.runID = runID
        let storedIndexes = table.columns.indices.filter { table.columns[$0].isStored }
        let nonKey = storedIndexes.filter { !table.keyIndexes.contains($0) }
        newerByIndex = definition.target.newerBy.flatMap { n in table.columns.firstIndex { $0.name == n } }
        var statements: [TableStatements] = []
        for t in table.allTables {
            statements.append(try TableStatements(db: db, table: t, stored: storedIndexes, nonKey: nonKey, strategy: definition.target.onDuplicate, newerBy: newerByIndex))
        }
        tables = statements
        (routeColumn, routes) = ChunkWriter.routing(definition.target.route, header: header, tables: table.allTables)
        nonKeyIndexes = nonKey
        self.storedIndexes = storedIndexes
        pivots = PivotWriter(db: db, table: table)
        nests = try NestWriter(db: db, nests: table.nests)
        if pivots != nil || nests != nil, !table.key.isEmpty {
            let keyWhere = table.keyIndexes.map { "\(quoteIdentifier(table.columns[$0].name)) = ?" }.joined(separator: " AND ")
            parentRowID = try db.prepare("SELECT rowid FROM \(table.quotedName) WHERE \(keyWhere)")
        } else {
            parentRowID = nil
        }
        lookupCache = Array(repeating: LookupCache(), count: table.columns.count)
        checks = table.columns.map { ColumnChecks(unique: $0.unique != nil, exists: $0.exists != nil, lookup: $0.lookup?.onMissing) }
        overrides = .allocate(capacity: max(1, table.columns.count))
        overrides.initialize(repeating: .none, count: max(1, table.columns.count))
        checkedColumns = table.columns.indices.filter { table.columns[$0].unique != nil || table.columns[$0].exists != nil || table.columns[$0].lookup != nil }
    }

    /// Columns with a database-backed check (unique, exists, lookup): the only ones the
    /// per-row loop visits, so plain columns cost nothing here.
    private let checkedColumns: [Int]

    private let nonKeyIndexes: [Int]
    /// The columns of the target table (all but `relate_many` lists), in insert order.
    private let storedIndexes: [Int]
    /// The `relate_many` pivots, when the importer has any.
    private let pivots: PivotWriter?
    /// The `nest` child tables, when the importer has any.
    private let nests: NestWriter?
    /// Reads the rowid of an existing row by key: the parent of its pivot rows after an update.
    private let parentRowID: Statement?

    deinit {
        overrides.deinitialize(count: max(1, table.columns.count))
        overrides.deallocate()
    }

    /// Forgets cached lookup ids (after a rollback may have removed rows they point to).
    func invalidateCaches() {
        for i in lookupCache.indices { lookupCache[i].removeAll() }
        pivots?.invalidate()
    }

    /// Writes one batch inside the caller's transaction: prefetch what the database knows, then
    /// row by row in file order check, write and log.
    func write(_ batch: RowBatch) throws(SQLiteError) -> BatchOutcome {
        var result = BatchOutcome()
        let arena = batch.arena
        var facts = try prefetch(batch)
        // The bindings point into the arena, which the parse thread fills again after this batch.
        defer {
            for t in tables { t.clearBindings() }
            nests?.clearBindings()
        }
        nests?.begin(batch)
        for r in 0..<arena.rows.count {
            var plan = check(r, batch, against: facts)
            plan.children = nests?.rows(of: r, in: batch) ?? []
            var status = LoggedRow.Status.success
            if plan.errors == nil { status = try store(r, batch, plan: &plan, into: &result) }
            if plan.errors == nil {
                // Values written now count as taken for the rest of the batch.
                for i in facts.uniqueTaken.keys {
                    let v = arena.value(row: r, column: i)
                    if v != .null { facts.uniqueTaken[i]?.insert(v) }
                }
            }
            log(r, batch, status: status, errors: plan.errors, into: &result)
        }
        return result
    }

    /// What the database says about a batch's values: one `IN (…)` query per checked column.
    struct DatabaseFacts {
        var uniqueTaken: [Int: Set<TypedValue>] = [:]
        var existsFound: [Int: Set<TypedValue>] = [:]
    }

    /// Fills the lookup cache and reads which values are taken (`unique`) or present (`exists`).
    private func prefetch(_ batch: RowBatch) throws(SQLiteError) -> DatabaseFacts {
        var facts = DatabaseFacts()
        guard !checkedColumns.isEmpty || pivots != nil else { return facts }
        let arena = batch.arena
        let valid = arena.rows.indices.filter { arena.rows[$0].values >= 0 }
        if let pivots {
            let started = ThreadClock.nanoseconds()
            defer { sqliteNanos += ThreadClock.spent(since: started) }
            try pivots.prefetch(valid, arena)
        }
        try prefetchLookups(valid, arena)
        for i in checkedColumns {
            let column = table.columns[i]
            let started = ThreadClock.nanoseconds()
            defer { sqliteNanos += ThreadClock.spent(since: started) }
            if column.unique != nil {
                facts.uniqueTaken[i] = try existing(values: valid.map { arena.value(row: $0, column: i) }, table: table.name, column: column.name)
            }
            if let rule = column.exists {
                facts.existsFound[i] = try existing(values: valid.map { arena.value(row: $0, column: i) }, table: rule.table, column: rule.column)
            }
        }
        return facts
    }

    /// A row's database-backed verdict: its errors and the lookup values to create. The lookup
    /// ids found (and lookups stored as NULL) are in ``overrides``.
    struct RowPlan {
        var errors: RowErrors?
        var toCreate: [(column: Int, value: TypedValue)] = []
        /// The row's `relate_many` lists as ids (and values to create).
        var pivots: [PivotWriter.Plan] = []
        /// The row's `nest` children: per child table, their rows in the batch's child arena.
        var children: [Range<Int>] = []
        var hasChildren: Bool { children.contains { !$0.isEmpty } }
    }

    /// What is bound for a column instead of the row's own value: a lookup's id, or NULL for a
    /// lookup without a match under `on_missing: null`.
    enum Override { case none, id(Int64), null }

    /// Which database-backed checks a column has (read per row without copying its column).
    struct ColumnChecks {
        var unique: Bool, exists: Bool
        var lookup: LookupSpec.OnMissing?
    }
    private let checks: [ColumnChecks]

    /// Judges `unique`, `exists` and lookups for row `r`; sets ``overrides`` of its lookup columns.
    /// A lookup whose value the cache knows costs a hash of the cell's bytes, nothing more.
    private func check(_ r: Int, _ batch: RowBatch, against facts: DatabaseFacts) -> RowPlan {
        var plan = RowPlan(errors: batch.errors(of: r))
        guard plan.errors == nil, !checkedColumns.isEmpty || pivots != nil else { return plan }
        let arena = batch.arena
        let first = Int(arena.rows[r].values)
        var validation: [(column: String, messages: [String])] = []
        if let pivots {
            let (plans, failures) = pivots.check(r)
            plan.pivots = plans
            validation += failures
        }
        for i in checkedColumns {
            overrides[i] = .none
            let cell = arena.cells[first + i]
            if cell.kind == .null { continue }
            let checks = self.checks[i]
            if !checks.unique && !checks.exists, checks.lookup != nil, let id = lookupCache[i].id(of: cell, base: arena.base) {
                overrides[i] = .id(id)
                continue
            }
            let value = arena.value(of: cell)
            var messages: [String] = []
            if checks.unique, let rule = table.columns[i].unique, facts.uniqueTaken[i, default: []].contains(value) { messages.append(rule.message) }
            if checks.exists, let rule = table.columns[i].exists, !facts.existsFound[i, default: []].contains(value) { messages.append(rule.message) }
            if let onMissing = checks.lookup {
                if let id = lookupCache[i].id(of: value) {
                    overrides[i] = .id(id)
                } else {
                    switch onMissing {
                    case .create: plan.toCreate.append((i, value))
                    case .null: overrides[i] = .null
                    case .fail: messages.append(table.columns[i].lookupMissingMessage(value: ChunkWriter.text(of: value)))
                    }
                }
            }
            if !messages.isEmpty { validation.append((table.columns[i].name, messages)) }
        }
        if !validation.isEmpty { plan.errors = RowErrors(message: RowErrors.invalidData, validation: validation) }
        return plan
    }

    /// Writes a checked row (creating its missing lookup values first, inside a savepoint in
    /// `row` mode). A duplicate under `on_duplicate: fail` or a constraint of the table fails
    /// this row only, through `plan.errors`.
    private func store(_ r: Int, _ batch: RowBatch, plan: inout RowPlan, into result: inout BatchOutcome) throws(SQLiteError) -> LoggedRow.Status {
        let arena = batch.arena
        var status = LoggedRow.Status.success
        // A row and its pivot rows (its child rows) stand or fall together, also under `transaction: none`.
        let perRow = definition.transaction == .row || definition.transaction == .none
        let savepoint = (definition.transaction == .row && !plan.toCreate.isEmpty) || (perRow && (!plan.pivots.isEmpty || plan.hasChildren))
        if savepoint { try db.savepoint("ingest_row") }
        var relations = PivotWriter.Counts()
        var tableCounts = TableCounts()
        do {
            for (i, value) in plan.toCreate { overrides[i] = .id(try createLookup(column: i, value: value)) }
            let target = route(r, arena)
            let outcome = try writeRow(r, arena, tables[target])
            let insertedRowID = db.lastInsertRowID
            if routeColumn != nil || nests != nil { tableCounts.add(outcome, to: tables[target].name) }
            if let pivots, !plan.pivots.isEmpty, let parent = try parent(of: r, arena, outcome, inserted: insertedRowID) {
                relations = try pivots.apply(plan.pivots, parent: parent)
            }
            if let nests, plan.hasChildren {
                switch outcome {
                case .created, .updated:
                    if let parent = try nestParent(of: r, arena, outcome, inserted: insertedRowID),
                       let failure = try nests.write(plan.children, of: batch, parent: parent, into: &tableCounts) {
                        plan.errors = RowErrors(message: failure.message)
                    }
                case .skipped: nests.skip(plan.children, into: &tableCounts)
                case .duplicate, .incomparable: break
                }
            }
            if plan.errors == nil { switch outcome {
            case .created: result.created += 1
            case .updated: result.updated += 1
            case .skipped: result.skipped += 1; status = .skipped
            case .duplicate: plan.errors = RowErrors(message: "Duplicate entry found for key '\(table.keyDescription)'.")
            case .incomparable(let message): plan.errors = RowErrors(message: message)
            } }
        } catch where error.isConstraintViolation {
            // A constraint of an existing table (NOT NULL, CHECK, foreign key): this row only.
            plan.errors = RowErrors(message: "The row could not be saved: \(error.message).")
        }
        if savepoint {
            if plan.errors == nil { try db.release("ingest_row") } else {
                try db.rollback(to: "ingest_row")
                for (i, value) in plan.toCreate { lookupCache[i].remove(value) }
                pivots?.forgetCreated(plan.pivots)
            }
        }
        if plan.errors == nil {
            result.relations.add(relations)
            result.tables.add(tableCounts)
        }
        return status
    }

    /// What the children of row `r` hold in their parent column: the parent's single-column key
    /// value, else its rowid (see ``parent(of:_:_:inserted:)``); nil when the row was not written.
    private func nestParent(of r: Int, _ arena: RowArena, _ outcome: WriteOutcome, inserted: Int64) throws(SQLiteError) -> Value? {
        if table.keyIndexes.count == 1, let k = table.keyIndexes.first {
            return ChunkWriter.value(overridden(k, arena.value(row: r, column: k)))
        }
        return try parent(of: r, arena, outcome, inserted: inserted).map { .integer($0) }
    }

    /// The rowid of the row just written (the parent of its pivot rows): the inserted row's, or
    /// the existing row's found by key after an update; nil when the row was not written.
    private func parent(of r: Int, _ arena: RowArena, _ outcome: WriteOutcome, inserted: Int64) throws(SQLiteError) -> Int64? {
        switch outcome {
        case .created: return inserted
        case .updated:
            guard let parentRowID else { return nil }
            let keyArgs = table.keyIndexes.map { ChunkWriter.value(overridden($0, arena.value(row: r, column: $0))) }
            return try parentRowID.query(keyArgs).first?[0].integerValue
        case .skipped, .duplicate, .incomparable: return nil
        }
    }

    /// Counts a failed row and keeps the rows the importer's `row_log` asks for.
    private func log(_ r: Int, _ batch: RowBatch, status: LoggedRow.Status, errors: RowErrors?, into result: inout BatchOutcome) {
        var status = status
        let recordNumber = batch.arena.rows[r].recordNumber
        if let errors {
            status = .failed
            result.failed += 1
            if result.firstErrors.count < 20 { result.firstErrors.append("Row \(recordNumber): \(errors.flatMessage)") }
            if result.firstFailure == nil { result.firstFailure = (recordNumber, errors.flatMessage) }
        }
        let keep = definition.rowLog == .all || (definition.rowLog != .none && status == .failed)
        if keep {
            result.logged.append(LoggedRow(runID: runID, rowNumber: recordNumber, status: status, data: data(of: r, batch.arena), errors: errors))
        }
    }

    enum WriteOutcome { case created, updated, skipped, duplicate, incomparable(String) }

    /// Inserts row `r` of `arena` (its lookup columns as ``overrides`` say), and on an existing
    /// key applies the duplicate strategy.
    private func writeRow(_ r: Int, _ arena: RowArena, _ statements: TableStatements) throws(SQLiteError) -> WriteOutcome {
        let insert = statements.insert
        let first = Int(arena.rows[r].values)
        let cells = arena.cells, base = arena.base
        let sampled = rowsWritten & ChunkWriter.sampleMask == 0
        rowsWritten += 1
        let started = sampled ? ThreadClock.nanoseconds() : 0
        defer {
            if sampled {
                sampledNanos += ThreadClock.spent(since: started)
                sampledRows += 1
            }
        }
        for (p, c) in storedIndexes.enumerated() { try bind(insert, Int32(p + 1), c, cells[first + c], base, arena) }
        let changed = try insert.runBound()
        if table.key.isEmpty || changed > 0 { return .created }
        switch definition.target.onDuplicate {
        case .skip: return .skipped
        case .fail: return .duplicate
        case .update, .upsert, .updateIfNewer:
            guard let update = statements.update else { return .updated }  // only key columns: nothing to change
            if definition.target.onDuplicate == .updateIfNewer, let verdict = try newerVerdict(r, arena, statements.storedNewer) { return verdict }
            var index: Int32 = 1
            for c in nonKeyIndexes { try bind(update, index, c, cells[first + c], base, arena); index += 1 }
            for c in table.keyIndexes { try bind(update, index, c, cells[first + c], base, arena); index += 1 }
            return try update.runBound() > 0 ? .updated : .skipped
        }
    }

    /// The index in ``tables`` of the table row `r` goes to: by its route cell, else the target.
    @inline(__always)
    private func route(_ r: Int, _ arena: RowArena) -> Int {
        guard let routeColumn else { return 0 }
        let row = arena.rows[r]
        guard routeColumn < Int(row.sourceCount) else { return 0 }
        let bytes = arena.bytes(of: arena.cells[Int(row.source) + routeColumn])
        let value = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return routes[value] ?? 0
    }

    /// The route cell's position in the source header and value → index in ``tables``.
    static func routing(_ route: RouteSpec?, header: [String], tables: [TargetTable]) -> (Int?, [String: Int]) {
        guard let route, let column = RouteSpec.headerIndex(of: route.column, in: header) else { return (nil, [:]) }
        var routes: [String: Int] = [:]
        for (value, table) in route.tables {
            routes[value] = tables.firstIndex { $0.name.lowercased() == table.lowercased() } ?? 0
        }
        return (column, routes)
    }

    /// Binds column `c` (its cell, or its override) to parameter `index`: texts in place.
    @inline(__always)
    private func bind(_ statement: Statement, _ index: Int32, _ c: Int, _ cell: RowArena.Cell, _ base: UnsafeMutablePointer<UInt8>, _ arena: RowArena) throws(SQLiteError) {
        let rc: Int32
        switch overrides[c] {
        case .id(let id): rc = statement.bindInteger(id, at: index)
        case .null: rc = statement.bindNull(at: index)
        case .none:
            switch cell.kind {
            case .null: rc = statement.bindNull(at: index)
            case .integer: rc = statement.bindInteger(cell.payload, at: index)
            case .real: rc = statement.bindReal(Double(bitPattern: UInt64(bitPattern: cell.payload)), at: index)
            case .text: rc = statement.bindStaticText(base + Int(cell.payload), count: Int(cell.count), at: index)
            case .list:
                try statement.bind(ChunkWriter.value(arena.value(of: cell)), at: index)
                return
            }
        }
        try statement.check(bind: rc)
    }

    /// `update_if_newer`: `.skipped` when the stored row is as new or newer (or the row has no
    /// `newer_by` value), `.incomparable` when the stored value cannot be compared, nil to update.
    private func newerVerdict(_ r: Int, _ arena: RowArena, _ storedNewer: Statement?) throws(SQLiteError) -> WriteOutcome? {
        guard let n = newerByIndex, let storedNewer else { return .skipped }
        let value = arena.value(row: r, column: n)
        guard value != .null else { return .skipped }
        let keyArgs = table.keyIndexes.map { ChunkWriter.value(overridden($0, arena.value(row: r, column: $0))) }
        let stored = try storedNewer.query(keyArgs).first.map { ChunkWriter.typed($0[0]) } ?? .null
        guard stored != .null else { return nil }
        let column = table.columns[n]
        guard let newer = column.ordering.isNewer(value, than: stored) else {
            return .incomparable("The stored \(column.name) '\(ChunkWriter.text(of: stored))' is not a \(column.type.rawValue) value, so update_if_newer cannot tell whether this row is newer.")
        }
        return newer ? nil : .skipped
    }

    /// A value as bound: a lookup column's id (or NULL) instead of its text.
    private func overridden(_ c: Int, _ value: TypedValue) -> TypedValue {
        switch overrides[c] {
        case .none: return value
        case .id(let id): return .integer(id)
        case .null: return .null
        }
    }

    /// Per column, what ``bind`` uses instead of the row's value; only lookup columns change it.
    private let overrides: UnsafeMutablePointer<Override>

    /// Time inside SQLite on this thread (wall clock): the row statements of every 16th row
    /// (measured, then scaled to all rows), and every prefetch query in full.
    private var rowsWritten = 0
    private var sampledRows = 0
    private var sampledNanos: UInt64 = 0
    private var sqliteNanos: UInt64 = 0
    private static let sampleMask = 15

    /// Estimated wall time spent inside SQLite by this writer so far.
    var sqliteTime: Duration {
        let rows = sampledRows > 0 ? Double(sampledNanos) * Double(rowsWritten) / Double(sampledRows) : 0
        return .nanoseconds(Int64(rows) + Int64(sqliteNanos))
    }

    private func prefetchLookups(_ rows: [Int], _ arena: RowArena) throws(SQLiteError) {
        for i in checkedColumns {
            guard let lookup = table.columns[i].lookup else { continue }
            var cache = lookupCache[i]
            lookupCache[i] = LookupCache()  // no second reference while it changes
            if cache.count > ChunkWriter.lookupCacheLimit { cache.removeAll() }
            var wanted: [TypedValue] = []
            var seen: Set<TypedValue> = []
            let cells = arena.cells, base = arena.base
            for r in rows {
                // Known values cost a hash of their bytes; only unknown ones become values.
                let cell = cells[Int(arena.rows[r].values) + i]
                if cell.kind == .null || cache.id(of: cell, base: base) != nil { continue }
                let v = arena.value(of: cell)
                if seen.insert(v).inserted { wanted.append(v) }
            }
            let started = ThreadClock.nanoseconds()
            defer { sqliteNanos += ThreadClock.spent(since: started) }
            var start = 0
            while start < wanted.count {
                let slice = Array(wanted[start..<min(wanted.count, start + ChunkWriter.inBatch)])
                start += slice.count
                let sql = "SELECT v.column1, t.\(quoteIdentifier(lookup.select)) FROM \(ChunkWriter.valuesList(slice.count)) AS v "
                    + "JOIN \(quoteIdentifier(lookup.table)) AS t ON t.\(quoteIdentifier(lookup.match)) = v.column1"
                for r in try db.query(sql, slice.map(ChunkWriter.value)) {
                    if let id = r[1].integerValue { cache.set(ChunkWriter.typed(r[0]), id: id) }
                }
            }
            lookupCache[i] = cache
        }
    }

    private func createLookup(column i: Int, value: TypedValue) throws(SQLiteError) -> Int64 {
        if let id = lookupCache[i].id(of: value) { return id }  // created by an earlier row of this chunk
        guard let lookup = table.columns[i].lookup else { return 0 }
        try db.execute("INSERT INTO \(quoteIdentifier(lookup.table)) (\(quoteIdentifier(lookup.match))) VALUES (?)", [ChunkWriter.value(value)])
        var id = db.lastInsertRowID
        if lookup.select.lowercased() != "id" && lookup.select.lowercased() != "rowid" {
            id = try db.scalar("SELECT \(quoteIdentifier(lookup.select)) FROM \(quoteIdentifier(lookup.table)) WHERE rowid = ?", [.integer(id)])?.integerValue ?? id
        }
        lookupCache[i].set(value, id: id)
        return id
    }

    /// Which of `values` exist in `table.column`.
    private func existing(values: [TypedValue], table: String, column: String) throws(SQLiteError) -> Set<TypedValue> {
        let distinct = Array(Set(values.filter { $0 != .null }))
        var found: Set<TypedValue> = []
        var start = 0
        while start < distinct.count {
            let slice = Array(distinct[start..<min(distinct.count, start + ChunkWriter.inBatch)])
            start += slice.count
            let sql = "SELECT v.column1 FROM \(ChunkWriter.valuesList(slice.count)) AS v "
                + "WHERE EXISTS (SELECT 1 FROM \(quoteIdentifier(table)) AS t WHERE t.\(quoteIdentifier(column)) = v.column1)"
            for r in try db.query(sql, slice.map(ChunkWriter.value)) { found.insert(ChunkWriter.typed(r[0])) }
        }
        return found
    }

    /// `(VALUES (?), (?), …)` with `count` rows: the values a lookup or `exists` query asks
    /// about, answered as given. The table's column is compared with them under its own
    /// affinity (a text `'7'` finds an INTEGER `7`, as PostgreSQL and Laravel's database find
    /// it), and the answer names the value asked, not the stored one, whose type may differ.
    static func valuesList(_ count: Int) -> String {
        "(VALUES " + Array(repeating: "(?)", count: count).joined(separator: ", ") + ")"
    }

    /// The original row keyed by source header; extra cells of a ragged row get `_extra_N` keys.
    func data(of r: Int, _ arena: RowArena) -> [(key: String, value: String)] {
        let cells = arena.source(of: r)
        var out: [(key: String, value: String)] = []
        out.reserveCapacity(cells.count)
        for (i, cell) in cells.enumerated() {
            out.append((i < header.count ? header[i] : "_extra_\(i - header.count + 1)", cell))
        }
        return out
    }

    static func value(_ v: TypedValue) -> Value {
        switch v {
        case .null: return .null
        case .integer(let i): return .integer(i)
        case .real(let d): return .real(d)
        case .text(let s): return .text(s)
        }
    }

    static func typed(_ v: Value) -> TypedValue {
        switch v {
        case .null: return .null
        case .integer(let i): return .integer(i)
        case .real(let d): return .real(d)
        case .text(let s): return .text(s)
        case .blob(let b): return .text(String(decoding: b, as: UTF8.self))
        }
    }

    static func text(of v: TypedValue) -> String {
        switch v {
        case .null: return ""
        case .integer(let i): return String(i)
        case .real(let d): return String(d)
        case .text(let s): return s
        }
    }
}
