import Engine
import Foundation
import HTTP
import Synchronization

/// The REST API of Ingest: the seed's eight endpoints plus importers, row log, OpenAPI and health.
///
/// Holds no import logic: every handler asks the engine and renders a resource. Imports never
/// run on a connection thread: upload, trigger and retry create a `pending` run, call
/// `notifyWorkers` and answer `202` at once; a ``RunWorkerPool`` picks the run up.
///
/// Errors from any handler go through ``APIError``, the one place that chooses statuses; a
/// `500` is logged with its cause and answered `{"message": "Server Error."}`.
package final class IngestAPI: Sendable {
    /// The engine the handlers use.
    package let engine: IngestEngine
    /// Prefix, paging and body limits.
    package let configuration: APIConfiguration
    let stores: StorePool
    /// Bodies of repeated reads, and the database change counter that says when they are true.
    let readCache = ReadCache()
    let changes: ChangeWatch
    let authenticator: BearerAuthenticator
    /// Follows runs through the database for the event streams.
    let events: RunEventFeed
    let notifyWorkers: @Sendable () -> Void
    let logger: @Sendable (String) -> Void
    private let openAPICache = Mutex<[UInt8]?>(nil)

    /// Creates the API.
    /// - Parameters:
    ///   - notifyWorkers: called after a run is created (``RunWorkerPool/notify()``).
    ///   - logger: receives one line per unexpected (`500`) error, with its cause.
    package init(engine: IngestEngine, configuration: APIConfiguration = APIConfiguration(),
                notifyWorkers: @escaping @Sendable () -> Void = {}, logger: @escaping @Sendable (String) -> Void = { _ in }) {
        self.engine = engine
        self.configuration = configuration
        self.stores = StorePool(engine: engine)
        self.events = RunEventFeed(engine: engine)
        self.changes = ChangeWatch(engine: engine)
        self.authenticator = BearerAuthenticator(stores: stores, changes: changes, database: engine.configuration.database)
        self.notifyWorkers = notifyWorkers
        self.logger = logger
    }

    /// A router serving every endpoint under the prefix, and the dashboard at `/` (unless the
    /// API itself is mounted at the root).
    ///
    /// Endpoints that need a token check it in the route's admission check, from the request
    /// head: a missing or unknown token is answered `401`, a missing scope or CSRF token `403`,
    /// before any body byte is read (and before any `100 Continue`), and the connection is
    /// closed. Anonymous endpoints take no body at all (signing in takes a small one), so an
    /// unauthenticated client cannot hold a connection by sending one. A token in the URL
    /// (`?token=`) is refused on every route.
    package func makeRouter() -> Router {
        var router = Router()
        for endpoint in endpoints {
            var options = endpoint.options
            switch endpoint.access {
            case .token:
                options.admission = { [self] request in try admit(request, to: endpoint) }
            case .anonymous, .signIn:
                if endpoint.access == .anonymous { options.maxBodyBytes = 0 }
                options.admission = { request in
                    try IngestAPI.refuseTokenInURL(request)
                    return .anonymous
                }
            }
            router.add(endpoint.method, endpoint.routerPattern(prefix: configuration.prefix), options: options) { [self] request in
                respond(to: request, with: endpoint)
            }
        }
        if !configuration.prefix.isEmpty { Dashboard.register(on: &router, apiPrefix: configuration.prefix) }
        return router
    }

    /// The admission check of every endpoint that needs a token: the token's owner, or `401`;
    /// `403` without the endpoint's scope, or without the CSRF token of a cookie session on a
    /// state-changing method. Bearer tokens need no CSRF token: no browser sends them by itself.
    private func admit(_ request: HTTPRequest, to endpoint: APIEndpoint) throws -> Admission {
        do {
            try IngestAPI.refuseTokenInURL(request)
            let token = try authenticator.authenticate(request.headers)
            if let scope = endpoint.scope, !token.scopes.contains(scope) {
                throw APIError.missingScope(scope, has: token.scopes)
            }
            if let session = token.session, ![.get, .head, .options].contains(request.method) {
                let presented = request.headers["X-CSRF-Token"] ?? ""
                guard ConstantTime.equals(Array(presented.utf8), Array(session.csrfToken.utf8)) else { throw APIError.csrfMismatch }
            }
            return .authenticated(principal: token)
        } catch {
            let mapped = APIError(error)
            if mapped == .server {
                logger("error authenticating \(request.method) \(request.path): \(String(describing: error))")
            }
            throw mapped
        }
    }

    /// `400` for a request with a token in its query string.
    static func refuseTokenInURL(_ request: HTTPRequest) throws(APIError) {
        if request.query["token"] != nil || request.query["access_token"] != nil { throw APIError.tokenInURL }
    }

    /// Runs the handler with the token the admission check found, and maps any error.
    private func respond(to request: HTTPRequest, with endpoint: APIEndpoint) -> HTTPResponse {
        do {
            var token: AuthenticatedToken?
            if endpoint.access == .token {
                // The router only runs a token endpoint's handler after its admission check.
                guard let principal = request.principal as? AuthenticatedToken else { throw APIError.unauthenticated }
                token = principal
            }
            return try endpoint.handler(request, token)
        } catch {
            let mapped = APIError(error)
            if mapped == .server {
                logger("error \(request.method) \(request.path): \(String(describing: error))")
            }
            return mapped.makeResponse()
        }
    }

    /// The OpenAPI 3.1 document of every endpoint, as served by `GET /openapi.json`.
    package func openAPIDocument() -> JSONValue {
        OpenAPIDocument.make(endpoints: endpoints, prefix: configuration.prefix)
    }

    /// The document's bytes, built once.
    func openAPIBytes() -> [UInt8] {
        if let cached = openAPICache.withLock({ $0 }) { return cached }
        let bytes = JSONBytesWriter.bytes(openAPIDocument())
        openAPICache.withLock { $0 = bytes }
        return bytes
    }

    // MARK: - Shared request helpers

    /// The run id of `/{ingestRun}…`. Only the canonical form names a run: decimal digits with
    /// no sign, leading zero, space or fraction, so each run has exactly one URL; anything else
    /// (`+1`, `01`, `1.0`, ` 1`) is `404`, like an unknown id.
    func runID(_ request: HTTPRequest) throws(APIError) -> Int64 {
        let text = request.parameters["ingestRun"] ?? ""
        let digits = UInt8(ascii: "0")...UInt8(ascii: "9")
        guard let first = text.utf8.first, first != UInt8(ascii: "0"), text.utf8.allSatisfy(digits.contains),
              let id = Int64(text)
        else { throw .runNotFound(text) }
        return id
    }

    /// The run `id` or `404`.
    func existingRun(_ id: Int64, in store: RunStore) throws -> IngestRun {
        guard let run = try store.run(id) else { throw APIError.runNotFound(String(id)) }
        return run
    }

    /// The link to `relativePath` under the prefix: after the configured public URL, or relative
    /// to the server root when there is none. Never built from the request's `Host`.
    func link(_ relativePath: String) -> String {
        (configuration.publicURL ?? "") + configuration.prefix + relativePath
    }

    /// `202` with a run just created, as created (`pending`): it is read before the workers are
    /// woken (a worker's periodic poll can still claim it first, and the answer then says
    /// `processing`).
    func accepted(runID: Int64) throws -> HTTPResponse {
        defer { notifyWorkers() }
        let run = try stores.withStore { store in try existingRun(runID, in: store) }
        return IngestRunResource.response(run, status: .accepted)
    }
}
