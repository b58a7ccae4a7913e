import Engine
import HTTP

/// The seed's `IngestErrorSummaryResource`: `{"data": {total_failed_rows, error_summary,
/// validation_summary}}`, each summary a list of `{message, count}`, most frequent first.
enum ErrorSummaryResource {
    /// The body `{"data": summary}`.
    static func body(_ summary: ErrorSummary) -> [UInt8] {
        JSONBytesWriter.resourceBytes(summary.json)
    }
}
