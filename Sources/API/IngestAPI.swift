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
public final class IngestAPI: Sendable {
    /// The engine the handlers use.
    public let engine: IngestEngine
    /// Prefix, paging and body limits.
    public let configuration: APIConfiguration
    let stores: StorePool
    let authenticator: BearerAuthenticator
    let notifyWorkers: @Sendable () -> Void
    let logger: @Sendable (String) -> Void
    private let openAPICache = Mutex<[UInt8]?>(nil)

    /// Creates the API.
    /// - Parameters:
    ///   - notifyWorkers: called after a run is created (``RunWorkerPool/notify()``).
    ///   - logger: receives one line per unexpected (`500`) error, with its cause.
    public init(engine: IngestEngine, configuration: APIConfiguration = APIConfiguration(),
                notifyWorkers: @escaping @Sendable () -> Void = {}, logger: @escaping @Sendable (String) -> Void = { _ in }) {
        self.engine = engine
        self.configuration = configuration
        self.stores = StorePool(engine: engine)
        self.authenticator = BearerAuthenticator(stores: stores, databasePath: engine.configuration.databasePath)
        self.notifyWorkers = notifyWorkers
        self.logger = logger
    }

    /// A router serving every endpoint under the prefix.
    public func makeRouter() -> Router {
        var router = Router()
        for endpoint in endpoints {
            router.add(endpoint.method, endpoint.routerPattern(prefix: configuration.prefix), options: endpoint.options) { [self] request in
                respond(to: request, with: endpoint)
            }
        }
        return router
    }

    /// Authenticates when the endpoint requires it, runs the handler, and maps any error.
    private func respond(to request: HTTPRequest, with endpoint: APIEndpoint) -> HTTPResponse {
        do {
            let token = endpoint.access == .token ? try authenticator.authenticate(request.headers) : nil
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
    public func openAPIDocument() -> JSONValue {
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

    /// The run id of `/{ingestRun}…`; anything but a positive integer is `404`, like an unknown id.
    func runID(_ request: HTTPRequest) throws(APIError) -> Int64 {
        let text = request.parameters["ingestRun"] ?? ""
        guard let id = Int64(text), id > 0 else { throw .runNotFound(text) }
        return id
    }

    /// The run `id` or `404`.
    func existingRun(_ id: Int64, in store: RunStore) throws -> IngestRun {
        guard let run = try store.run(id) else { throw APIError.runNotFound(String(id)) }
        return run
    }

    /// The absolute URL of `relativePath` under the prefix, on the host the client addressed.
    func absoluteURL(_ relativePath: String, for request: HTTPRequest) -> String {
        URLText.absolute(path: configuration.prefix + relativePath, headers: request.headers,
                         scheme: configuration.scheme, fallbackHost: configuration.fallbackHost)
    }

    /// `202` with a run just created, as created (`pending`): it is read before the workers are
    /// woken, so the answer does not depend on how fast one picks it up.
    func accepted(runID: Int64) throws -> HTTPResponse {
        defer { notifyWorkers() }
        let run = try stores.withStore { store in try existingRun(runID, in: store) }
        return IngestRunResource.response(run, status: .accepted)
    }
}
