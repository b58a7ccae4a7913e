import Engine
import Foundation
import SQLite
import HTTP

/// Acting on runs: cancel and retry.
extension IngestAPI {
    /// `POST /{ingestRun}/cancel`: a pending run is cancelled at once, a processing one between
    /// chunks; `409` once it has finished.
    func cancelRun(_ request: HTTPRequest, _ token: AuthenticatedToken?) throws -> HTTPResponse {
        let id = try runID(request)
        switch try engine.requestCancellation(of: id) {
        case .notFound:
            throw APIError.runNotFound(String(id))
        case .alreadyFinished(let status):
            throw APIError.alreadyFinished(status)
        case .requested:
            removeUploadOfRunCancelledBeforeStart(id)
            return .json(.object([("message", .string("Cancellation request sent."))]))
        }
    }

    /// A run cancelled while still pending is never executed, so no worker removes its uploaded
    /// file: remove it here. Only when the run never started (`started_at` is empty), so a file a
    /// worker is reading is never touched.
    private func removeUploadOfRunCancelledBeforeStart(_ id: Int64) {
        guard let run = try? stores.withStore({ store in try store.run(id) }),
              run.status == .cancelled, run.startedAt == nil, let path = run.sourcePath,
              engine.isTemporarySource(runID: id)
        else { return }
        try? FileManager.default.removeItem(atPath: path)
    }

    /// `POST /{ingestRun}/retry`: a new run of the original's failed rows only, under the current
    /// definition. Optional body `{"dry_run": true}`.
    func retryRun(_ request: HTTPRequest, _ token: AuthenticatedToken?) throws -> HTTPResponse {
        let id = try runID(request)
        let dryRun = try BooleanInput.dryRun(jsonBody: request.body.buffered ?? [])
        let retryID = try retryGate.withLock { _ in
            let original = try stores.withStore { store in
                let run = try existingRun(id, in: store)
                if run.status.isFinished, let active = try activeRetry(of: id, in: store) {
                    throw APIError.retryInProgress(runID: id, retryID: active)
                }
                return run
            }
            // Its failed rows are still being written: a retry now would miss some.
            guard original.status.isFinished else { throw APIError.runStillActive(id: id) }
            return try engine.createRetry(of: id, dryRun: dryRun, userID: token?.userID)
        }
        return try accepted(runID: retryID)
    }

    /// The id of a pending or processing retry of run `id`, if any.
    private func activeRetry(of id: Int64, in store: RunStore) throws -> Int64? {
        try store.db.scalar("""
            SELECT id FROM ingest_runs WHERE retried_from_run_id = ? AND status IN ('pending', 'processing')
            ORDER BY id LIMIT 1
            """, [.integer(id)])?.integerValue
    }
}
