import Definitions
import Foundation
import SQLite

/// Reads and writes `ingest_runs` and `ingest_rows` on one connection. All of Ingest's SQL about
/// runs lives here (and in the other `Store/` types); the API and the CLI never see a connection.
///
/// Like its connection, a store belongs to one thread at a time.
package final class RunStore {
    let db: any SQLDatabase
    /// The same connection when it is SQLite's: the import's hot path (target writes, the row
    /// log) binds through it directly.
    let sqlite: Connection?
    /// How long a claim or a renewal holds a run's lease: 30,000 ms unless the engine sets it
    /// (``EngineConfiguration/leaseDuration``).
    package var leaseMilliseconds: Int64 = 30_000

    init(connection: any SQLDatabase) {
        self.db = connection
        self.sqlite = connection as? Connection
    }

    /// Opens the SQLite database at `path`, migrating the bookkeeping tables.
    package convenience init(path: String, busyTimeout: Int32 = 10_000) throws(SQLiteError) {
        try self.init(location: .sqlite(path: path), busyTimeout: busyTimeout)
    }

    /// Opens the database at `location`, migrating the bookkeeping tables.
    package convenience init(location: DatabaseLocation, busyTimeout: Int32 = 10_000) throws(SQLiteError) {
        self.init(connection: try Schema.open(location, busyTimeout: busyTimeout))
    }

    /// Whether a transaction is open (a store left inside one must not be reused).
    package var isInTransaction: Bool { db.isInTransaction }

    /// A number that moves whenever another connection (of this process or any other) has
    /// committed to the database since the last call (``SQLDatabase/changeToken()``). A store
    /// used only to watch for changes (the API's read cache) therefore sees every commit there is.
    package func changeToken() throws(SQLiteError) -> Int64 {
        try db.changeToken()
    }

    static let runColumns = """
        id, importer, status, user_id, original_filename, source_path, definition_hash, dry_run, parent_id,
        retried_from_run_id, total_rows, processed_rows, successful_rows, failed_rows, created_rows, updated_rows,
        skipped_rows, bytes_read, bytes_total, summary, failure_reason, cancel_requested, created_at, started_at, completed_at,
        source_url, owner_host, owner_pid, owner_started_at, heartbeat_at, owned_file, source_fingerprint, resume_position,
        rolled_back_rows, resumable, resumed_from_run_id, applied_from_run_id, read_to_end
        """

    /// Facts of a new run.
    package struct NewRun: Sendable {
        package var importer: String
        package var userID: Int64?
        package var originalFilename: String?
        package var sourcePath: String?
        package var sourceURL: String?
        package var definitionHash: String?
        package var dryRun: Bool
        package var parentID: Int64?
        package var retriedFromRunID: Int64?
        /// The file is the engine's (an upload): it deletes it when no run needs it any more.
        package var ownsFile = false
        package var sourceFingerprint: String?
        package var resumedFromRunID: Int64?
        package var appliedFromRunID: Int64?
        /// Where a resumed run starts, and the counters it inherits.
        package var resumePosition = 0
        package var counts = RunCounts()
        package init(importer: String, userID: Int64? = nil, originalFilename: String? = nil, sourcePath: String? = nil,
                    definitionHash: String? = nil, dryRun: Bool = false, parentID: Int64? = nil, retriedFromRunID: Int64? = nil,
                    sourceURL: String? = nil) {
            self.sourceURL = sourceURL
            self.importer = importer; self.userID = userID; self.originalFilename = originalFilename
            self.sourcePath = sourcePath; self.definitionHash = definitionHash; self.dryRun = dryRun
            self.parentID = parentID; self.retriedFromRunID = retriedFromRunID
        }
    }

    /// Records a `pending` run and returns its id. A second active retry, apply or resume of the
    /// same run violates a unique index: that error is a constraint violation.
    package func createRun(_ run: NewRun) throws(SQLiteError) -> Int64 {
        try insert(run)
    }

    /// Records a run in one transaction and returns its id.
    ///
    /// - `claimedBy`: the run starts `processing`, owned by that process (a foreground run of the
    ///   CLI, which no server worker may take); `beforeCommit` then takes its ownership lock.
    /// - `takingFileFrom`: a run continuing another on the same file (apply, resume) takes over
    ///   the file's ownership, and a resume copies the stopped run's row log, so its counters and
    ///   its log describe the whole file.
    package func insert(_ run: NewRun, claimedBy owner: RunOwner? = nil, takingFileFrom from: Int64? = nil,
                       beforeCommit: (Int64) throws(SQLiteError) -> Void = { _ in }) throws(SQLiteError) -> Int64 {
        try db.begin(.immediate)
        do {
            var next = run
            if let from {
                let owned = try db.scalar("SELECT owned_file FROM ingest_runs WHERE id = ?", [.integer(from)])?.textValue
                next.ownsFile = owned != nil && owned == run.sourcePath
            }
            let id = try insertRow(next, owner: owner)
            if owner != nil {
                try db.execute("UPDATE ingest_runs SET lease_until = \(nowMillisSQL) + ? WHERE id = ?", [.integer(leaseMilliseconds), .integer(id)])
            }
            if let from, next.ownsFile { try db.execute("UPDATE ingest_runs SET owned_file = NULL WHERE id = ?", [.integer(from)]) }
            if let from, run.resumedFromRunID == from, run.resumePosition > 0 {
                try db.execute("""
                    INSERT INTO ingest_rows (run_id, row_number, status, data, errors)
                    SELECT CAST(? AS BIGINT), row_number, status, data, errors FROM ingest_rows WHERE run_id = ? ORDER BY id
                    """, [.integer(id), .integer(from)])
            }
            try beforeCommit(id)
            try db.commit()
            return id
        } catch {
            try? db.rollback()
            throw error
        }
    }

    private func insertRow(_ run: NewRun, owner: RunOwner?) throws(SQLiteError) -> Int64 {
        let now = Timestamp.now()
        return try db.insertReturningID("""
            INSERT INTO ingest_runs (importer, status, user_id, original_filename, source_path, definition_hash, dry_run,
                parent_id, retried_from_run_id, created_at, source_url, owned_file, source_fingerprint, resumed_from_run_id,
                applied_from_run_id, resume_position, owner_host, owner_pid, owner_started_at, started_at, heartbeat_at,
                total_rows, processed_rows, successful_rows, failed_rows, created_rows, updated_rows, skipped_rows)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(run.importer), .text(owner == nil ? "pending" : "processing"), .optional(run.userID),
                  .optional(run.originalFilename), .optional(run.sourcePath),
                  .optional(run.definitionHash), .integer(run.dryRun ? 1 : 0), .optional(run.parentID),
                  .optional(run.retriedFromRunID), .text(now), .optional(run.sourceURL),
                  run.ownsFile ? .optional(run.sourcePath) : .null, .optional(run.sourceFingerprint),
                  .optional(run.resumedFromRunID), .optional(run.appliedFromRunID), .integer(Int64(run.resumePosition)),
                  .optional(owner?.host), .optional(owner?.pid), .optional(owner?.startedAt),
                  owner == nil ? .null : .text(now), owner == nil ? .null : .text(now)]
                + RunStore.countValues(run.counts))
    }

    /// Moves a pending run to `processing` for `owner`. Returns false when it was not pending.
    /// The `run.started` deliveries of `webhooks` are queued in the same transaction.
    package func claim(_ id: Int64, owner: RunOwner, definitionHash: String?, webhooks: [WebhookSpec] = []) throws(SQLiteError) -> Bool {
        guard webhooks.contains(where: { $0.events.contains(.started) }) else {
            return try claimRow(id, owner: owner, definitionHash: definitionHash)
        }
        try db.begin(.immediate)
        do {
            let claimed = try claimRow(id, owner: owner, definitionHash: definitionHash)
            if claimed { try enqueueWebhooks(.started, runID: id, hooks: webhooks) }
            try db.commit()
            return claimed
        } catch {
            try? db.rollback()
            throw error
        }
    }

    func claimRow(_ id: Int64, owner: RunOwner, definitionHash: String?) throws(SQLiteError) -> Bool {
        let now = Timestamp.now()
        return try db.execute("""
            UPDATE ingest_runs SET status = 'processing', started_at = ?, heartbeat_at = ?, definition_hash = COALESCE(?, definition_hash),
                owner_host = ?, owner_pid = ?, owner_started_at = ?, lease_until = \(nowMillisSQL) + ? WHERE id = ? AND status = 'pending'
            """, [.text(now), .text(now), .optional(definitionHash), .text(owner.host), .integer(owner.pid), .text(owner.startedAt),
                  .integer(leaseMilliseconds), .integer(id)]) == 1
    }

    /// Records what the run reads: the (downloaded) file, whether the engine owns it, and its fingerprint.
    package func recordSource(_ id: Int64, path: String, owned: Bool, fingerprint: String?) throws(SQLiteError) {
        try db.execute("""
            UPDATE ingest_runs SET source_path = ?, owned_file = CASE WHEN ? THEN ? ELSE owned_file END,
                source_fingerprint = COALESCE(source_fingerprint, ?) WHERE id = ?
            """, [.text(path), .integer(owned ? 1 : 0), .text(path), .optional(fingerprint), .integer(id)])
    }

    /// Stores progress counters and the resume position; also the owner's heartbeat and lease.
    ///
    /// With `owner`, the write is fenced: it changes the run only while `owner` still owns it
    /// processing, and otherwise throws (another node took the run over after the lease passed),
    /// so the chunk it belongs to rolls back instead of committing twice.
    package func updateProgress(_ id: Int64, counts: RunCounts, bytesRead: Int64, bytesTotal: Int64? = nil,
                               resumePosition: Int? = nil, owner: RunOwner? = nil) throws(SQLiteError) {
        let fence = owner == nil ? "" : " AND status = 'processing' AND \(RunStore.ownedBy)"
        let changed = try db.execute("""
            UPDATE ingest_runs SET total_rows = ?, processed_rows = ?, successful_rows = ?, failed_rows = ?, created_rows = ?,
                updated_rows = ?, skipped_rows = ?, bytes_read = ?, bytes_total = COALESCE(?, bytes_total),
                resume_position = COALESCE(?, resume_position), heartbeat_at = ?, lease_until = \(nowMillisSQL) + ? WHERE id = ?\(fence)
            """, RunStore.countValues(counts) + [.integer(bytesRead), .optional(bytesTotal),
                                                 .optional(resumePosition.map(Int64.init)), .text(Timestamp.now()),
                                                 .integer(leaseMilliseconds), .integer(id)]
                + (owner.map(RunStore.ownerValues) ?? []))
        if owner != nil && changed == 0 { throw RunStore.lostOwnership(id) }
    }

    static func countValues(_ c: RunCounts) -> [Value] {
        [c.total, c.processed, c.successful, c.failed, c.created, c.updated, c.skipped].map { .integer(Int64($0)) }
    }

    /// The final facts of a run.
    package struct Ending: Sendable {
        package var status: RunStatus
        package var counts: RunCounts
        package var bytesRead: Int64
        package var bytesTotal: Int64?
        package var summary: RunSummary?
        package var failureReason: String?
        package var rolledBackRows = 0
        package var resumable = false
        package var resumePosition: Int?
        /// Whether every row of the source was read (a retry of only the failed rows is complete).
        package var readToEnd = true
    }

    /// Ends a run that is still `processing` (and, with `owner`, still that owner's). Returns
    /// false (and changes nothing) when it is not: a final status is never overwritten, and a
    /// run another node took over is not ended by its old owner.
    package func finish(_ id: Int64, _ e: Ending, owner: RunOwner? = nil) throws(SQLiteError) -> Bool {
        let encodedSummary: Value = e.summary.map { .text(RunStore.encode($0).text) } ?? .null
        let now = Timestamp.now()
        return try db.execute("""
            UPDATE ingest_runs SET status = ?, total_rows = ?, processed_rows = ?, successful_rows = ?, failed_rows = ?,
                created_rows = ?, updated_rows = ?, skipped_rows = ?, bytes_read = ?, bytes_total = COALESCE(?, bytes_total),
                summary = ?, failure_reason = ?, rolled_back_rows = ?, resumable = ?, resume_position = COALESCE(?, resume_position),
                read_to_end = ?, started_at = COALESCE(started_at, ?), completed_at = ? WHERE id = ? AND status = 'processing'\(owner == nil ? "" : " AND " + RunStore.ownedBy)
            """, [.text(e.status.rawValue)] + RunStore.countValues(e.counts) + [
                .integer(e.bytesRead), .optional(e.bytesTotal), encodedSummary, .optional(e.failureReason),
                .integer(Int64(e.rolledBackRows)), .integer(e.resumable ? 1 : 0), .optional(e.resumePosition.map(Int64.init)),
                .integer(e.readToEnd ? 1 : 0),
                .text(now), .text(now), .integer(id)] + (owner.map(RunStore.ownerValues) ?? [])) == 1
    }

    /// One run, or nil.
    package func run(_ id: Int64) throws(SQLiteError) -> IngestRun? {
        try queryRuns("SELECT \(RunStore.runColumns) FROM ingest_runs WHERE id = ?", [.integer(id)]).first
    }

    /// A page of runs, newest first, with the total count.
    package func runs(importer: String? = nil, status: RunStatus? = nil, limit: Int, offset: Int) throws(SQLiteError) -> (runs: [IngestRun], total: Int) {
        var conditions: [String] = []
        var args: [Value] = []
        if let importer { conditions.append("importer = ?"); args.append(.text(importer)) }
        if let status { conditions.append("status = ?"); args.append(.text(status.rawValue)) }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let total = Int(try db.scalar("SELECT COUNT(*) FROM ingest_runs \(whereClause)", args)?.integerValue ?? 0)
        let runs = try queryRuns("SELECT \(RunStore.runColumns) FROM ingest_runs \(whereClause) ORDER BY id DESC LIMIT ? OFFSET ?",
                                 args + [.integer(Int64(limit)), .integer(Int64(offset))])
        return (runs, total)
    }

    /// Runs marked `processing`: the candidates for recovery.
    package func processingRuns() throws(SQLiteError) -> [IngestRun] {
        try queryRuns("SELECT \(RunStore.runColumns) FROM ingest_runs WHERE status = 'processing' ORDER BY id")
    }

    /// The id of a pending or processing retry of run `id`, if any.
    package func activeRetry(of id: Int64) throws(SQLiteError) -> Int64? {
        try db.scalar("""
            SELECT id FROM ingest_runs WHERE retried_from_run_id = ? AND status IN ('pending', 'processing') ORDER BY id LIMIT 1
            """, [.integer(id)])?.integerValue
    }

    /// The id of a run continuing `id` (apply or resume) that is active, finished well, or wrote
    /// anything (it started): only one continuation of a run may ever do work, so no row is
    /// imported twice. One that was cancelled or failed before it started does not count.
    package func liveContinuation(of id: Int64, column: ContinuationKind) throws(SQLiteError) -> Int64? {
        try db.scalar("""
            SELECT id FROM ingest_runs WHERE \(column.rawValue) = ? AND (status NOT IN ('failed', 'cancelled') OR started_at IS NOT NULL)
            ORDER BY id DESC LIMIT 1
            """, [.integer(id)])?.integerValue
    }

    /// The id of a finished, real retry of `id` that wrote rows (some failed rows were already
    /// imported again: retrying them once more would import them twice).
    package func finishedRetry(of id: Int64) throws(SQLiteError) -> Int64? {
        try db.scalar("""
            SELECT id FROM ingest_runs WHERE retried_from_run_id = ? AND dry_run = 0 AND status IN ('completed', 'completed_with_errors')
                AND successful_rows > 0
            ORDER BY id DESC LIMIT 1
            """, [.integer(id)])?.integerValue
    }

    /// Gives a file back to the run it came from (a continuation cancelled before it started).
    package func returnOwnedFile(of id: Int64, to parent: Int64) throws(SQLiteError) {
        try db.begin(.immediate)
        do {
            try db.execute("""
                UPDATE ingest_runs SET owned_file = (SELECT owned_file FROM ingest_runs WHERE id = ?) WHERE id = ?
                """, [.integer(id), .integer(parent)])
            try db.execute("UPDATE ingest_runs SET owned_file = NULL WHERE id = ?", [.integer(id)])
            try db.commit()
        } catch {
            try? db.rollback()
            throw error
        }
    }

    /// How a run continues another.
    package enum ContinuationKind: String, Sendable { case apply = "applied_from_run_id", resume = "resumed_from_run_id" }

    /// Outcome of a cancellation request.
    package enum CancelResult: Sendable, Equatable { case requested, notFound, alreadyFinished(RunStatus) }

    /// Flags a run for cancellation; a pending run is cancelled at once, a processing one between chunks.
    package func requestCancellation(of id: Int64, webhooks: [WebhookSpec] = []) throws(SQLiteError) -> CancelResult {
        try db.begin(.immediate)
        do {
            guard let run = try run(id) else { try db.commit(); return .notFound }
            if run.status.isFinished { try db.commit(); return .alreadyFinished(run.status) }
            try db.execute("UPDATE ingest_runs SET cancel_requested = 1 WHERE id = ?", [.integer(id)])
            let now = Timestamp.now()
            let endedHere = try db.execute("""
                UPDATE ingest_runs SET status = 'cancelled', failure_reason = 'Cancelled before it started.', completed_at = ?
                WHERE id = ? AND status = 'pending'
                """, [.text(now), .integer(id)])
            // Only the request that ended the pending run queues its run.cancelled, in the same transaction.
            if endedHere == 1 { try enqueueWebhooks(.cancelled, runID: id, hooks: webhooks) }
            try db.commit()
            return .requested
        } catch {
            try? db.rollback()
            throw error
        }
    }

    /// Whether someone asked to cancel the run.
    package func isCancelRequested(_ id: Int64) throws(SQLiteError) -> Bool {
        try db.scalar("SELECT cancel_requested FROM ingest_runs WHERE id = ?", [.integer(id)])?.integerValue == 1
    }

    /// Pending runs, oldest first (the worker queue).
    package func pendingRunIDs(limit: Int = 100) throws(SQLiteError) -> [Int64] {
        try db.query("SELECT id FROM ingest_runs WHERE status = 'pending' ORDER BY id LIMIT ?", [.integer(Int64(limit))]).compactMap { $0[0].integerValue }
    }

    /// Ends a `processing` run whose owner is gone as `failed` ("interrupted"), keeping its
    /// committed counters; it can be resumed. Returns false when the run was no longer processing.
    package func markInterrupted(_ id: Int64, reason: String) throws(SQLiteError) -> Bool {
        try db.execute("""
            UPDATE ingest_runs SET status = 'failed', failure_reason = ?, resumable = 1, read_to_end = 0, completed_at = ?
            WHERE id = ? AND status = 'processing'
            """, [.text(reason), .text(Timestamp.now()), .integer(id)]) == 1
    }

    /// Runs recovery ended interrupted that no run continues and that were not resumed
    /// automatically (nor found impossible to resume), and whose cancel nobody asked for: the
    /// work of auto-resume, oldest first.
    /// Only runs interrupted since `since` (ISO text): one left interrupted long ago is not
    /// brought back by turning auto-resume on.
    package func interruptedRunsAwaitingResume(since: String) throws(SQLiteError) -> [Int64] {
        try db.query("""
            SELECT id FROM ingest_runs AS r WHERE status = 'failed' AND resumable = 1 AND failure_reason LIKE 'interrupted:%'
                AND failure_reason NOT LIKE '% automatically%' AND cancel_requested = 0 AND completed_at >= ?
                AND NOT EXISTS (SELECT 1 FROM ingest_runs AS c WHERE c.resumed_from_run_id = r.id)
            ORDER BY id
            """, [.text(since)]).compactMap { $0.first?.integerValue }
    }

    /// How many runs before `id`, following `resumed_from_run_id`, were resumed automatically.
    package func automaticResumesBefore(_ id: Int64) throws(SQLiteError) -> Int {
        var count = 0
        var current = id
        for _ in 0..<100 {
            guard let parent = try db.scalar("SELECT resumed_from_run_id FROM ingest_runs WHERE id = ?", [.integer(current)])?.integerValue,
                  let reason = try db.scalar("SELECT failure_reason FROM ingest_runs WHERE id = ?", [.integer(parent)])?.textValue
            else { break }
            if reason.contains("Resumed automatically") { count += 1 }
            current = parent
        }
        return count
    }

    /// Adds `text` to the end of a finished run's failure reason.
    package func appendFailureReason(_ id: Int64, _ text: String) throws(SQLiteError) {
        try db.execute("UPDATE ingest_runs SET failure_reason = COALESCE(failure_reason, '') || ? WHERE id = ?", [.text(text), .integer(id)])
    }

    /// Forgets the file a run owned (after deleting it).
    package func releaseOwnedFile(of id: Int64) throws(SQLiteError) {
        try db.execute("UPDATE ingest_runs SET owned_file = NULL WHERE id = ?", [.integer(id)])
    }

    // MARK: rows

    static let insertRowSQL = "INSERT INTO ingest_rows (run_id, row_number, status, data, errors) VALUES (?, ?, ?, ?, ?)"

    /// Appends logged rows (the caller holds the transaction).
    package func append(_ rows: [LoggedRow]) throws(SQLiteError) {
        guard !rows.isEmpty else { return }
        func values(_ row: LoggedRow) -> [Value] {
            [.integer(row.runID), .integer(Int64(row.rowNumber)), .text(row.status.rawValue),
             .text(RunStore.encodeData(row.data).text), row.errors.map { .text(RunStore.encode($0).text) } ?? .null]
        }
        guard let sqlite else {
            for row in rows { try db.execute(RunStore.insertRowSQL, values(row)) }
            return
        }
        let statement = try sqlite.cachedStatement(RunStore.insertRowSQL)
        var scratch: [UInt8] = []
        for row in rows {
            // executeRow binds a large row's data in place rather than copying it once more.
            try statement.executeRow(values(row), scratch: &scratch)
        }
    }

    static let rowColumns = "run_id, row_number, status, data, errors"
    static let rowColumnIndex = StoredRecord.index(of: rowColumns)
    static let runColumnIndex = StoredRecord.index(of: runColumns)

    /// Logged rows of a run in row order, optionally of one status.
    package func rows(of runID: Int64, status: LoggedRow.Status? = nil, limit: Int, offset: Int) throws(SQLiteError) -> (rows: [LoggedRow], total: Int) {
        var args: [Value] = [.integer(runID)]
        var filter = ""
        if let status { filter = " AND status = ?"; args.append(.text(status.rawValue)) }
        let total = try rowCount(of: runID, status: status)
        var rows: [LoggedRow] = []
        try db.forEachRow("SELECT \(RunStore.rowColumns) FROM ingest_rows WHERE run_id = ?\(filter) ORDER BY id LIMIT ? OFFSET ?",
                          args + [.integer(Int64(limit)), .integer(Int64(offset))]) { row throws(SQLiteError) in
            rows.append(try RunStore.decodeRow(StoredRecord(row, RunStore.rowColumnIndex)))
        }
        return (rows, total)
    }

    /// Logged rows a run has, optionally of one status.
    package func rowCount(of runID: Int64, status: LoggedRow.Status? = nil) throws(SQLiteError) -> Int {
        if let status {
            return Int(try db.scalar("SELECT COUNT(*) FROM ingest_rows WHERE run_id = ? AND status = ?",
                                     [.integer(runID), .text(status.rawValue)])?.integerValue ?? 0)
        }
        return Int(try db.scalar("SELECT COUNT(*) FROM ingest_rows WHERE run_id = ?", [.integer(runID)])?.integerValue ?? 0)
    }

    /// Logged rows of a run in row order, optionally of one status, with `data` and `errors`
    /// kept as their stored JSON text: for responses that copy it rather than decode and encode
    /// it again. The text is checked to be a JSON object (one pass, no values built); a row whose
    /// text is not is reported like any unreadable record.
    package func storedRows(of runID: Int64, status: LoggedRow.Status? = nil, limit: Int, offset: Int) throws(SQLiteError) -> [StoredRow] {
        let filter = status == nil ? "" : " AND status = ?"
        var args: [Value] = [.integer(runID)]
        if let status { args.append(.text(status.rawValue)) }
        var rows: [StoredRow] = []
        rows.reserveCapacity(min(limit, 1024))
        try db.forEachRow("SELECT row_number, status, data, errors FROM ingest_rows WHERE run_id = ?\(filter) ORDER BY id LIMIT ? OFFSET ?",
                          args + [.integer(Int64(limit)), .integer(Int64(offset))]) { row throws(SQLiteError) in
            rows.append(try RunStore.decodeStoredRow(row, runID: runID))
        }
        return rows
    }

    private static func decodeStoredRow(_ row: any SQLRow, runID: Int64) throws(SQLiteError) -> StoredRow {
        let rowNumber = row.value(0).integerValue ?? 0
        func corrupt(_ column: String, _ what: String) -> SQLiteError {
            .corruptRecord(table: "ingest_rows", id: runID, column: column, "row \(rowNumber): " + what)
        }
        let statusText = row.value(1).textValue ?? ""
        guard let rowStatus = LoggedRow.Status(rawValue: statusText) else { throw corrupt("status", "unknown row status '\(statusText)'") }
        guard let dataBytes = row.textBytes(2), let data = RawJSON(validating: dataBytes, requireObject: true) else {
            throw corrupt("data", "the stored row is not a JSON object")
        }
        var errors: RawJSON?
        if let errorBytes = row.textBytes(3) {
            guard let decoded = RawJSON(validating: errorBytes, requireObject: true) else {
                throw corrupt("errors", "the stored errors are not the JSON Ingest writes")
            }
            errors = decoded
        }
        return StoredRow(rowNumber: Int(rowNumber), status: rowStatus, data: data, errors: errors)
    }

    /// Calls `body` for each failed row of a run in row order, without loading them all.
    package func forEachFailedRow(of runID: Int64, _ body: (LoggedRow) throws -> Void) throws {
        try forEachFailedRow(of: runID, after: 0) { row, _ in try body(row) }
    }

    /// Calls `body` with each failed row of a run whose log id is above `after`, in row order,
    /// and that id; at most `limit` rows.
    func forEachFailedRow(of runID: Int64, after: Int64, limit: Int = .max, _ body: (LoggedRow, Int64) throws -> Void) throws {
        var failure: (any Error)?
        do {
            try db.forEachRow("""
                SELECT id, \(RunStore.rowColumns) FROM ingest_rows WHERE run_id = ? AND status = 'failed' AND id > ? ORDER BY id LIMIT ?
                """, [.integer(runID), .integer(after), .integer(Int64(min(limit, Int(Int64.max))))]) { row throws(SQLiteError) in
                let id = row.value(0).integerValue ?? 0
                do { try body(try RunStore.decodeRow(StoredRecord(row, RunStore.failedRowColumnIndex)), id) } catch {
                    failure = error
                    throw RunStore.stopped
                }
            }
        } catch {
            if let failure { throw failure }
            throw error
        }
    }

    static let failedRowColumnIndex = StoredRecord.index(of: "id, " + rowColumns)
    /// Thrown out of a row loop to stop it when the caller's body failed (its error is rethrown).
    static let stopped = SQLiteError(extendedCode: 4 /* SQLITE_ABORT */, message: "stopped")

    /// Number of failed rows logged for a run.
    package func failedRowCount(of runID: Int64) throws(SQLiteError) -> Int {
        Int(try db.scalar("SELECT COUNT(*) FROM ingest_rows WHERE run_id = ? AND status = 'failed'", [.integer(runID)])?.integerValue ?? 0)
    }

    // MARK: decoding

    func queryRuns(_ sql: String, _ args: [Value] = []) throws(SQLiteError) -> [IngestRun] {
        var runs: [IngestRun] = []
        try db.forEachRow(sql, args) { row throws(SQLiteError) in
            runs.append(try RunStore.decodeRun(StoredRecord(row, RunStore.runColumnIndex)))
        }
        return runs
    }

    static func decodeRun(_ r: StoredRecord) throws(SQLiteError) -> IngestRun {
        let id = try r.int("id")
        func corrupt(_ column: String, _ what: String) -> SQLiteError { .corruptRecord(table: "ingest_runs", id: id, column: column, what) }
        let statusText = try r.text("status")
        guard let status = RunStatus(rawValue: statusText) else { throw corrupt("status", "unknown status '\(statusText)'") }
        var counts = RunCounts()
        counts.total = Int(try r.int("total_rows")); counts.processed = Int(try r.int("processed_rows"))
        counts.successful = Int(try r.int("successful_rows")); counts.failed = Int(try r.int("failed_rows"))
        counts.created = Int(try r.int("created_rows")); counts.updated = Int(try r.int("updated_rows"))
        counts.skipped = Int(try r.int("skipped_rows"))
        // Kept as the stored bytes (checked to be a JSON object, in one pass without building
        // values): API responses copy them, and `IngestRun.summary` decodes them when asked.
        var summary: RawJSON?
        if let bytes = r.optionalBytes("summary") {
            guard let raw = RawJSON(validating: bytes, requireObject: true) else {
                throw corrupt("summary", "the stored summary is not the JSON Ingest writes")
            }
            summary = raw
        }
        var owner: RunOwner?
        if let host = r.optionalText("owner_host"), let pid = r.optionalInt("owner_pid") {
            owner = RunOwner(host: host, pid: pid, startedAt: r.optionalText("owner_started_at") ?? "")
        }
        return IngestRun(
            id: id, importer: try r.text("importer"), status: status, userID: r.optionalInt("user_id"),
            originalFilename: r.optionalText("original_filename"), sourcePath: r.optionalText("source_path"),
            sourceURL: r.optionalText("source_url"), definitionHash: r.optionalText("definition_hash"),
            dryRun: try r.int("dry_run") == 1, parentID: r.optionalInt("parent_id"), retriedFromRunID: r.optionalInt("retried_from_run_id"),
            counts: counts, bytesRead: try r.int("bytes_read"), bytesTotal: r.optionalInt("bytes_total"), storedSummary: summary,
            failureReason: r.optionalText("failure_reason"), cancelRequested: try r.int("cancel_requested") == 1,
            createdAt: try r.text("created_at"), startedAt: r.optionalText("started_at"), completedAt: r.optionalText("completed_at"),
            owner: owner, heartbeatAt: r.optionalText("heartbeat_at"), ownedFile: r.optionalText("owned_file"),
            sourceFingerprint: r.optionalText("source_fingerprint"), resumePosition: Int(try r.int("resume_position")),
            rolledBackRows: Int(try r.int("rolled_back_rows")), resumable: try r.int("resumable") == 1,
            resumedFromRunID: r.optionalInt("resumed_from_run_id"), appliedFromRunID: r.optionalInt("applied_from_run_id"),
            readToEnd: try r.int("read_to_end") == 1)
    }

    static func decodeRow(_ r: StoredRecord) throws(SQLiteError) -> LoggedRow {
        let runID = try r.int("run_id")
        let rowNumber = Int(try r.int("row_number"))
        func corrupt(_ column: String, _ what: String) -> SQLiteError {
            .corruptRecord(table: "ingest_rows", id: runID, column: column, "row \(rowNumber): " + what)
        }
        let statusText = try r.text("status")
        guard let status = LoggedRow.Status(rawValue: statusText) else { throw corrupt("status", "unknown row status '\(statusText)'") }
        guard let json = try? JSONValue.parse(try r.text("data")), let members = json.objectValue else {
            throw corrupt("data", "the stored row is not a JSON object")
        }
        let data = members.map { (key: $0.0, value: $0.1.stringValue ?? "") }
        var errors: RowErrors?
        if let text = r.optionalText("errors") {
            guard let json = try? JSONValue.parse(text), let decoded = RunStore.decodeErrors(json) else {
                throw corrupt("errors", "the stored errors are not the JSON Ingest writes")
            }
            errors = decoded
        }
        return LoggedRow(runID: runID, rowNumber: rowNumber, status: status, data: data, errors: errors)
    }
}

/// The current row of a query, read by column name. Valid while the row is.
struct StoredRecord {
    private let row: any SQLRow
    private let columns: [String: Int]

    /// `columns`: the positions of the query's result columns, from ``index(of:)``.
    init(_ row: any SQLRow, _ columns: [String: Int]) { self.row = row; self.columns = columns }

    /// The positions of the columns of a select list ("id, name, …").
    static func index(of list: String) -> [String: Int] {
        let names = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        return Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }

    private func value(_ name: String) -> Value? {
        guard let index = columns[name], index < row.count else { return nil }
        return row.value(index)
    }

    func int(_ name: String) throws(SQLiteError) -> Int64 {
        guard let v = value(name)?.integerValue else { throw .corruptRecord(table: "ingest", id: nil, column: name, "expected an integer") }
        return v
    }

    func text(_ name: String) throws(SQLiteError) -> String {
        guard let v = value(name)?.textValue else { throw .corruptRecord(table: "ingest", id: nil, column: name, "expected text") }
        return v
    }

    func optionalInt(_ name: String) -> Int64? { value(name)?.integerValue }
    func optionalText(_ name: String) -> String? { value(name)?.textValue }

    /// The UTF-8 bytes of what ``optionalText(_:)`` reads, without making a `String`.
    func optionalBytes(_ name: String) -> [UInt8]? {
        guard let index = columns[name], index < row.count else { return nil }
        return row.textBytes(index)
    }
}

extension SQLiteError {
    /// A stored record Ingest cannot read back (edited by hand, or written by something else).
    static func corruptRecord(table: String, id: Int64?, column: String, _ what: String) -> SQLiteError {
        let row = id.map { " \($0)" } ?? ""
        return SQLiteError(extendedCode: 11 /* SQLITE_CORRUPT */, message: "\(table)\(row), column \(column): \(what)")
    }
}

extension Value {
    /// `.null` for nil.
    static func optional(_ v: Int64?) -> Value { v.map(Value.integer) ?? .null }
    static func optional(_ v: String?) -> Value { v.map(Value.text) ?? .null }
}
