import Engine
import HTTP

/// Acting on runs: cancel, retry, apply and resume. The rules (which run may be retried, applied
/// or resumed, one at a time) live in the engine; this maps them to HTTP.
extension IngestAPI {
    /// `POST /{ingestRun}/cancel`: a pending run is cancelled at once (its upload removed), a
    /// processing one between chunks; `409` once it has finished.
    func cancelRun(_ request: HTTPRequest, _ token: AuthenticatedToken?) throws -> HTTPResponse {
        let id = try runID(request)
        switch try engine.requestCancellation(of: id) {
        case .notFound:
            throw APIError.runNotFound(String(id))
        case .alreadyFinished(let status):
            throw APIError.alreadyFinished(status)
        case .requested:
            return .json(.object([("message", .string("Cancellation request sent."))]))
        }
    }

    /// `POST /{ingestRun}/retry`: a new run of the original's failed rows only, under the current
    /// definition. Optional body `{"dry_run": true}`. `409` (with the reason) when the run is still
    /// running, a retry of it is active, or a retry would leave partial data.
    func retryRun(_ request: HTTPRequest, _ token: AuthenticatedToken?) throws -> HTTPResponse {
        let id = try runID(request)
        let dryRun = try BooleanInput.dryRun(jsonBody: request.body.buffered ?? [])
        return try accepted(runID: engine.createRetry(of: id, dryRun: dryRun, userID: token?.userID))
    }

    /// `POST /{ingestRun}/apply`: runs a completed dry run's file for real under the same
    /// definition version; `409` with the reason when the definition or file changed since.
    func applyRun(_ request: HTTPRequest, _ token: AuthenticatedToken?) throws -> HTTPResponse {
        let id = try runID(request)
        return try accepted(runID: engine.createApply(of: id, userID: token?.userID))
    }

    /// `POST /{ingestRun}/resume`: continues a cancelled or interrupted run from its last
    /// committed chunk, as a new run linked to it; `409` with the reason when it cannot.
    func resumeRun(_ request: HTTPRequest, _ token: AuthenticatedToken?) throws -> HTTPResponse {
        let id = try runID(request)
        return try accepted(runID: engine.createResume(of: id, userID: token?.userID))
    }
}
