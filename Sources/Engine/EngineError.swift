import SQLite

/// What can go wrong when asking the engine for something. The API maps each case to an HTTP status
/// in one place; the CLI to an exit code.
package enum EngineError: Error, Sendable, Equatable, CustomStringConvertible {
    case importerNotFound(slug: String)
    /// The definition file exists but does not compile.
    case importerBroken(slug: String, problems: [String])
    case runNotFound(id: Int64)
    case noFailedRows(runID: Int64)
    /// Retry of a run that is itself still running, or other state conflicts.
    case conflict(String)
    /// The file's format is not one the importer accepts.
    case unsupportedFormat(found: String, accepted: [String])
    /// The file's content is none of the formats the importer reads (an image, random bytes, a
    /// ZIP archive that is not a workbook); the sentence says what it looks like.
    case contentRefused(String, accepted: [String])
    /// The source could not be read (missing file, escaped data root, download failure).
    case sourceUnavailable(String)
    /// A request the importer cannot serve (trigger on an upload-only importer, …).
    case invalidRequest(String)
    case database(SQLiteError)

    /// "This importer does not accept csv files; accepted formats: xlsx.", and for CSV or TSV
    /// what would be taken: Ingest's own failed-rows CSV, recognised by its last two columns.
    package static func unsupportedFormatMessage(found: String, accepted: [String]) -> String {
        let refusal = "This importer does not accept \(found) files; accepted formats: \(accepted.joined(separator: ", "))."
        guard found == "csv" || found == "tsv" else { return refusal }
        return refusal + " A failed-rows CSV exported by Ingest is accepted if it keeps its last two columns, "
            + "\(FailedRowsExport.errorColumn) and \(FailedRowsExport.rowNumberColumn)."
    }

    package var description: String {
        switch self {
        case .importerNotFound(let slug): return "No importer found with the slug '\(slug)'."
        case .importerBroken(let slug, let problems):
            return "The importer '\(slug)' has errors in its definition:\n" + problems.map { "  " + $0 }.joined(separator: "\n")
        case .runNotFound(let id): return "No ingest run found with the id \(id)."
        case .noFailedRows: return "The original run has no failed rows to retry."
        case .conflict(let m), .sourceUnavailable(let m), .invalidRequest(let m), .contentRefused(let m, _): return m
        case .unsupportedFormat(let found, let accepted):
            return Self.unsupportedFormatMessage(found: found, accepted: accepted)
        case .database(let e): return "Database error: \(e.message)"
        }
    }
}
