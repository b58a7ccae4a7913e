import Definitions
import Rules
import SQLite

/// Writes chunks of validated rows to the target table with the importer's duplicate strategy,
/// resolving lookups and the database-backed rules (`unique`, `exists`) with one `IN (…)` query
/// per chunk and column.
///
/// Duplicate detection needs no prefetch: new rows go through `INSERT … ON CONFLICT(key) DO NOTHING`,
/// and only a row that changed nothing (an existing key) pays a second statement for its strategy.
/// Runs on the write thread only.
final class ChunkWriter {
    let db: Connection
    let table: TargetTable
    let definition: ImporterDefinition
    let header: [String]
    let runID: Int64
    private let insert: Statement
    private let update: Statement?
    /// `update_if_newer`: reads the stored `newer_by` value of a key.
    private let storedNewer: Statement?
    private let newerByIndex: Int?
    /// Per lookup column: match value → selected id. Bounded so a high-cardinality lookup can't grow memory without limit.
    private var lookupCache: [Int: [TypedValue: Int64]] = [:]
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
    }

    init(db: Connection, table: TargetTable, definition: ImporterDefinition, header: [String], runID: Int64) throws(SQLiteError) {
        self.db = db
        self.table = table
        self.definition = definition
        self.header = header
        self.runID = runID
        let names = table.columns.map { quoteIdentifier($0.name) }
        let placeholders = Array(repeating: "?", count: names.count).joined(separator: ", ")
        var insertSQL = "INSERT INTO \(table.quotedName) (\(names.joined(separator: ", "))) VALUES (\(placeholders))"
        if !table.key.isEmpty {
            insertSQL += " ON CONFLICT (\(table.key.map(quoteIdentifier).joined(separator: ", "))) DO NOTHING"
        }
        insert = try db.prepare(insertSQL)
        newerByIndex = definition.target.newerBy.flatMap { n in table.columns.firstIndex { $0.name == n } }
        let nonKey = table.columns.indices.filter { !table.keyIndexes.contains($0) }
        let keyWhere = table.keyIndexes.map { "\(quoteIdentifier(table.columns[$0].name)) = ?" }.joined(separator: " AND ")
        let strategy = definition.target.onDuplicate
        if !table.key.isEmpty, !nonKey.isEmpty, strategy == .update || strategy == .upsert || strategy == .updateIfNewer {
            let sets = nonKey.map { i -> String in
                let c = quoteIdentifier(table.columns[i].name)
                return strategy == .upsert ? "\(c) = COALESCE(?, \(c))" : "\(c) = ?"
            }
            update = try db.prepare("UPDATE \(table.quotedName) SET \(sets.joined(separator: ", ")) WHERE \(keyWhere)")
        } else {
            update = nil
        }
        if strategy == .updateIfNewer, let n = newerByIndex, !table.key.isEmpty {
            // The stored value is read and compared as the column's type (not as SQLite text).
            storedNewer = try db.prepare("SELECT \(quoteIdentifier(table.columns[n].name)) FROM \(table.quotedName) WHERE \(keyWhere)")
        } else {
            storedNewer = nil
        }
        nonKeyIndexes = nonKey
        checkedColumns = table.columns.indices.filter { table.columns[$0].unique != nil || table.columns[$0].exists != nil || table.columns[$0].lookup != nil }
    }

    /// Columns with a database-backed check (unique, exists, lookup): the only ones the
    /// per-row loop visits, so plain columns cost nothing here.
    private let checkedColumns: [Int]

    private let nonKeyIndexes: [Int]

    /// Forgets cached lookup ids (after a rollback may have removed rows they point to).
    func invalidateCaches() { lookupCache.removeAll() }

    /// Writes one batch inside the caller's transaction: prefetch what the database knows, then
    /// row by row in file order check, write and log.
    func write(_ rows: [PendingRow]) throws(SQLiteError) -> BatchOutcome {
        var result = BatchOutcome()
        var facts = try prefetch(rows)
        for row in rows {
            var plan = check(row, against: facts)
            var status = LoggedRow.Status.success
            if plan.errors == nil { status = try store(row, plan: &plan, into: &result) }
            if plan.errors == nil {
                // Values written now count as taken for the rest of the batch.
                for i in facts.uniqueTaken.keys where row.values[i] != .null { facts.uniqueTaken[i]?.insert(row.values[i]) }
            }
            log(row, status: status, errors: plan.errors, into: &result)
        }
        return result
    }

    /// What the database says about a batch's values: one `IN (…)` query per checked column.
    struct DatabaseFacts {
        var uniqueTaken: [Int: Set<TypedValue>] = [:]
        var existsFound: [Int: Set<TypedValue>] = [:]
    }

    /// Fills the lookup cache and reads which values are taken (`unique`) or present (`exists`).
    private func prefetch(_ rows: [PendingRow]) throws(SQLiteError) -> DatabaseFacts {
        var facts = DatabaseFacts()
        guard !checkedColumns.isEmpty else { return facts }
        let valid = rows.filter { $0.errors == nil }
        try prefetchLookups(valid)
        for i in checkedColumns {
            let column = table.columns[i]
            if column.unique != nil {
                facts.uniqueTaken[i] = try existing(values: valid.map { $0.values[i] }, table: table.name, column: column.name)
            }
            if let rule = column.exists {
                facts.existsFound[i] = try existing(values: valid.map { $0.values[i] }, table: rule.table, column: rule.column)
            }
        }
        return facts
    }

    /// A row's database-backed verdict: its errors, the lookup ids found, the lookup values to create.
    struct RowPlan {
        var errors: RowErrors?
        var resolved: [(column: Int, id: Int64)] = []
        var toCreate: [(column: Int, value: TypedValue)] = []
        /// Lookup columns without a match under `on_missing: null`: stored as NULL.
        var nulled: [Int] = []
    }

    /// Judges `unique`, `exists` and lookups for one row.
    private func check(_ row: PendingRow, against facts: DatabaseFacts) -> RowPlan {
        var plan = RowPlan(errors: row.errors)
        guard plan.errors == nil, !checkedColumns.isEmpty else { return plan }
        var validation: [(column: String, messages: [String])] = []
        for i in checkedColumns {
            let value = row.values[i]
            if value == .null { continue }
            let column = table.columns[i]
            var messages: [String] = []
            if let rule = column.unique, facts.uniqueTaken[i, default: []].contains(value) { messages.append(rule.message) }
            if let rule = column.exists, !facts.existsFound[i, default: []].contains(value) { messages.append(rule.message) }
            if let lookup = column.lookup {
                if let id = lookupCache[i]?[value] {
                    plan.resolved.append((i, id))
                } else {
                    switch lookup.onMissing {
                    case .create: plan.toCreate.append((i, value))
                    case .null: plan.nulled.append(i)
                    case .fail: messages.append(column.lookupMissingMessage(value: ChunkWriter.text(of: value)))
                    }
                }
            }
            if !messages.isEmpty { validation.append((column.name, messages)) }
        }
        if !validation.isEmpty { plan.errors = RowErrors(message: RowErrors.invalidData, validation: validation) }
        return plan
    }

    /// Writes a checked row (creating its missing lookup values first, inside a savepoint in
    /// `row` mode). A duplicate under `on_duplicate: fail` or a constraint of the table fails
    /// this row only, through `plan.errors`.
    private func store(_ row: PendingRow, plan: inout RowPlan, into result: inout BatchOutcome) throws(SQLiteError) -> LoggedRow.Status {
        var status = LoggedRow.Status.success
        let savepoint = definition.transaction == .row && !plan.toCreate.isEmpty
        if savepoint { try db.savepoint("ingest_row") }
        do {
            for (i, value) in plan.toCreate { plan.resolved.append((i, try createLookup(column: i, value: value))) }
            switch try writeRow(row.values, lookups: plan.resolved, nulled: plan.nulled) {
            case .created: result.created += 1
            case .updated: result.updated += 1
            case .skipped: result.skipped += 1; status = .skipped
            case .duplicate: plan.errors = RowErrors(message: "Duplicate entry found for key '\(table.keyDescription)'.")
            case .incomparable(let message): plan.errors = RowErrors(message: message)
            }
        } catch where error.isConstraintViolation {
            // A constraint of an existing table (NOT NULL, CHECK, foreign key): this row only.
            plan.errors = RowErrors(message: "The row could not be saved: \(error.message).")
        }
        if savepoint {
            if plan.errors == nil { try db.release("ingest_row") } else {
                try db.rollback(to: "ingest_row")
                for (i, value) in plan.toCreate { lookupCache[i]?[value] = nil }
            }
        }
        return status
    }

    /// Counts a failed row and keeps the rows the importer's `row_log` asks for.
    private func log(_ row: PendingRow, status: LoggedRow.Status, errors: RowErrors?, into result: inout BatchOutcome) {
        var status = status
        if let errors {
            status = .failed
            result.failed += 1
            if result.firstErrors.count < 20 { result.firstErrors.append("Row \(row.recordNumber): \(errors.flatMessage)") }
            if result.firstFailure == nil { result.firstFailure = (row.recordNumber, errors.flatMessage) }
        }
        let keep = definition.rowLog == .all || (definition.rowLog != .none && status == .failed)
        if keep {
            result.logged.append(LoggedRow(runID: runID, rowNumber: row.recordNumber, status: status, data: data(of: row), errors: errors))
        }
    }

    enum WriteOutcome { case created, updated, skipped, duplicate, incomparable(String) }

    private func writeRow(_ values: [TypedValue], lookups: [(column: Int, id: Int64)], nulled: [Int]) throws(SQLiteError) -> WriteOutcome {
        bindValues.removeAll(keepingCapacity: true)
        for v in values { bindValues.append(ChunkWriter.value(v)) }
        for (i, id) in lookups { bindValues[i] = .integer(id) }
        for i in nulled { bindValues[i] = .null }
        let changed = try insert.executeRow(bindValues, scratch: &scratch)
        if table.key.isEmpty || changed > 0 { return .created }
        switch definition.target.onDuplicate {
        case .skip: return .skipped
        case .fail: return .duplicate
        case .update, .upsert, .updateIfNewer:
            guard let update else { return .updated }  // only key columns: nothing to change
            var args = nonKeyIndexes.map { bindValues[$0] }
            args += table.keyIndexes.map { bindValues[$0] }
            if definition.target.onDuplicate == .updateIfNewer {
                guard let n = newerByIndex, values[n] != .null, let storedNewer else { return .skipped }
                let keyArgs = table.keyIndexes.map { bindValues[$0] }
                let stored = try storedNewer.query(keyArgs).first.map { ChunkWriter.typed($0[0]) } ?? .null
                if stored != .null {
                    let column = table.columns[n]
                    guard let newer = column.ordering.isNewer(values[n], than: stored) else {
                        return .incomparable("The stored \(column.name) '\(ChunkWriter.text(of: stored))' is not a \(column.type.rawValue) value, so update_if_newer cannot tell whether this row is newer.")
                    }
                    if !newer { return .skipped }
                }
            }
            return try update.executeRow(args, scratch: &scratch) > 0 ? .updated : .skipped
        }
    }

    /// Reused across rows: the bound values and their packed text.
    private var bindValues: [Value] = []
    private var scratch: [UInt8] = []

    private func prefetchLookups(_ rows: [PendingRow]) throws(SQLiteError) {
        for i in checkedColumns {
            guard let lookup = table.columns[i].lookup else { continue }
            var cache = lookupCache[i] ?? [:]
            if cache.count > ChunkWriter.lookupCacheLimit { cache.removeAll(keepingCapacity: true) }
            var wanted: [TypedValue] = []
            var seen: Set<TypedValue> = []
            for row in rows {
                let v = row.values[i]
                if v != .null && cache[v] == nil && seen.insert(v).inserted { wanted.append(v) }
            }
            var start = 0
            while start < wanted.count {
                let slice = Array(wanted[start..<min(wanted.count, start + ChunkWriter.inBatch)])
                start += slice.count
                let sql = "SELECT \(quoteIdentifier(lookup.match)), \(quoteIdentifier(lookup.select)) FROM \(quoteIdentifier(lookup.table)) WHERE \(quoteIdentifier(lookup.match)) IN (\(Array(repeating: "?", count: slice.count).joined(separator: ",")))"
                for r in try db.query(sql, slice.map(ChunkWriter.value)) {
                    if let id = r[1].integerValue { cache[ChunkWriter.typed(r[0])] = id }
                }
            }
            lookupCache[i] = cache
        }
    }

    private func createLookup(column i: Int, value: TypedValue) throws(SQLiteError) -> Int64 {
        if let id = lookupCache[i]?[value] { return id }  // created by an earlier row of this chunk
        guard let lookup = table.columns[i].lookup else { return 0 }
        try db.execute("INSERT INTO \(quoteIdentifier(lookup.table)) (\(quoteIdentifier(lookup.match))) VALUES (?)", [ChunkWriter.value(value)])
        var id = db.lastInsertRowID
        if lookup.select.lowercased() != "id" && lookup.select.lowercased() != "rowid" {
            id = try db.scalar("SELECT \(quoteIdentifier(lookup.select)) FROM \(quoteIdentifier(lookup.table)) WHERE rowid = ?", [.integer(id)])?.integerValue ?? id
        }
        lookupCache[i, default: [:]][value] = id
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
            let sql = "SELECT \(quoteIdentifier(column)) FROM \(quoteIdentifier(table)) WHERE \(quoteIdentifier(column)) IN (\(Array(repeating: "?", count: slice.count).joined(separator: ",")))"
            for r in try db.query(sql, slice.map(ChunkWriter.value)) { found.insert(ChunkWriter.typed(r[0])) }
        }
        return found
    }

    /// The original row keyed by source header; extra cells of a ragged row get `_extra_N` keys.
    func data(of row: PendingRow) -> [(key: String, value: String)] {
        var out: [(key: String, value: String)] = []
        out.reserveCapacity(row.cells.count)
        for (i, cell) in row.cells.enumerated() {
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
