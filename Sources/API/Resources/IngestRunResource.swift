import Engine
import HTTP

/// The seed's `IngestRunResource`: `id, importer, status, user_id, original_filename,
/// progress{total, processed, successful, failed}, summary, started_at, completed_at, rows`, in
/// that order, then Ingest's additions (`dry_run`, `progress.created`, …, `rows_per_second`,
/// `eta_seconds`).
///
/// The field list lives in the engine (`IngestRun.json(rows:)`) so that the CLI's `--json` and
/// the API say the same thing; this type decides when rows are included and wraps the result.
enum IngestRunResource {
    /// The most logged rows embedded in `GET /{id}`; the rest are paged by `GET /{id}/rows`.
    static let embeddedRowLimit = 100

    /// The run's object; `rows` only when given (the show endpoint).
    static func json(_ run: IngestRun, rows: [LoggedRow]? = nil) -> JSONValue {
        run.json(rows: rows)
    }

    /// The body `{"data": run}` with its rows as stored: their `data` and `errors` JSON is copied
    /// into the response, not decoded and written again (most of the work of `GET /{id}` otherwise).
    static func body(_ run: IngestRun, storedRows: [StoredRow]) -> [UInt8] {
        JSONBytesWriter.resourceBytes(run.json(rowObjects: storedRows.map(\.json)))
    }

    /// `{"data": run}` with `status` (`200`, or `202` for a run just started).
    static func response(_ run: IngestRun, rows: [LoggedRow]? = nil, status: HTTPStatus = .ok) -> HTTPResponse {
        .resource(json(run, rows: rows), status: status)
    }
}
