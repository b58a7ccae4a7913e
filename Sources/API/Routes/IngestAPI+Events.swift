import Engine
import HTTP

/// Live events: one run's progress, and every run's changes, as Server-Sent Events.
extension IngestAPI {
    /// `GET /{ingestRun}/events`: the run's `status`, `progress` and final event (see
    /// ``RunEventStream``); `404` for an unknown run.
    func runEvents(_ request: HTTPRequest, _ token: AuthenticatedToken?) throws -> HTTPResponse {
        let id = try runID(request)
        let lastEventID = try IngestAPI.lastEventID(request.headers)
        _ = try stores.withStore { store in try existingRun(id, in: store) }
        return .eventStream(producer: RunEventStream(runID: id, feed: events, lastEventID: lastEventID ?? 0))
    }

    /// `GET /events[?importer=slug&status=…]`: a `run` event whenever a matching run changes (see
    /// ``RunListEventStream``).
    func listEvents(_ request: HTTPRequest, _ token: AuthenticatedToken?) throws -> HTTPResponse {
        let importer = request.query["importer"].flatMap { $0.isEmpty ? nil : $0 }
        var status: RunStatus?
        if let text = request.query["status"], !text.isEmpty {
            guard let parsed = RunStatus(rawValue: text) else {
                throw APIError.invalid(field: "status", message: "The selected status is invalid; use one of: \(RunStatus.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            status = parsed
        }
        let lastEventID = try IngestAPI.lastEventID(request.headers)
        return .eventStream(producer: try RunListEventStream(feed: events, importer: importer, status: status, lastEventID: lastEventID))
    }

    /// The `Last-Event-ID` a reconnecting client sends: an id this API gave, a non-negative
    /// integer; `400` otherwise. An empty value means none (the standard's reset).
    static func lastEventID(_ headers: HTTPHeaders) throws(APIError) -> Int64? {
        guard let text = headers["Last-Event-ID"], !text.isEmpty else { return nil }
        let digits = UInt8(ascii: "0")...UInt8(ascii: "9")
        guard text.utf8.count <= 18, text.utf8.allSatisfy(digits.contains), let id = Int64(text) else {
            throw .badRequest("Last-Event-ID must be the id of an event this server sent (a non-negative integer).")
        }
        return id
    }
}
