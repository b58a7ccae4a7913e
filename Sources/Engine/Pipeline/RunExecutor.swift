import Definitions
import Foundation
import Rules
import SQLite
import Tabular

/// Carries one run from `pending` to its final status.
///
/// Two threads share the work: the parse thread reads the source and validates rows (pure CPU),
/// the calling thread writes chunks to SQLite; a bounded queue between them keeps memory flat.
/// Transactions: in `none`, `row` and `chunk` modes each chunk commits on its own, together with
/// its logged rows and the run's counters, so progress and cancellation work across processes.
/// In `all` mode and on dry runs the whole run is one transaction (rolled back for a dry run);
/// row logs are then kept aside and written after it ends, and progress is reported in-process.
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

    private var counts = RunCounts()
    private var bytesRead: Int64 = 0
    private var bytesTotal: Int64?
    private var errors: [String] = []
    private var warnings: [String] = []
    private var detected: [String: String] = [:]
    private var deferredLog: [LoggedRow] = []
    private let started = Date()

    /// Chunks in flight between the threads.
    static let queueCapacity = 4

    init(store: RunStore, run: IngestRun, importer: CompiledImporter?, source: RowSource, cancellation: CancellationFlag,
         cancelRequestedElsewhere: @escaping () -> Bool, observer: (@Sendable (RunProgress) -> Void)?) {
        self.store = store
        self.run = run
        self.compiled = importer
        self.cancelRequestedElsewhere = cancelRequestedElsewhere
        self.source = source
        self.cancellation = cancellation
        self.observer = observer
    }

    var definition: ImporterDefinition { compiled?.definition ?? ImporterDefinition(slug: run.importer, target: TargetSpec(table: ""), columns: []) }
    var db: Connection { store.db }
    /// One transaction for the whole run.
    var isSingleTransaction: Bool { run.dryRun || definition.transaction == .all }

    /// Ends a claimed run as `failed` before any row (the definition broke, the source is gone).
    func fail(_ reason: String) throws -> IngestRun {
        try finish(.failed, reason: reason)
    }

    /// Runs a claimed run to the end and records the outcome. Throws only when the bookkeeping itself fails.
    func execute() throws -> IngestRun {
        guard let importer = compiled else { return try finish(.failed, reason: "The importer did not compile.") }
        let reader: any TableReader
        do {
            reader = try source.open(definition: definition)
        } catch {
            return try finish(.failed, reason: RunExecutor.describe(error))
        }
        bytesTotal = reader.totalBytes
        detected = reader.detected
        let header: [String]
        do {
            guard let h = try reader.readHeader() else {
                return try finish(.failed, reason: "The file is empty: it has no header row.")
            }
            header = RunExecutor.uniqued(h)
        } catch {
            return try finish(.failed, reason: RunExecutor.describe(error))
        }
        let resolution = importer.resolve(header: header)
        guard resolution.isUsable else {
            return try finish(.failed, reason: resolution.problems.joined(separator: " "))
        }
        for name in resolution.missing {
            warnings.append("No header matches '\(name)'; its column gets its default or stays empty.")
        }

        let table = TargetTable(importer: importer)
        if isSingleTransaction { try db.begin(.immediate) }
        do {
            if !isSingleTransaction { try db.begin(.immediate) }
            try table.prepare(on: db, definition: definition)
            if !isSingleTransaction { try db.commit() }
        } catch let failure as RunFailure {
            try db.rollback()
            return try finish(.failed, reason: failure.reason)
        }

        let writer: ChunkWriter
        do {
            writer = try ChunkWriter(db: db, table: table, definition: definition, header: header, runID: run.id)
        } catch {
            try db.rollback()
            return try finish(.failed, reason: "Could not prepare the writes: \(error.message)")
        }

        let facts = RunFacts(id: run.id, originalFilename: run.originalFilename, startedAt: run.startedAt ?? Timestamp.now())
        let processor = importer.makeProcessor(resolution: resolution, run: facts)
        let queue = BoundedQueue<PipelineMessage>(capacity: RunExecutor.queueCapacity)
        let stop = CancellationFlag()
        let recycle = RecycleBin()
        let parser = RowParser(reader: Handoff(value: reader), processor: Handoff(value: processor), header: header,
                               chunkSize: definition.chunkSize, queue: queue, stop: stop, recycle: recycle)
        let thread = Thread { parser.run() }
        thread.stackSize = 4 << 20
        thread.start()

        let checkpointer = Checkpointer(databasePath: db.path)
        if checkpointer != nil { try? db.execute("PRAGMA wal_autocheckpoint=0") }
        let outcome = consume(queue: queue, writer: writer, stop: stop, recycle: recycle)
        if let checkpointer {
            checkpointer.stop()
            try? db.execute("PRAGMA wal_autocheckpoint=1000")
        }
        return try end(outcome, writer: writer)
    }

    enum Outcome { case finished, cancelled, failed(String), readFailed(String) }

    /// The write loop: runs until the parser ends or the run must stop; always drains the queue
    /// so the parse thread can exit.
    private func consume(queue: BoundedQueue<PipelineMessage>, writer: ChunkWriter, stop: CancellationFlag, recycle: RecycleBin) -> Outcome {
        var outcome: Outcome?
        while true {
            let message = queue.pop()
            if outcome != nil {
                if case .batch = message { continue }
                break
            }
            switch message {
            case .batch(let rows, let read, let endsChunk):
                bytesRead = read
                let stopOutcome = writeBatch(rows, endsChunk: endsChunk, writer: writer)
                recycle.put(rows)
                if let o = stopOutcome {
                    outcome = o
                    stop.raise()
                }
            case .readFailed(let reason):
                // Rows before the broken part: kept in `none`/`row` mode, undone with their chunk in `chunk` mode.
                if let failure = closeOpenChunk(commit: definition.transaction != .chunk) { return failure }
                return .readFailed(reason)
            case .end(let read, let readerWarnings):
                bytesRead = read
                warnings += readerWarnings
                if let failure = closeOpenChunk(commit: true) { return failure }
                return .finished
            }
        }
        return outcome ?? .finished
    }

    /// Counters of the chunk whose transaction is open (not yet committed).
    private var open = RunCounts()

    /// Writes one batch inside its chunk's transaction, committing at the end of the chunk.
    /// Returns an outcome when the run must stop.
    private func writeBatch(_ rows: [PendingRow], endsChunk: Bool, writer: ChunkWriter) -> Outcome? {
        do {
            if !isSingleTransaction && !db.isInTransaction { try db.begin(.immediate) }
            let result = try writer.write(rows)
            if let fatal = result.fatal {
                // The open chunk (or the whole run) is undone; its rows count as processed, the failing ones as failed.
                counts.failed += result.failed
                counts.processed += open.processed + result.created + result.updated + result.skipped + result.failed
                counts.total = counts.processed
                open = RunCounts()
                if !isSingleTransaction {
                    try db.rollback()
                    writer.invalidateCaches()
                    // The failing rows are still worth keeping for the failed-rows export.
                    try db.begin(.immediate)
                    try store.append(result.logged.filter { $0.status == .failed })
                    try store.updateProgress(run.id, counts: counts, bytesRead: bytesRead, bytesTotal: bytesTotal)
                    try db.commit()
                } else {
                    deferredLog += result.logged.filter { $0.status == .failed }
                }
                errors += result.firstErrors.prefix(max(0, 20 - errors.count))
                return .failed(fatal)
            }
            open.add(created: result.created, updated: result.updated, skipped: result.skipped, failed: result.failed)
            errors += result.firstErrors.prefix(max(0, 20 - errors.count))
            if isSingleTransaction { deferredLog += result.logged } else { try store.append(result.logged) }
            guard endsChunk else {
                observer?(progress(including: open))
                return nil
            }
            counts = progress(including: open).counts
            open = RunCounts()
            if !isSingleTransaction {
                try store.updateProgress(run.id, counts: counts, bytesRead: bytesRead, bytesTotal: bytesTotal)
                try db.commit()
            }
        } catch {
            try? db.rollback()
            writer.invalidateCaches()
            open = RunCounts()
            return .failed("Could not write to the database: \(RunExecutor.describe(error))")
        }
        observer?(progress())
        if cancellation.isRaised || cancelRequestedElsewhere() || (!isSingleTransaction && ((try? store.isCancelRequested(run.id)) ?? false)) {
            return .cancelled
        }
        if let budget = definition.errorBudget {
            if let max = budget.maxFailedRows, counts.failed > max {
                return .failed("Error budget exceeded: \(counts.failed) failed rows (at most \(max) allowed).")
            }
            if let ratio = budget.maxFailedRatio, counts.processed > 0, Double(counts.failed) / Double(counts.processed) > ratio {
                let percent = (Double(counts.failed) / Double(counts.processed) * 1000).rounded() / 10
                return .failed("Error budget exceeded: \(percent)% of rows failed (at most \(ratio * 100)% allowed).")
            }
        }
        return nil
    }

    /// Commits (or rolls back) a chunk left open when the input ended between chunk boundaries.
    private func closeOpenChunk(commit: Bool) -> Outcome? {
        guard !isSingleTransaction, db.isInTransaction else { return nil }
        do {
            if commit {
                counts = progress(including: open).counts
                try store.updateProgress(run.id, counts: counts, bytesRead: bytesRead, bytesTotal: bytesTotal)
                try db.commit()
            } else {
                try db.rollback()
            }
            open = RunCounts()
            return nil
        } catch {
            try? db.rollback()
            return .failed("Could not write to the database: \(RunExecutor.describe(error))")
        }
    }

    private func estimatedTotal(processed: Int) -> Int {
        guard let total = bytesTotal, bytesRead > 0, bytesRead < total else { return processed }
        return max(processed, Int(Double(processed) * Double(total) / Double(bytesRead)))
    }

    private func progress(including pending: RunCounts = RunCounts()) -> RunProgress {
        var c = counts
        c.add(created: pending.created, updated: pending.updated, skipped: pending.skipped, failed: pending.failed)
        c.total = estimatedTotal(processed: c.processed)
        return RunProgress(runID: run.id, counts: c, bytesRead: bytesRead, bytesTotal: bytesTotal, elapsed: Date().timeIntervalSince(started))
    }

    /// Closes the transaction the outcome calls for and records the final status.
    private func end(_ outcome: Outcome, writer: ChunkWriter) throws -> IngestRun {
        counts.total = counts.processed
        switch outcome {
        case .finished:
            if isSingleTransaction {
                if run.dryRun { try db.rollback() } else { try db.commit() }
            }
            return try finish(counts.failed > 0 ? .completedWithErrors : .completed, reason: nil)
        case .cancelled:
            if isSingleTransaction { try db.rollback() }
            let kept = isSingleTransaction ? "Nothing was written (one transaction for the whole run)." : "Rows written before it stopped are kept."
            return try finish(.cancelled, reason: "Cancelled at row \(counts.processed). \(kept)")
        case .failed(let reason), .readFailed(let reason):
            if isSingleTransaction {
                try db.rollback()
            } else if case .readFailed = outcome, definition.transaction == .chunk {
                // Chunks before the broken part of the file are committed; nothing else is pending.
            }
            if definition.transaction == .all && !run.dryRun {
                // All or nothing: report what was rolled back.
                deferredLog = deferredLog.filter { $0.status == .failed }
            }
            return try finish(.failed, reason: reason)
        }
    }

    /// Records the final status and summary.
    private func finish(_ status: RunStatus, reason: String?) throws -> IngestRun {
        if db.isInTransaction { try db.rollback() }
        let duration = Date().timeIntervalSince(started)
        if let reason { errors.insert(reason, at: 0) }
        let summary = RunSummary(errors: errors, warnings: warnings, meta: .init(
            totalRows: counts.total, successfulRows: counts.successful, failedRows: counts.failed,
            createdRows: counts.created, updatedRows: counts.updated, skippedRows: counts.skipped,
            durationMs: Int((duration * 1000).rounded()),
            rowsPerSecond: duration > 0 ? Int((Double(counts.processed) / duration).rounded()) : counts.processed,
            dryRun: run.dryRun, source: detected))
        try db.begin(.immediate)
        do {
            try store.append(deferredLog)
            try store.finish(run.id, status: status, counts: counts, bytesRead: bytesRead, bytesTotal: bytesTotal, summary: summary, failureReason: reason)
            try db.commit()
        } catch {
            try? db.rollback()
            throw error
        }
        deferredLog = []
        observer?(progress())
        return try store.run(run.id) ?? run
    }

    /// Makes header names unique (`Name`, `Name (2)`) so logged rows keep every cell.
    static func uniqued(_ header: [String]) -> [String] {
        var seen: [String: Int] = [:]
        return header.map { name in
            let n = (seen[name] ?? 0) + 1
            seen[name] = n
            return n == 1 ? name : "\(name) (\(n))"
        }
    }

    static func describe(_ error: any Error) -> String {
        if let e = error as? SQLiteError { return e.message }
        return String(describing: error)
    }
}
