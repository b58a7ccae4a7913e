import Engine
import HTTP

/// The importer definitions being served.
extension IngestAPI {
    /// `GET /importers`: every definition file, valid or not, with its load errors.
    func listImporters(_ request: HTTPRequest, _ token: AuthenticatedToken?) throws -> HTTPResponse {
        ImporterResource.collection(engine.importerSummaries())
    }

    /// `GET /importers/{importerSlug}`: one importer with its compiled column plan.
    func showImporter(_ request: HTTPRequest, _ token: AuthenticatedToken?) throws -> HTTPResponse {
        ImporterResource.detail(try engine.importerDetail(request.parameters["importerSlug"] ?? ""))
    }

    /// `GET /importers/{importerSlug}/check`: what `ingest check` reports for the importer: its
    /// problems (load errors as `file:line:column`, database and example mismatches), notes,
    /// warnings and how many of its `examples` pass.
    func checkImporter(_ request: HTTPRequest, _ token: AuthenticatedToken?) throws -> HTTPResponse {
        let report = try engine.checkImporter(request.parameters["importerSlug"] ?? "")
        return .resource(.object([
            ("slug", .string(report.slug)),
            ("file", .string(report.fileName)),
            ("ok", .bool(report.isOK)),
            ("problems", .array(report.problems.map(JSONValue.string))),
            ("notes", .array(report.notes.map(JSONValue.string))),
            ("warnings", .array(report.warnings.map(JSONValue.string))),
            ("examples_passed", .integer(Int64(report.examplesPassed))),
            ("examples_total", .integer(Int64(report.examplesTotal))),
        ]))
    }
}
