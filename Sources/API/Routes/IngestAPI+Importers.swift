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
}
