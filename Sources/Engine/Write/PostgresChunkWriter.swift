import Definitions
import Postgres
import Rules
import SQLStore

/// Writes chunks into a PostgreSQL target table with set statements: each batch's rows that
/// passed the rules are copied (`COPY … FROM STDIN`, text format) into a temporary staging
/// table with their ordinal, then one `INSERT … SELECT … ON CONFLICT (key) DO …  RETURNING`
/// per pass applies the duplicate strategy. The returned rows, joined back to the staging rows
/// by key, give each row's outcome, so created, updated and skipped counts are exact.
///
/// The same key twice in one batch is split into passes (the first occurrences, then the
/// second, …), so the result equals SQLite's row-by-row order. A batch whose set statements
/// fail on a constraint or a value the column refuses is written again row by row, each row in
/// a savepoint, so only the offending rows fail ("The row could not be saved: …").
///
/// Runs on the write thread only.
final class PostgresChunkWriter: TargetWriter {
    let db: PGConnection
    let table: TargetTable
    let definition: ImporterDefinition
    let header: [String]
    let runID: Int64
    let stored: [Int]
    let nonKey: [Int]
    let newerBy: Int?
    /// Columns with a database-backed check (unique, exists, lookup).
    let checked: [Int]
    /// Per column: lookup value (as text) → selected id.
    var lookupCache: [[String: Int64]]
    static let lookupCacheLimit = 50_000
    /// The declared type (`format_type`) of each column a check compares with (table and column
    /// joined by NUL), read once per run: ``comparison(table:column:_:)``.
    var comparedTypes: [String: String] = [:]
    /// The staging table: temporary, per run, dropped at commit (created again by the next batch).
    let staging: String
    var copy = PGCopyEncoder()
    var nanos: UInt64 = 0

    init(db: PGConnection, table: TargetTable, definition: ImporterDefinition, header: [String], runID: Int64) {
        self.db = db
        self.table = table
        self.definition = definition
        self.header = header
        self.runID = runID
        stored = table.columns.indices.filter { table.columns[$0].isStored }
        nonKey = stored.filter { !table.keyIndexes.contains($0) }
        newerBy = definition.target.newerBy.flatMap { n in table.columns.firstIndex { $0.name == n } }
        checked = table.columns.indices.filter { table.columns[$0].unique != nil || table.columns[$0].exists != nil || table.columns[$0].lookup != nil }
        lookupCache = Array(repeating: [:], count: table.columns.count)
        staging = quoteIdentifier("ingest_stage_\(runID)")
    }

    var databaseTime: Duration { .nanoseconds(Int64(nanos)) }

    func invalidateCaches() {
        for i in lookupCache.indices { lookupCache[i].removeAll() }
    }

    /// A row on its way: its errors, or the values of the stored columns as written.
    struct Pending {
        var errors: RowErrors?
        var values: [TypedValue] = []
        /// Lookup values to insert first (`on_missing: create`): column and value.
        var toCreate: [(column: Int, value: TypedValue)] = []
        var outcome = Written.created
    }

    enum Written { case created, updated, skipped }

    func write(_ batch: RowBatch) throws(DatabaseError) -> BatchOutcome {
        var result = BatchOutcome()
        let facts = try timed { () throws(DatabaseError) in try prefetch(batch) }
        var rows = plan(batch, facts)
        let rowByRow = definition.transaction == .row && rows.contains { !$0.toCreate.isEmpty }
        try timed { () throws(DatabaseError) in
            if rowByRow { try writeRowByRow(&rows) } else { try writeBulk(&rows) }
        }
        for r in rows.indices { log(r, batch, rows[r], into: &result) }
        return result
    }

    /// Tries the set statements inside a savepoint; on a row-level error (a constraint, a value
    /// the column refuses) undoes them and writes the batch row by row.
    private func writeBulk(_ rows: inout [Pending]) throws(DatabaseError) {
        try db.savepoint("ingest_batch")
        var created: [(Int, TypedValue)] = []
        do {
            for r in rows.indices where rows[r].errors == nil {
                for (i, value) in rows[r].toCreate {
                    let id = try createLookup(column: i, value: value)
                    created.append((i, value))
                    rows[r].values[stored.firstIndex(of: i) ?? 0] = .integer(id)
                }
            }
            var attempt = rows
            try applySet(&attempt)
            try db.release("ingest_batch")
            rows = attempt
        } catch where PostgresChunkWriter.failsRowOnly(error) {
            try db.rollback(to: "ingest_batch")
            for (i, value) in created { lookupCache[i][ChunkWriter.text(of: value)] = nil }
            try writeRowByRow(&rows)
        }
    }

    /// Errors that belong to a row's values, not to the connection or the statement: integrity
    /// constraints (23), data exceptions (22, a value the column type refuses) and a row the
    /// statement would change twice (21000).
    static func failsRowOnly(_ error: DatabaseError) -> Bool {
        guard let state = error.sqlState else { return error.isConstraintViolation }
        return state.hasPrefix("23") || state.hasPrefix("22") || state == "21000"
    }

    @discardableResult
    func timed<T>(_ body: () throws(DatabaseError) -> T) throws(DatabaseError) -> T {
        let started = ThreadClock.nanoseconds()
        defer { nanos += ThreadClock.spent(since: started) }
        return try body()
    }

    /// Counts a row and keeps it when the importer's `row_log` asks.
    private func log(_ r: Int, _ batch: RowBatch, _ row: Pending, into result: inout BatchOutcome) {
        var status: LoggedRow.Status = row.outcome == .skipped ? .skipped : .success
        let recordNumber = batch.arena.rows[r].recordNumber
        if let errors = row.errors {
            status = .failed
            result.failed += 1
            if result.firstErrors.count < 20 { result.firstErrors.append("Row \(recordNumber): \(errors.flatMessage)") }
            if result.firstFailure == nil { result.firstFailure = (recordNumber, errors.flatMessage) }
        } else {
            switch row.outcome {
            case .skipped: result.skipped += 1
            case .updated: result.updated += 1
            case .created: result.created += 1
            }
        }
        let keep = definition.rowLog == .all || (definition.rowLog != .none && status == .failed)
        if keep {
            result.logged.append(LoggedRow(runID: runID, rowNumber: recordNumber, status: status, data: data(of: r, batch.arena), errors: row.errors))
        }
    }

    /// The original row keyed by source header; extra cells of a ragged row get `_extra_N` keys.
    func data(of r: Int, _ arena: RowArena) -> [(key: String, value: String)] {
        arena.source(of: r).enumerated().map { i, cell in (i < header.count ? header[i] : "_extra_\(i - header.count + 1)", cell) }
    }
}
