/// Maps a method and path to a handler.
///
/// Built once by value, then handed to ``HTTPServer``, which keeps its own immutable copy: the
/// table is frozen before the first request, so lookups need no locks. Patterns are split on
/// `/`; a segment `:name` captures one path segment (percent-decoded) into
/// ``HTTPRequest/parameters``. Empty segments are ignored, so `/runs/` matches `/runs`.
package struct Router: Sendable {
    private var root = RouteNode()

    /// Creates an empty router.
    package init() {}

    /// Registers `handler` for `method` and `pattern`; a later registration of the same method
    /// and pattern replaces the earlier one.
    package mutating func add(
        _ method: HTTPMethod, _ pattern: String, options: RouteOptions = RouteOptions(),
        handler: @escaping HTTPHandler
    ) {
        let segments = Router.split(pattern)
        root.insert(Route(method: method, pattern: pattern, options: options, handler: handler, segments: segments), at: 0)
    }

    /// Registers a `GET` route (which also answers `HEAD`).
    package mutating func get(_ pattern: String, options: RouteOptions = RouteOptions(), handler: @escaping HTTPHandler) {
        add(.get, pattern, options: options, handler: handler)
    }

    /// Registers a `POST` route.
    package mutating func post(_ pattern: String, options: RouteOptions = RouteOptions(), handler: @escaping HTTPHandler) {
        add(.post, pattern, options: options, handler: handler)
    }

    /// Registers a `PUT` route.
    package mutating func put(_ pattern: String, options: RouteOptions = RouteOptions(), handler: @escaping HTTPHandler) {
        add(.put, pattern, options: options, handler: handler)
    }

    /// Registers a `PATCH` route.
    package mutating func patch(_ pattern: String, options: RouteOptions = RouteOptions(), handler: @escaping HTTPHandler) {
        add(.patch, pattern, options: options, handler: handler)
    }

    /// Registers a `DELETE` route.
    package mutating func delete(_ pattern: String, options: RouteOptions = RouteOptions(), handler: @escaping HTTPHandler) {
        add(.delete, pattern, options: options, handler: handler)
    }

    /// Finds the route for `method` and `path` (the path part of the target, still
    /// percent-encoded). `HEAD` falls back to the `GET` route (RFC 9110 §9.3.2).
    package func resolve(_ method: HTTPMethod, path: String) -> RouteResolution {
        let rawSegments = Router.split(path)
        let segments = rawSegments.map { PercentDecoding.decode($0[...], plusAsSpace: false) }
        guard let node = root.find(segments, at: 0) else { return .notFound }
        let route = node.routes[method] ?? (method == .head ? node.routes[.get] : nil)
        guard let route else {
            var allowed = Set(node.routes.keys)
            if allowed.contains(.get) { allowed.insert(.head) }
            return .methodNotAllowed(allowed: allowed.sorted())
        }
        var parameters: [String: String] = [:]
        for (index, segment) in route.segments.enumerated() where segment.hasPrefix(":") {
            parameters[String(segment.dropFirst())] = segments[index]
        }
        return .matched(route, parameters: parameters)
    }

    /// Runs the matching route's admission check and handler for `request` (whose
    /// ``HTTPRequest/parameters`` are filled in) and maps thrown errors, `404` and `405` to
    /// responses exactly as the server does. Use it
    /// to test handlers without sockets.
    package func respond(to request: HTTPRequest) -> HTTPResponse {
        switch resolve(request.method, path: request.path) {
        case .notFound:
            return HTTPResponse(error: Router.notFoundError)
        case .methodNotAllowed(let allowed):
            return HTTPResponse(error: Router.methodNotAllowedError(allowed))
        case .matched(let route, let parameters):
            var request = request
            request.parameters = parameters
            do {
                try Router.admit(&request, options: route.options)
            } catch {
                return HTTPResponse(error: error)
            }
            do {
                return try route.handler(request)
            } catch {
                return HTTPResponse(error: error)
            }
        }
    }

    /// Runs the route's ``RouteOptions/admission`` check on `request` (whose body has not been
    /// read) and records the principal it found.
    ///
    /// - Returns: whether the request was ``Admission/authenticated(principal:)``.
    @discardableResult
    static func admit(_ request: inout HTTPRequest, options: RouteOptions) throws -> Bool {
        guard let check = options.admission else { return false }
        switch try check(request) {
        case .anonymous:
            return false
        case .authenticated(let principal):
            request.principal = principal
            return true
        }
    }

    static let notFoundError = HTTPError(.notFound, message: "Not found.")

    static func methodNotAllowedError(_ allowed: [HTTPMethod]) -> HTTPError {
        HTTPError(
            .methodNotAllowed, message: "Method not allowed.",
            headers: ["Allow": allowed.map(\.rawValue).joined(separator: ", ")]
        )
    }

    private static func split(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }
}
