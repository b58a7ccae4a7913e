import Definitions
import Foundation
import Rules
import SQLite
import IngestSupport

/// A run's life after it is created: claim, resolve the source, run, end; and recovery of runs
/// whose owner is gone. See docs/RUNS.md.
extension IngestEngine {
    /// Runs the pending run `id` to its end on the calling thread (plus one parse thread).
    /// `observer` is called after every batch of rows.
    ///
    /// The run is owned before it is claimed (`pending → processing`), so when several workers or
    /// processes race for one run exactly one executes it; the others get `.conflict` and touch
    /// nothing. After the claim there is one way out: whatever fails, the run ends in a final
    /// status with the reason. Only when even that cannot be written (for about a minute) does
    /// this throw; the run's ownership is then released and recovery ends it.
    @discardableResult
    /// `alter` adds declared columns the target table lacks (`ingest run --alter`), as `target.alter` does.
    package func execute(runID id: Int64, alter: Bool = false, observer: (@Sendable (RunProgress) -> Void)? = nil) throws(EngineError) -> IngestRun {
        // A claim this process already holds (a run created claimed, or claimed with SKIP LOCKED)
        // is released on every way out, the early ones included: its heartbeat must not outlive it.
        let held = heldClaims.withLock { $0.removeValue(forKey: id) }
        let store: RunStore
        let taken: (IngestRun, RunClaim, CompiledImporter?, String?)
        do {
            store = try openStore()
            taken = try claim(id, store: store, held: held)
        } catch {
            held?.release()
            throw error
        }
        let (run, claim, compiled, compileFailure) = taken
        defer { claim.release() }

        let flag = CancellationFlag()
        flags.withLock { $0[id] = flag }
        // A lease lost to another node, or a cancel seen by the heartbeat: stop after this batch.
        claim.whenStopRequested { flag.raise() }
        let signalPath = cancelSignalPath(id)
        defer {
            flags.withLock { if $0[id] === flag { $0.removeValue(forKey: id) } }
            try? FileManager.default.removeItem(atPath: signalPath)
        }
        let (source, sourceFailure) = resolveSource(of: run, definition: compiled?.definition, store: store)
        let executor = RunExecutor(store: store, run: run, importer: compiled, source: source, cancellation: flag,
                                   cancelRequestedElsewhere: { FileManager.default.fileExists(atPath: signalPath) },
                                   observer: observer, alter: alter)
        let ending = (compileFailure ?? sourceFailure).map { executor.failure($0) } ?? executor.runToEnd()
        do {
            try writeEnding(ending, executor: executor, of: id, store: store)
        } catch {
            // Recovery ends the run with this reason once the database takes writes again.
            claim.abandon(reason: ending.failureReason ?? error.description)
            throw error
        }
        do {
            guard let ended = try store.run(id) else { throw EngineError.runNotFound(id: id) }
            disposeOwnedFile(of: ended, store: store)
            return ended
        } catch let e as EngineError { throw e } catch { throw .database(error as? SQLiteError ?? .corruptRecord(table: "ingest_runs", id: id, column: "", "\(error)")) }
    }

    /// Takes run `id` for this process: a run this process created already claimed (a
    /// foreground CLI run), or a pending one it now owns and claims (`pending → processing`).
    /// Also resolves the definition the run uses (compiled, or why not).
    private func claim(_ id: Int64, store: RunStore, held: RunClaim?) throws(EngineError) -> (IngestRun, RunClaim, CompiledImporter?, String?) {
        let found: IngestRun?
        do { found = try store.run(id) } catch { throw .database(error) }
        guard var run = found else { throw .runNotFound(id: id) }
        if let held {
            guard run.status == .processing else { held.release(); throw .conflict("Run \(id) is \(run.status.rawValue), not processing.") }
            let (compiled, _, failure) = resolveDefinition(of: run)
            return (run, held, compiled, failure)
        }
        guard run.status == .pending else { throw .conflict("Run \(id) is \(run.status.rawValue), not pending.") }
        let (compiled, hash, failure) = resolveDefinition(of: run)
        guard let claim = try ownership.acquire(id) else { throw .conflict("Run \(id) was claimed by another worker.") }
        do {
            guard try store.claim(id, owner: ownership.owner, definitionHash: hash, webhooks: compiled?.definition.webhooks ?? []) else {
                claim.release()
                throw EngineError.conflict("Run \(id) was claimed by another worker.")
            }
            run.definitionHash = hash
        } catch let e as EngineError { throw e } catch {
            claim.release()
            throw .database(error as? SQLiteError ?? .corruptRecord(table: "ingest_runs", id: id, column: "status", "\(error)"))
        }
        run.status = .processing
        run.owner = ownership.owner
        return (run, claim, compiled, failure)
    }

    /// The definition version the run was created with (or the current one), compiled; or why not.
    private func resolveDefinition(of run: IngestRun) -> (CompiledImporter?, String?, String?) {
        do {
            if let h = run.definitionHash, let definition = versions.withLock({ $0[h] }) {
                return (try compiledImporter(slug: run.importer, hash: h, definition: definition), h, nil)
            }
            let (c, loaded) = try importer(run.importer)
            return (c, loaded.contentHash, nil)
        } catch let error as EngineError {
            return (nil, run.definitionHash, error.description)
        } catch {
            return (nil, run.definitionHash, "The importer '\(run.importer)' does not compile: \(error)")
        }
    }

    /// Where the run's rows come from: stored failed rows (a retry), a local file, or a `url`
    /// source downloaded now into the uploads folder (recorded as the run's own file).
    private func resolveSource(of run: IngestRun, definition: ImporterDefinition?, store: RunStore) -> (RowSource, String?) {
        if let from = run.retriedFromRunID {
            return (.storedRows(database: configuration.database, runID: from), nil)
        }
        if let path = run.sourcePath {
            let now = SourceFingerprint.of(path)
            if let then = run.sourceFingerprint {
                // An apply or resume: the file must still be the one the first run read.
                guard then == now else { return (.file(path: "", fileName: nil), "The file changed since run \(run.parentID ?? run.id) read it.") }
            } else {
                do { try store.recordSource(run.id, path: path, owned: false, fingerprint: now) } catch {
                    return (.file(path: "", fileName: nil), "Could not record the source: \(error.message)")
                }
            }
            do {
                return (try rowSource(storedPath: path, fileName: run.originalFilename, sourceType: definition?.source.type), nil)
            } catch {
                return (.file(path: "", fileName: nil), error.description)
            }
        }
        guard let address = run.sourceURL, let spec = definition?.source else {
            return (.file(path: "", fileName: nil), "Run \(run.id) has no source file.")
        }
        do {
            let file = try URLDownloader(configuration: configuration).download(
                address, source: spec, maxBytes: spec.maxSizeMB.map { Int64($0) << 20 } ?? configuration.maxUploadBytes)
            do {
                try store.recordSource(run.id, path: file.path, owned: true, fingerprint: SourceFingerprint.of(file.path))
            } catch {
                try? FileManager.default.removeItem(atPath: file.path)
                return (.file(path: "", fileName: nil), "Could not record the download: \(error.message)")
            }
            _ = try checkFormat(slug: run.importer, path: file.path, fileName: file.fileName)
            return (.file(path: file.path, fileName: file.fileName), nil)
        } catch {
            return (.file(path: "", fileName: nil), error.description)
        }
    }

    /// Writes the final status, the deferred row log and the summary in one transaction, retrying
    /// with backoff for ``EngineConfiguration/finalWriteBudget``. On a full disk the deferred row
    /// log is dropped (with a warning) so the status itself still fits.
    ///
    /// A `transaction: all` run's data is still uncommitted here: it commits in the same
    /// transaction as its final status, so no crash can leave the rows without the status. If
    /// that commit fails, everything is rolled back and the run ends `failed` (it can be run again).
    func writeEnding(_ first: RunStore.Ending, executor: RunExecutor, of id: Int64, store: RunStore) throws(EngineError) {
        var ending = first
        if executor.commitsWithEnding {
            do throws(SQLiteError) {
                guard try store.finish(id, ending, owner: executor.run.owner) else {
                    throw SQLiteError(extendedCode: 1, message: "the run is no longer processing here")
                }
                try store.append(executor.deferredLog)
                try store.enqueueWebhooks(WebhookEvent(ending: ending.status), runID: id, hooks: executor.definition.webhooks)
                try store.db.commit()
                return
            } catch {
                try? store.db.rollback()
                ending = executor.endingAfterFailedCommit(error.message)
            }
        }
        let deadline = ContinuousClock.now + configuration.finalWriteBudget
        var log = executor.deferredLog
        var delay = Duration.milliseconds(50)
        while true {
            do {
                try store.db.begin(.immediate)
                // Nothing is written for a run that is no longer this process's (another node took it over).
                if try store.finish(id, ending, owner: executor.run.owner) {
                    try store.append(log)
                    try store.enqueueWebhooks(WebhookEvent(ending: ending.status), runID: id, hooks: executor.definition.webhooks)
                }
                try store.db.commit()
                return
            } catch {
                try? store.db.rollback()
                if error.primaryCode == 13 /* SQLITE_FULL */, !log.isEmpty {
                    ending.summary?.warnings.append("\(log.count) logged rows could not be stored: \(error.message).")
                    log = []
                    continue
                }
                guard ContinuousClock.now + delay < deadline else {
                    throw .database(SQLiteError(extendedCode: error.extendedCode,
                                                message: "The final status of run \(id) could not be written: \(error.message)"))
                }
                Thread.sleep(forTimeInterval: delay.seconds)
                delay = min(delay * 2, .seconds(5))
            }
        }
    }

    /// Deletes the file the run owns once no run can need it: kept while a dry run may be applied
    /// or a stopped run resumed.
    func disposeOwnedFile(of run: IngestRun, store: RunStore) {
        guard let path = run.ownedFile, !stillNeedsFile(run) else { return }
        if run.startedAt == nil, let parent = run.appliedFromRunID ?? run.resumedFromRunID {
            // A continuation that never started: the file is still the stopped or dry run's.
            do { try store.returnOwnedFile(of: run.id, to: parent) } catch {}
            return
        }
        try? FileManager.default.removeItem(atPath: path)
        try? store.releaseOwnedFile(of: run.id)
    }

    private func stillNeedsFile(_ run: IngestRun) -> Bool {
        switch run.status {
        case .pending, .processing: return true
        case .completed, .completedWithErrors: return run.dryRun
        case .cancelled, .failed: return run.resumable
        }
    }

    /// Ends every `processing` run whose owner is provably gone as `failed` ("interrupted"),
    /// keeping its committed counters and its file, so it can be resumed. Runs whose owner lives,
    /// in this process or another, are left alone. Returns the ids ended.
    @discardableResult
    package func recoverAbandonedRuns() throws(EngineError) -> [Int64] {
        let store = try openStore()
        let candidates: [IngestRun]
        do { candidates = try store.processingRuns() } catch { throw .database(error) }
        var ended: [Int64] = []
        for run in candidates {
            guard let claim = try ownership.abandonedClaim(of: run, store: store) else { continue }
            defer { claim.release() }
            let owner = run.owner.map { "process \($0.pid) on \($0.host)" } ?? "the process running it"
            let stopped = claimsWithSkipLocked ? "stopped renewing its lease" : "stopped"
            // With auto-resume, what happened next is appended by ``autoResume(_:store:)``.
            let next = configuration.autoResume ? "" : " Resume it with 'ingest resume \(run.id)'."
            var reason = "interrupted: \(owner) \(stopped) before the run finished.\(next)"
            if let left = claim.abandonedReason() {
                reason = "interrupted: \(left) (the final status could not be written then).\(next)"
            }
            do {
                guard try markInterrupted(run, reason: reason, store: store) else { continue }
            } catch { throw .database(error) }
            ended.append(run.id)
        }
        if configuration.autoResume { resumeInterruptedRuns(store: store) }
        return ended
    }

    /// Resumes every run recovery ended interrupted that nothing continues yet: those just
    /// ended, and any a process stopped before it could resume them (or ended with auto-resume off).
    private func resumeInterruptedRuns(store: RunStore) {
        let since = Timestamp.format(Date().addingTimeInterval(-IngestEngine.autoResumeWindow))
        guard let waiting = try? store.interruptedRunsAwaitingResume(since: since) else { return }
        for id in waiting { autoResume(id, store: store) }
    }

    /// How far back auto-resume looks for interrupted runs: 24 hours.
    static let autoResumeWindow: TimeInterval = 24 * 3600
    /// Automatic resumes of one file in a row, at most: a file that stops its node every time
    /// (out of memory, a crash) must not go from node to node for ever.
    static let maxAutomaticResumes = 3

    /// Resumes an interrupted run from its last committed chunk (``EngineConfiguration/autoResume``):
    /// a new pending run, linked to it, that any worker of any node takes. When it cannot be
    /// resumed (its file or definition changed, it committed nothing it could continue) it stays
    /// interrupted, with the reason appended to its failure reason.
    private func autoResume(_ id: Int64, store: RunStore) {
        do {
            if let earlier = try? store.automaticResumesBefore(id), earlier >= IngestEngine.maxAutomaticResumes {
                try? store.appendFailureReason(id, " It was not resumed automatically: its node stopped \(earlier + 1) times in a row "
                                               + "while importing it; resume it with 'ingest resume \(id)' once the cause is found.")
                return
            }
            let resumed = try createResume(of: id, userID: nil)
            try? store.appendFailureReason(id, " Resumed automatically as run \(resumed).")
        } catch {
            // Another node resumed it first: that is its note to write.
            if (try? store.liveContinuation(of: id, column: .resume)) ?? nil != nil { return }
            try? store.appendFailureReason(id, " It was not resumed automatically (\(error.description)); "
                                           + "resume it with 'ingest resume \(id)' once that is fixed.")
        }
    }

    /// Claims the oldest pending run no other node is claiming (`FOR UPDATE SKIP LOCKED`), for
    /// this process, in one transaction with its `run.started` deliveries; ``execute(runID:alter:observer:)``
    /// then runs it. Nil when there is none. PostgreSQL.
    package func claimNextPending(excluding skipped: Set<Int64> = []) throws(EngineError) -> Int64? {
        let store = try openStore()
        var claim: RunClaim?
        do {
            try store.db.begin(.immediate)
            guard let run = try store.lockNextPendingRun(excluding: skipped) else {
                try store.db.commit()
                return nil
            }
            let (compiled, hash, _) = resolveDefinition(of: run)
            guard try store.claimRow(run.id, owner: ownership.owner, definitionHash: hash) else {
                try store.db.rollback()
                return nil
            }
            try store.enqueueWebhooks(.started, runID: run.id, hooks: compiled?.definition.webhooks ?? [])
            claim = try ownership.acquire(run.id)
            try store.db.commit()
            if let claim { heldClaims.withLock { $0[run.id] = claim } }
            return run.id
        } catch {
            try? store.db.rollback()
            claim?.release()
            if let e = error as? EngineError { throw e }
            throw .database(error as? SQLiteError ?? SQLiteError(extendedCode: 1, message: "\(error)"))
        }
    }
}

extension IngestEngine {
    /// Ends an abandoned run as interrupted and queues its `run.failed` deliveries, in one transaction.
    private func markInterrupted(_ run: IngestRun, reason: String, store: RunStore) throws(SQLiteError) -> Bool {
        let hooks = webhooks(of: run)
        guard !hooks.isEmpty else { return try store.markInterrupted(run.id, reason: reason) }
        try store.db.begin(.immediate)
        do {
            let ended = try store.markInterrupted(run.id, reason: reason)
            if ended { try store.enqueueWebhooks(.failed, runID: run.id, hooks: hooks) }
            try store.db.commit()
            return ended
        } catch {
            try? store.db.rollback()
            throw error
        }
    }

    /// The webhooks of the definition version a run uses (the one it was created with, if this
    /// process still holds it, else the importer's current one); none when it is not loaded.
    func webhooks(of run: IngestRun) -> [WebhookSpec] {
        webhooks(importer: run.importer, definitionHash: run.definitionHash)
    }

    func webhooks(importer: String, definitionHash: String?) -> [WebhookSpec] {
        if let hash = definitionHash, let definition = versions.withLock({ $0[hash] }) { return definition.webhooks }
        return registry.loaded(slug: importer)?.definition?.webhooks ?? []
    }
}

extension WebhookEvent {
    /// The event a final status sends: completed (with or without errors), failed or cancelled.
    init(ending status: RunStatus) {
        switch status {
        case .completed, .completedWithErrors: self = .completed
        case .cancelled: self = .cancelled
        case .failed, .pending, .processing: self = .failed
        }
    }
}

/// The identity of a file at a moment: inode, size, modification and change times.
///
/// `apply` and `resume` compare it to refuse a file that changed since the first run. The change
/// time (`ctime`) moves on any write and cannot be set back by `touch`, so this catches edits
/// without reading the file again (hashing a 185 MB feed costs about a second of the parse
/// thread, which is the import's other bottleneck).
enum SourceFingerprint {
    static func of(_ path: String) -> String? {
        var s = stat()
        guard stat(path, &s) == 0 else { return nil }
        // Not the device number: it changes when a file system is mounted again.
        return "\(s.st_ino):\(s.st_size):\(s.st_mtim.tv_sec).\(s.st_mtim.tv_nsec):\(s.st_ctim.tv_sec).\(s.st_ctim.tv_nsec)"
    }
}

