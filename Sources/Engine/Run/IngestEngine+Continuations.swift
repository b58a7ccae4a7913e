import Foundation
import SQLite

/// Runs that continue an earlier one: retry (its failed rows), apply (a dry run, for real) and
/// resume (a stopped run, from its last committed chunk). See docs/RUNS.md.
extension IngestEngine {
    /// Records a `pending` retry of the failed rows of run `id`, under the current definition.
    ///
    /// A retry takes the rows that were not committed because they failed. It is refused when
    /// other rows were not committed either (a dry run, a rolled-back `transaction: all` or
    /// `chunk` run, a run that stopped before the end of its file), since writing only the
    /// failed rows would leave partial data; the message says what to do instead. At most one
    /// retry of a run is pending or processing at a time (a unique index, across processes).
    package func createRetry(of id: Int64, dryRun: Bool, userID: Int64?) throws(EngineError) -> Int64 {
        let store = try openStore()
        let original = try existingRun(id, in: store)
        guard original.status.isFinished else {
            throw .conflict("The ingest run \(id) has not finished yet; retry it once it has.")
        }
        if let reason = original.retryRefusal { throw .conflict(reason) }
        do {
            if let active = try store.activeRetry(of: id) {
                throw EngineError.conflict("A retry of the ingest run \(id) is already pending or processing (run \(active)).")
            }
            if let done = try store.finishedRetry(of: id) {
                throw EngineError.conflict("The failed rows of run \(id) were already retried (run \(done)); retry the failed rows of run \(done) instead.")
            }
            guard try store.failedRowCount(of: id) > 0 else { throw EngineError.noFailedRows(runID: id) }
        } catch let e as EngineError { throw e } catch { throw .database(error as? SQLiteError ?? .corruptRecord(table: "ingest_rows", id: id, column: "", "\(error)")) }
        let (_, loaded) = try importer(original.importer)
        var next = RunStore.NewRun(importer: original.importer, userID: userID ?? original.userID,
                                   originalFilename: original.originalFilename, definitionHash: loaded.contentHash, dryRun: dryRun,
                                   parentID: original.id, retriedFromRunID: original.id)
        next.ownsFile = false
        return try record(next, store: store, duplicate: "A retry of the ingest run \(id) is already pending or processing.")
    }

    /// Records a real run of dry run `id`'s file under the same definition version.
    ///
    /// Refused when the run is not a completed dry run, when the definition changed since
    /// (another content hash), when the file is gone or changed, or when it was already applied.
    package func createApply(of id: Int64, userID: Int64?) throws(EngineError) -> Int64 {
        let store = try openStore()
        let dry = try existingRun(id, in: store)
        guard dry.dryRun else { throw .conflict("Run \(id) is not a dry run; only a dry run can be applied.") }
        guard dry.status == .completed || dry.status == .completedWithErrors else {
            throw .conflict("Run \(id) is \(dry.status.rawValue): only a dry run that completed can be applied.")
        }
        try requireSameDefinition(as: dry)
        let path = try requireSameFile(as: dry)
        do {
            if let other = try store.liveContinuation(of: id, column: .apply) {
                throw EngineError.conflict("Dry run \(id) was already applied (run \(other)).")
            }
        } catch let e as EngineError { throw e } catch { throw .database(error as? SQLiteError ?? .corruptRecord(table: "ingest_runs", id: id, column: "", "\(error)")) }
        var next = RunStore.NewRun(importer: dry.importer, userID: userID ?? dry.userID, originalFilename: dry.originalFilename,
                                   sourcePath: path, definitionHash: dry.definitionHash, dryRun: false, parentID: dry.id)
        next.appliedFromRunID = dry.id
        next.sourceFingerprint = dry.sourceFingerprint
        return try record(next, store: store, continuing: id, duplicate: "Dry run \(id) was already applied.")
    }

    /// Records a run that continues the stopped run `id` from its last committed chunk.
    ///
    /// The new run is linked to it (`resumed_from_run_id`), starts with its committed counters and
    /// skips the source rows it committed, so the counters of the resumed run add up to the file's
    /// rows. A `transaction: all` run or a dry run committed nothing and is run again whole.
    package func createResume(of id: Int64, userID: Int64?) throws(EngineError) -> Int64 {
        let store = try openStore()
        let stopped = try existingRun(id, in: store)
        guard stopped.status == .cancelled || stopped.status == .failed else {
            throw .conflict("Run \(id) is \(stopped.status.rawValue): only a cancelled or interrupted run can be resumed.")
        }
        guard stopped.resumable else {
            if stopped.status == .cancelled && stopped.startedAt == nil {
                throw .conflict("Run \(id) was cancelled before it started; start a new run instead.")
            }
            if stopped.rolledBackRows > 0 {
                throw .conflict("Run \(id) stopped after a bad row rolled its transaction back; fix the file and import it whole again.")
            }
            throw .conflict("Run \(id) failed on its own rows or source (\(stopped.failureReason ?? "no reason recorded")); resuming would fail again. Fix the file and import it again.")
        }
        try requireSameDefinition(as: stopped)
        // A run stopped before it read anything (claimed, then its node died) has no fingerprint:
        // nothing was committed, so the file as it is now is what the resume reads whole.
        let unread = stopped.sourceFingerprint == nil && stopped.resumePosition == 0
        let path: String? = stopped.retriedFromRunID == nil ? try requireSameFile(as: stopped, unread: unread) : nil
        do {
            if let other = try store.liveContinuation(of: id, column: .resume) {
                throw EngineError.conflict("Run \(id) was already resumed (run \(other)).")
            }
        } catch let e as EngineError { throw e } catch { throw .database(error as? SQLiteError ?? .corruptRecord(table: "ingest_runs", id: id, column: "", "\(error)")) }
        let (compiled, _) = try importer(stopped.importer)
        let whole = stopped.dryRun || compiled.definition.transaction == .all
        var next = RunStore.NewRun(importer: stopped.importer, userID: userID ?? stopped.userID,
                                   originalFilename: stopped.originalFilename, sourcePath: path,
                                   definitionHash: stopped.definitionHash, dryRun: stopped.dryRun, parentID: stopped.id,
                                   retriedFromRunID: stopped.retriedFromRunID)
        next.resumedFromRunID = stopped.id
        next.sourceFingerprint = stopped.sourceFingerprint
        if !whole {
            next.resumePosition = stopped.resumePosition
            next.counts = stopped.counts
        }
        return try record(next, store: store, continuing: id, duplicate: "Run \(id) was already resumed.")
    }

    // MARK: checks

    func existingRun(_ id: Int64, in store: RunStore) throws(EngineError) -> IngestRun {
        let found: IngestRun?
        do { found = try store.run(id) } catch { throw .database(error) }
        guard let run = found else { throw .runNotFound(id: id) }
        return run
    }

    /// The definition file must be the version the run used.
    private func requireSameDefinition(as run: IngestRun) throws(EngineError) {
        let (_, loaded) = try importer(run.importer)
        guard let hash = run.definitionHash, hash == loaded.contentHash else {
            throw .conflict("The importer '\(run.importer)' changed since run \(run.id) (definition \(String((run.definitionHash ?? "none").prefix(12))) "
                + "then, \(String(loaded.contentHash.prefix(12))) now); start a new run of the file instead.")
        }
    }

    /// The run's file must still be there, unchanged. Returns its path.
    private func requireSameFile(as run: IngestRun, unread: Bool = false) throws(EngineError) -> String {
        guard let path = run.sourcePath, FileManager.default.fileExists(atPath: path) else {
            throw .conflict("The file of run \(run.id) is gone (it was pruned or removed); upload it again.")
        }
        if unread { return path }
        guard let then = run.sourceFingerprint, let now = SourceFingerprint.of(path), then == now else {
            throw .conflict("The file of run \(run.id) changed since it ran; start a new run of the file instead.")
        }
        return path
    }

}

extension IngestRun {
    /// Why retrying `run` would leave partial data, if it would.
    package var retryRefusal: String? {
        let run = self
        if run.dryRun {
            return "Run \(run.id) was a dry run: nothing was written, so a retry of its failed rows would import them alone. "
                + "Apply it instead to import its valid rows ('ingest apply \(run.id)' or POST /\(run.id)/apply), or import the fixed file."
        }
        if run.rolledBackRows > 0 {
            return "Run \(run.id) was rolled back (\(run.rolledBackRows) valid rows were not kept), so a retry of its failed rows alone "
                + "would leave partial data. Fix the failed rows in the file and import the whole file again."
        }
        if run.resumable {
            return "Run \(run.id) stopped before the end of its file. Resume it first ('ingest resume \(run.id)' or POST /\(run.id)/resume), "
                + "then retry the failed rows of the resumed run."
        }
        if !run.readToEnd {
            return "Run \(run.id) stopped before the end of its file (\(run.failureReason ?? "no reason recorded")), so a retry of its failed rows alone "
                + "would leave the rest out. Fix the file and import it whole again."
        }
        return nil
    }
}
