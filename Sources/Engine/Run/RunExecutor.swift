import Definitions
import Foundation
import Rules
import SQLite
import SQLStore
import Postgres
import Tabular

/// Carries one claimed run from its first row to its ending (the final status is written by the
/// engine, see `IngestEngine+Lifecycle`).
///
/// Two threads share the work: the parse thread reads the source and validates rows (pure CPU),
/// the calling thread writes chunks to SQLite; a bounded queue between them keeps memory flat.
/// Transactions: in `none`, `row` and `chunk` modes each chunk commits on its own, together with
/// its logged rows, the run's counters and its resume position, so progress, cancellation and
/// resume work across processes. In `all` mode and on dry runs the whole run is one transaction
/// (rolled back for a dry run); row logs are then kept aside and written with the final status.
///
/// Every bad row is reported: in `chunk` and `all` modes the first bad row dooms the open
/// transaction (nothing after the last commit will be kept), but the executor keeps writing the
/// rest of the file into it, so every row is judged exactly as a write would judge it (lookups,
/// `exists`, `unique`, duplicates), then rolls it back.
///
/// ``runToEnd()`` never throws: whatever goes wrong ends in a `failed` ending whose counters are the
/// committed ones.
final class RunExecutor {
    let store: RunStore
    let run: IngestRun
    /// nil when the definition did not compile (the run then ends through `fail`).
    let compiled: CompiledImporter?
    let source: RowSource
    let cancellation: CancellationFlag
    /// Whether another process asked to stop (the engine's signal file).
    let cancelRequestedElsewhere: () -> Bool
    let observer: (@Sendable (RunProgress) -> Void)?
    /// Add declared columns the target table lacks (`ingest run --alter`, or `target.alter`).
    let alter: Bool

    /// Counters of committed chunks (in single-transaction mode: of everything written so far).
    private var counts: RunCounts
    /// Source rows whose outcome is committed: where a resume continues.
    private var position: Int
    private var bytesRead: Int64 = 0
    private var bytesTotal: Int64?
    private var errors: [String] = []
    private var warnings: [String] = []
    private var detected: [String: String] = [:]
    /// Logged rows written with the final status (single-transaction runs, doomed transactions).
    private(set) var deferredLog: [LoggedRow] = []
    private let started = Date()

    /// Counters of the chunk whose transaction is open (not yet committed).
    private var open = RunCounts()
    /// Logged rows of the open chunk, kept until it commits in case it is doomed.
    private var openLog: [LoggedRow] = []
    /// Source rows read through the last batch written.
    private var rowsRead: Int
    /// Set by the first bad row in `chunk`/`all` mode: the open transaction will be rolled back.
    private var doom: (row: Int, message: String)?
    /// Outcomes written into the doomed transaction (what would have been).
    private var doomed = RunCounts()
    /// The counters of the chunks before the doomed one (what a real `chunk` run would have kept).
    private var countsAtDoom = RunCounts()
    /// Logged rows kept aside at most (failed rows after a bad row in `chunk`/`all` mode, every
    /// row of a single-transaction run with `row_log: all`): 100,000; more are counted, not kept.
    static let maxDeferredRows = 100_000
    private var unloggedRows = 0
    /// Pivot rows attached/detached and related rows created: committed (in single-transaction
    /// mode: written so far), in the open chunk, before the doomed chunk, and rolled back.
    private var relations = PivotWriter.Counts()
    private var openRelations = PivotWriter.Counts()
    private var relationsAtDoom = PivotWriter.Counts()
    private var undoneRelations = PivotWriter.Counts()
    /// `target.route`: rows per table, kept like the relations counts above.
    private var tableCounts = TableCounts()
    private var openTableCounts = TableCounts()
    private var tableCountsAtDoom = TableCounts()
    private var undoneTableCounts = TableCounts()
    /// Whether every row of the source was read (false after a budget stop, a read failure, a cancel).
    private var readToEnd = false

    /// The per-thread split for `summary.meta.threads`: the parse thread's CPU time (it reports
    /// it with its last message), and the time the write thread spent committing.
    private var parseCPU = Duration.zero
    /// Wall time of the write thread spent committing, and waiting for the parse thread.
    private var commitNanos: UInt64 = 0
    private var waitNanos: UInt64 = 0
    private var threads: RunSummary.Threads?

    /// The split: SQLite's part of the write thread is measured in wall time (a row is too short
    /// for the thread's CPU clock, a system call), as a share of the time the thread was busy
    /// (not waiting for rows), and applied to its CPU time, so a loaded machine inflates neither.
    private func split(writeCPU: Duration, busy: UInt64, sqlite: Duration) -> RunSummary.Threads {
        let busy = Duration.nanoseconds(Int64(max(1, busy)))
        let share = min(1, max(0, sqlite / busy))
        return RunSummary.Threads(readValidateCPUMs: ThreadClock.milliseconds(parseCPU), writeCPUMs: ThreadClock.milliseconds(writeCPU),
                                  writeSQLiteMs: Int((Double(ThreadClock.milliseconds(writeCPU)) * share).rounded()))
    }

    /// Chunks in flight between the threads.
    static let queueCapacity = 4

    init(store: RunStore, run: IngestRun, importer: CompiledImporter?, source: RowSource, cancellation: CancellationFlag,
         cancelRequestedElsewhere: @escaping () -> Bool, observer: (@Sendable (RunProgress) -> Void)?, alter: Bool = false) {
        self.store = store
        self.alter = alter
        self.run = run
        self.compiled = importer
        self.cancelRequestedElsewhere = cancelRequestedElsewhere
        self.source = source
        self.cancellation = cancellation
        self.observer = observer
        // A resumed run inherits the counters and position of the run it continues.
        counts = run.counts
        position = run.resumePosition
        rowsRead = run.resumePosition
    }

    var definition: ImporterDefinition { compiled?.definition ?? ImporterDefinition(slug: run.importer, target: TargetSpec(table: ""), columns: []) }
    /// The bookkeeping store's connection (the run's transactions).
    var db: any SQLDatabase { store.db }
    /// One transaction for the whole run.
    var isSingleTransaction: Bool { run.dryRun || definition.transaction == .all }

    /// Runs the claimed run to its ending. Never throws.
    func runToEnd() -> RunStore.Ending {
        do {
            return try execute()
        } catch {
            return failure("The run stopped on an unexpected error: \(RunExecutor.describe(error))", resumable: true)
        }
    }

    /// An ending `failed` with `reason`, after rolling back whatever is open: counters are the committed ones.
    func failure(_ reason: String, resumable: Bool = false) -> RunStore.Ending {
        let rolledBack = rollbackOpenWork(keepFailures: !resumable)
        return ending(.failed, reason: reason, rolledBack: rolledBack, resumable: resumable)
    }

    private func execute() throws -> RunStore.Ending {
        guard let importer = compiled else { return failure("The importer did not compile.") }
        let reader: any TableReader
        let header: [String]
        do {
            reader = try source.open(importer: importer)
            bytesTotal = reader.totalBytes
            detected = reader.detected
            warnings += reader.notes
            guard let h = try reader.readHeader() else { return failure("The file is empty: it has no header row.") }
            header = SourceHeader.prepare(h)
        } catch {
            return failure(RunExecutor.describe(error))
        }
        let resolution = importer.resolve(header: header)
        guard resolution.isUsable else { return failure(resolution.problems.joined(separator: " ")) }
        let keyProblems = importer.missingKeyHeaders(resolution)
        guard keyProblems.isEmpty else { return failure(keyProblems.joined(separator: " ")) }
        if let route = definition.target.route, RouteSpec.headerIndex(of: route.column, in: header) == nil {
            return failure("No header matches '\(route.column)', the column target.route reads to pick each row's table. Headers: \(header.joined(separator: ", ")).")
        }
        for (name, hint) in zip(resolution.missing, resolution.hints) {
            warnings.append("No header matches '\(name)'; its column gets its default or stays empty.\(hint)")
        }
        let table = TargetTable(importer: importer)
        let writer: any TargetWriter
        do {
            writer = try prepare(table: table, header: header)
        } catch let failure as RunFailure {
            return self.failure(failure.reason)
        }
        let outcome = pipeline(reader: reader, importer: importer, resolution: resolution, header: header, writer: writer)
        return try end(outcome)
    }

    /// Creates or checks the target table and prepares the writer: SQLite's row statements, or
    /// PostgreSQL's staged set statements (``PostgresChunkWriter``) when the store is PostgreSQL.
    private func prepare(table: TargetTable, header: [String]) throws -> any TargetWriter {
        let target: any SQLDatabase = db
        if target.dialect == .postgres, let problem = PostgresTypes.unsupported(definition) { throw RunFailure(problem) }
        try db.begin(.immediate)
        do {
            let added = try table.prepare(on: target, definition: definition, alter: alter || definition.target.alter)
            for (name, column) in added {
                warnings.append("Added the column '\(column.name)' (\(TargetTable.columnType(column, target.dialect))) to the table '\(name)' (alter).")
            }
            if !isSingleTransaction { try db.commit() }
        } catch {
            try db.rollback()
            throw error
        }
        if target.dialect == .postgres {
            guard let bulk = target as? PGConnection else { throw RunFailure("Could not prepare the writes: the PostgreSQL connection cannot COPY.") }
            return PostgresChunkWriter(db: bulk, table: table, definition: definition, header: header, runID: run.id)
        }
        guard let sqlite = store.sqlite else { throw RunFailure("Could not prepare the writes: the database is neither SQLite nor PostgreSQL.") }
        do {
            return try ChunkWriter(db: sqlite, table: table, definition: definition, header: header, runID: run.id)
        } catch {
            try db.rollback()
            throw RunFailure("Could not prepare the writes: \(error.message)")
        }
    }

    /// Starts the parse thread and writes what it sends until the run ends.
    private func pipeline(reader: any TableReader, importer: CompiledImporter, resolution: HeaderResolution, header: [String],
                          writer: any TargetWriter) -> Outcome {
        let facts = RunFacts(id: run.id, originalFilename: run.originalFilename, startedAt: run.startedAt ?? Timestamp.now())
        let processor = importer.makeProcessor(resolution: resolution, run: facts)
        let queue = BoundedQueue<PipelineMessage>(capacity: RunExecutor.queueCapacity, maxWeight: RowParser.maxQueuedBytes)
        let stop = CancellationFlag()
        let recycle = RecycleBin()
        let nests = importer.nests.map { NestReader(nest: $0, header: header, run: facts) }
        let parser = RowParser(reader: Handoff(value: reader), processor: Handoff(value: processor), header: header,
                               chunkSize: definition.chunkSize, queue: queue, stop: stop, recycle: recycle,
                               skip: isSingleTransaction ? 0 : run.resumePosition, nests: Handoff(value: nests),
                               maxBatchRows: db.dialect == .postgres ? RowParser.maxBatchRowsPostgres : RowParser.maxBatchRows)
        let thread = Thread { parser.run() }
        thread.stackSize = 4 << 20
        thread.start()

        let checkpointer = store.sqlite.flatMap { Checkpointer(databasePath: $0.path) }
        if checkpointer != nil { try? db.execute("PRAGMA wal_autocheckpoint=0") }
        let writeStarted = ThreadClock.cpu(), writeWallStarted = ThreadClock.nanoseconds()
        let outcome = consume(queue: queue, writer: writer, stop: stop, recycle: recycle)
        threads = split(writeCPU: ThreadClock.cpu() - writeStarted, busy: ThreadClock.nanoseconds() - writeWallStarted - waitNanos,
                        sqlite: writer.databaseTime + .nanoseconds(Int64(commitNanos)))
        if let checkpointer {
            checkpointer.stop()
            try? db.execute("PRAGMA wal_autocheckpoint=1000")
        }
        return outcome
    }

    enum Outcome { case finished, cancelled, failed(String), readFailed(String) }

    /// The write loop: runs until the parser ends or the run must stop; always drains the queue
    /// so the parse thread can exit.
    private func consume(queue: BoundedQueue<PipelineMessage>, writer: any TargetWriter, stop: CancellationFlag, recycle: RecycleBin) -> Outcome {
        var outcome: Outcome?
        while true {
            let waited = ThreadClock.nanoseconds()
            let message = queue.pop()
            waitNanos += ThreadClock.nanoseconds() - waited
            if outcome != nil {
                switch message {
                case .batch: continue
                case .end(_, _, let cpu), .readFailed(_, let cpu): parseCPU = cpu
                }
                break
            }
            switch message {
            case .batch(let batch, let read, let rowsRead, let endsChunk):
                bytesRead = read
                let stopOutcome = writeBatch(batch, rowsRead: rowsRead, endsChunk: endsChunk, writer: writer)
                recycle.put(batch.arena)
                if let o = stopOutcome {
                    outcome = o
                    stop.raise()
                }
            case .readFailed(let reason, let parseCPU):
                self.parseCPU = parseCPU
                // Rows before the broken part: kept in `none`/`row` mode, undone with their chunk in `chunk` mode.
                if let failure = closeOpenChunk(commit: definition.transaction != .chunk) { return failure }
                return .readFailed(reason)
            case .end(let read, let readerWarnings, let parseCPU):
                self.parseCPU = parseCPU
                bytesRead = read
                readToEnd = true
                warnings += readerWarnings
                if let failure = closeOpenChunk(commit: true) { return failure }
                return .finished
            }
        }
        return outcome ?? .finished
    }

    /// Writes one batch inside its chunk's transaction, committing at the end of the chunk.
    /// Returns an outcome when the run must stop.
    private func writeBatch(_ batch: RowBatch, rowsRead: Int, endsChunk: Bool, writer: any TargetWriter) -> Outcome? {
        do {
            if !db.isInTransaction { try db.begin(.immediate) }
            let result = try writer.write(batch)
            self.rowsRead = rowsRead
            errors += result.firstErrors.prefix(max(0, 20 - errors.count))
            if doom == nil, let first = result.firstFailure, definition.transaction == .chunk || definition.transaction == .all {
                doom = first
                countsAtDoom = counts
                relationsAtDoom = relations
                openRelations = PivotWriter.Counts()
                tableCountsAtDoom = tableCounts
                openTableCounts = TableCounts()
                // Everything since the last commit will be rolled back with the doomed transaction.
                doomed = open
                keepAside(openLog)
                open = RunCounts()
                openLog = []
            }
            record(result)
            if endsChunk, doom == nil {
                try commitChunk()
            } else {
                observer?(progress(including: open))
                if !endsChunk { return nil }
            }
        } catch {
            // `end` rolls back what is open; no more rows are written.
            return .failed("Could not write to the database: \(RunExecutor.describe(error))")
        }
        return stopReason()
    }

    /// Adds a batch's outcomes and logged rows to the open chunk, or to the doomed part.
    private func record(_ result: BatchOutcome) {
        if doom != nil {
            doomed.add(created: result.created, updated: result.updated, skipped: result.skipped, failed: result.failed)
            keepAside(result.logged)
        } else {
            openRelations.add(result.relations)
            openTableCounts.add(result.tables)
            open.add(created: result.created, updated: result.updated, skipped: result.skipped, failed: result.failed)
            if isSingleTransaction { keepAside(result.logged) } else { openLog += result.logged }
        }
    }

    /// Keeps logged rows for the final write, up to ``maxDeferredRows``.
    private func keepAside(_ rows: [LoggedRow]) {
        let room = max(0, RunExecutor.maxDeferredRows - deferredLog.count)
        deferredLog += rows.prefix(room)
        unloggedRows += max(0, rows.count - room)
    }

    /// Commits the open chunk with its logged rows, counters and resume position; the in-memory
    /// counters change only once the commit succeeded.
    private func commitChunk() throws {
        var next = counts
        next.add(created: open.created, updated: open.updated, skipped: open.skipped, failed: open.failed)
        if isSingleTransaction {
            counts = next
        } else {
            next.total = next.processed
            let started = ThreadClock.nanoseconds()
            try store.append(openLog)
            try store.updateProgress(run.id, counts: next, bytesRead: bytesRead, bytesTotal: bytesTotal, resumePosition: rowsRead, owner: run.owner)
            try store.enqueueWebhooks(.chunk, runID: run.id, hooks: definition.webhooks)
            try db.commit()
            commitNanos += ThreadClock.spent(since: started)
            counts = next
            position = rowsRead
        }
        relations.add(openRelations)
        openRelations = PivotWriter.Counts()
        tableCounts.add(openTableCounts)
        openTableCounts = TableCounts()
        open = RunCounts()
        openLog = []
        observer?(progress())
    }

    /// Whether the run must stop after a chunk: cancelled, or over its error budget.
    private func stopReason() -> Outcome? {
        if cancellation.isRaised || cancelRequestedElsewhere() || cancelRequestedInDatabase() {
            return .cancelled
        }
        guard let budget = definition.errorBudget else { return nil }
        let failed = counts.failed + doomed.failed
        let processed = counts.processed + doomed.processed
        if let max = budget.maxFailedRows, failed > max {
            return .failed("Error budget exceeded: \(failed) failed rows (at most \(max) allowed).")
        }
        if let ratio = budget.maxFailedRatio, processed > 0, Double(failed) / Double(processed) > ratio {
            let percent = (Double(failed) / Double(processed) * 1000).rounded() / 10
            return .failed("Error budget exceeded: \(percent)% of rows failed (at most \(ratio * 100)% allowed).")
        }
        return nil
    }

    /// The database's cancel flag (set by `ingest cancel` in another process). A failed read is
    /// not a request: the signal file and the next chunk's read still reach the run.
    private func cancelRequestedInDatabase() -> Bool {
        // Not inside a single transaction: SQLite's `cancel` elsewhere signals through a file then,
        // and on PostgreSQL a failed read would abort the transaction; the lease heartbeat reads
        // PostgreSQL's flag on its own connection instead.
        guard !isSingleTransaction else { return false }
        do { return try store.isCancelRequested(run.id) } catch { return false }
    }

    /// Commits the chunk left open when the input ended between chunk boundaries (in a single
    /// transaction: counts it). With `commit` false (a read failure in `chunk` mode) it stays open
    /// for `end` to roll back.
    private func closeOpenChunk(commit: Bool) -> Outcome? {
        guard doom == nil, commit else { return nil }
        do {
            if isSingleTransaction || db.isInTransaction { try commitChunk() }
            return nil
        } catch {
            return .failed("Could not write to the database: \(RunExecutor.describe(error))")
        }
    }

    /// Rolls back whatever is uncommitted. Returns the outcomes undone (what would have been).
    ///
    /// With `keepFailures` false (a run that can be resumed), the failed rows of an open chunk are
    /// forgotten too: resume judges them again, so no row is counted twice.
    private func rollbackOpenWork(keepFailures: Bool = true) -> RunCounts {
        if !keepFailures && !isSingleTransaction && doom == nil {
            open = RunCounts()
            openLog = []
        }
        var undone = doomed
        undone.add(created: open.created, updated: open.updated, skipped: open.skipped, failed: open.failed)
        undoneRelations = openRelations
        openRelations = PivotWriter.Counts()
        undoneTableCounts = openTableCounts
        openTableCounts = TableCounts()
        if isSingleTransaction {
            undoneRelations.add(relations)
            relations = PivotWriter.Counts()
            undoneTableCounts.add(tableCounts)
            tableCounts = TableCounts()
            undone.add(created: counts.created, updated: counts.updated, skipped: counts.skipped, failed: counts.failed)
            // Failed rows stay counted: they are what the run reports.
            counts = RunCounts()
            counts.add(created: 0, updated: 0, skipped: 0, failed: undone.failed)
        } else {
            counts.add(created: 0, updated: 0, skipped: 0, failed: undone.failed)
        }
        // A dry run's rows keep the status they would have had.
        deferredLog = run.dryRun ? deferredLog + openLog : (deferredLog + openLog).map(RunExecutor.undone)
        open = RunCounts()
        openLog = []
        doomed = RunCounts()
        if db.isInTransaction { try? db.rollback() }
        return undone
    }

    /// A logged row whose write was rolled back.
    static func undone(_ row: LoggedRow) -> LoggedRow {
        guard row.status == .success || row.status == .skipped else { return row }
        var r = row
        r.status = .rolledBack
        return r
    }

    private func estimatedTotal(processed: Int) -> Int {
        guard let total = bytesTotal, bytesRead > 0, bytesRead < total else { return processed }
        return max(processed, Int(Double(processed) * Double(total) / Double(bytesRead)))
    }

    private func progress(including pending: RunCounts = RunCounts()) -> RunProgress {
        var c = counts
        // Rows of a doomed transaction count as processed while it runs (they end as rolled back).
        c.add(created: pending.created + doomed.created, updated: pending.updated + doomed.updated,
              skipped: pending.skipped + doomed.skipped, failed: pending.failed + doomed.failed)
        c.total = estimatedTotal(processed: c.processed)
        return RunProgress(runID: run.id, counts: c, bytesRead: bytesRead, bytesTotal: bytesTotal, elapsed: Date().timeIntervalSince(started))
    }

    /// Set when the run's one transaction (`transaction: all`) is still open at the end: the
    /// engine commits it together with the final status, so the data and the status of the run
    /// can never disagree (no crash window between them).
    private(set) var commitsWithEnding = false

    /// Closes the transaction the outcome calls for and builds the ending.
    private func end(_ outcome: Outcome) throws -> RunStore.Ending {
        if case .finished = outcome, doom == nil {
            if isSingleTransaction {
                if run.dryRun {
                    let undone = rollbackOpenWork()
                    return ending(undone.failed > 0 ? .completedWithErrors : .completed, reason: nil, rolledBack: undone)
                }
                commitsWithEnding = true
            }
            return ending(counts.failed > 0 ? .completedWithErrors : .completed, reason: nil)
        }
        let kept = isSingleTransaction || doom != nil
            ? "Nothing after the last committed chunk was kept." : "Rows written before it stopped are kept."
        switch outcome {
        case .cancelled:
            let rolledBack = rollbackOpenWork(keepFailures: false)
            let how = isSingleTransaction ? "Nothing was written (one transaction for the whole run)." : kept
            return ending(.cancelled, reason: "Cancelled at row \(counts.processed). \(how)", rolledBack: rolledBack, resumable: true)
        case .failed(let reason):
            // A write the database refused (locked, full, I/O) can be resumed once it is fixed.
            let resumable = reason.hasPrefix("Could not write")
            let rolledBack = rollbackOpenWork(keepFailures: !resumable)
            return ending(.failed, reason: reason, rolledBack: rolledBack, resumable: resumable)
        case .readFailed(let reason):
            return ending(.failed, reason: reason, rolledBack: rollbackOpenWork())
        case .finished:
            return ending(.failed, reason: doomReason(), rolledBack: rollbackOpenWork())
        }
    }

    /// The ending after the engine could not commit the run's one transaction with its status:
    /// everything was rolled back; the run can be run again whole.
    func endingAfterFailedCommit(_ message: String) -> RunStore.Ending {
        commitsWithEnding = false
        let undone = rollbackOpenWork()
        return ending(.failed, reason: "Could not write to the database: \(message)", rolledBack: undone, resumable: true)
    }

    /// Why a doomed run failed.
    private func doomReason() -> String {
        guard let doom else { return "The run was rolled back." }
        let mode = definition.transaction
        let failed = counts.failed
        let what = mode == .chunk && !run.dryRun
            ? "the chunk holding it and everything after it were rolled back (transaction: chunk); earlier chunks are kept"
            : "the whole run was rolled back (transaction: \(mode.rawValue))"
        return "\(failed) \(failed == 1 ? "row" : "rows") failed (first: Row \(doom.row): \(doom.message)), so \(what)."
    }

    /// The ending of the run: counters as committed (a dry run's as predicted), the summary,
    /// and what was rolled back.
    private func ending(_ status: RunStatus, reason: String?, rolledBack: RunCounts = RunCounts(), resumable: Bool = false) -> RunStore.Ending {
        let duration = Date().timeIntervalSince(started)
        var errors = self.errors
        if let reason { errors.insert(reason, at: 0) }
        let undone = rolledBack.created + rolledBack.updated + rolledBack.skipped
        let c = reportedCounts(rolledBack: rolledBack)
        var meta = RunSummary.Meta(
            totalRows: c.total, successfulRows: c.successful, failedRows: c.failed,
            createdRows: c.created, updatedRows: c.updated, skippedRows: c.skipped,
            durationMs: Int((duration * 1000).rounded()),
            rowsPerSecond: duration > 0 ? Int((Double(c.processed) / duration).rounded()) : c.processed,
            dryRun: run.dryRun, source: detected, threads: threads)
        if undone > 0 || run.dryRun {
            meta.rolledBack = .init(created: rolledBack.created, updated: rolledBack.updated, skipped: rolledBack.skipped)
        }
        if definition.columns.contains(where: { $0.relateMany != nil }) {
            var r = relations
            if run.dryRun { r = doom == nil ? undoneRelations : (definition.transaction == .chunk ? relationsAtDoom : PivotWriter.Counts()) }
            meta.relations = .init(attached: r.attached, detached: r.detached, created: r.created)
        }
        if definition.target.route != nil || !definition.nests.isEmpty {
            var t = tableCounts
            if run.dryRun { t = doom == nil ? undoneTableCounts : (definition.transaction == .chunk ? tableCountsAtDoom : TableCounts()) }
            var all: [String: RunSummary.Outcome] = [:]
            for name in [definition.target.table] + (definition.target.route?.tableNames ?? []) + definition.nests.map(\.table) {
                all[name] = t.byTable[name] ?? RunSummary.Outcome(created: 0, updated: 0, skipped: 0)
            }
            meta.tables = all
        }
        var warnings = self.warnings
        if unloggedRows > 0 { warnings.append("\(unloggedRows) more logged rows were not kept (at most \(RunExecutor.maxDeferredRows) are kept aside until the end of a single transaction).") }
        if !readToEnd && status != .completed && status != .completedWithErrors {
            warnings.append("The run stopped before the end of its file: rows after source row \(rowsRead) were not read or checked.")
        }
        observer?(RunProgress(runID: run.id, counts: c, bytesRead: bytesRead, bytesTotal: bytesTotal, elapsed: duration))
        return RunStore.Ending(status: status, counts: c, bytesRead: bytesRead, bytesTotal: bytesTotal,
                               summary: RunSummary(errors: errors, warnings: warnings, meta: meta), failureReason: reason,
                               rolledBackRows: run.dryRun ? 0 : undone, resumable: resumable && doom == nil,
                               resumePosition: isSingleTransaction ? 0 : position, readToEnd: readToEnd)
    }

    /// What the run reports: the committed counters (rows written and rolled back count as
    /// processed, not as created); a dry run reports what a real run would have kept.
    private func reportedCounts(rolledBack: RunCounts) -> RunCounts {
        var c = counts
        if run.dryRun {
            // A real `chunk` run keeps the chunks before its first bad row; `all` keeps nothing.
            var kept = rolledBack
            if doom != nil { kept = definition.transaction == .chunk ? countsAtDoom : RunCounts() }
            c.add(created: kept.created, updated: kept.updated, skipped: kept.skipped, failed: 0)
            c.processed += (rolledBack.created + rolledBack.updated + rolledBack.skipped) - (kept.created + kept.updated + kept.skipped)
        } else {
            c.processed += rolledBack.created + rolledBack.updated + rolledBack.skipped
        }
        c.total = c.processed
        return c
    }

    /// Makes header names unique (`Name`, `Name (2)`) so logged rows keep every cell.
    static func describe(_ error: any Error) -> String {
        if let e = error as? SQLiteError { return e.message }
        return String(describing: error)
    }
}
