import Engine
import HTTP

/// Importers as `GET /importers` and `GET /importers/{slug}` show them: slug, name, source type,
/// target table, formats, definition hash, and the load errors of a broken file (which may
/// still serve its previous version, flagged by `serving_previous_version`).
enum ImporterResource {
    /// `{"data": [importer, …]}`, by slug.
    static func collection(_ summaries: [ImporterSummary]) -> HTTPResponse {
        .resource(.array(summaries.sorted { $0.slug < $1.slug }.map(\.json)))
    }

    /// `{"data": importer}` with its compiled column plan.
    static func detail(_ detail: JSONValue) -> HTTPResponse {
        .resource(detail)
    }
}
