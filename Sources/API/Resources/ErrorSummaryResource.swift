import Engine
import HTTP

/// The seed's `IngestErrorSummaryResource`: `{"data": {total_failed_rows, error_summary,
/// validation_summary}}`, each summary a list of `{message, count}`, most frequent first.
enum ErrorSummaryResource {
    /// `{"data": summary}`.
    static func response(_ summary: ErrorSummary) -> HTTPResponse {
        .resource(summary.json)
    }
}
