/// Cross-origin access for browsers (the Fetch standard's CORS protocol), off unless origins are
/// listed.
///
/// A preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) from a listed
/// origin is answered `204` by the server itself, before routing and authentication (a browser
/// sends no credentials with it): `Access-Control-Allow-Origin` with that origin (never `*`),
/// `-Allow-Methods`, `-Allow-Headers`, `-Max-Age` and `Vary: Origin`. A preflight from any other
/// origin is `403`. Actual responses to a listed origin carry `Access-Control-Allow-Origin` and
/// `Access-Control-Expose-Headers`; every response carries `Vary: Origin`, so a cache never
/// serves one origin's answer to another. Credentials mode is not allowed (no
/// `Access-Control-Allow-Credentials`): cross-origin clients send a Bearer token, which needs none.
package struct CORSPolicy: Sendable, Equatable {
    /// The allowed origins, normalised by ``normalizedOrigin(_:)``.
    package let origins: Set<String>
    /// `Access-Control-Allow-Methods`.
    package static let allowedMethods = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"
    /// `Access-Control-Allow-Headers`: what the API reads.
    package static let allowedHeaders = "Authorization, Content-Type, Last-Event-ID, X-CSRF-Token"
    /// `Access-Control-Expose-Headers`: what a script may read besides the safelisted ones.
    package static let exposedHeaders = "Content-Disposition, Retry-After"
    /// `Access-Control-Max-Age`: how long a browser may reuse a preflight, in seconds: 600.
    package static let maxAgeSeconds = 600

    /// A policy allowing `origins` (each already normalised); `nil` when the list is empty (off).
    package init?(origins: [String]) {
        guard !origins.isEmpty else { return nil }
        self.origins = Set(origins)
    }

    /// `scheme://host[:port]` in lower case, as browsers send `Origin`, or nil unless `text` is an
    /// `http` or `https` origin with a host and nothing after it (no path, query or `*`).
    package static func normalizedOrigin(_ text: String) -> String? {
        let lowered = text.lowercased()
        let rest: Substring
        if lowered.hasPrefix("https://") { rest = lowered.dropFirst(8) } else if lowered.hasPrefix("http://") {
            rest = lowered.dropFirst(7)
        } else { return nil }
        let allowed = "abcdefghijklmnopqrstuvwxyz0123456789-.:[]"
        guard !rest.isEmpty, rest.allSatisfy({ allowed.contains($0) }), rest.first != ":" else { return nil }
        return lowered
    }

    /// Whether `origin` (the request's `Origin` header) is listed.
    package func allows(_ origin: String) -> Bool {
        origins.contains(origin.lowercased())
    }

    /// The answer to a preflight, or nil when the request is not one.
    func preflightResponse(to headers: HTTPHeaders) -> HTTPResponse? {
        guard let origin = headers["Origin"], headers["Access-Control-Request-Method"] != nil else { return nil }
        guard allows(origin) else {
            return .message("The origin '\(origin)' may not call this API from a browser (see --cors-origin).",
                            status: .forbidden, headers: ["Vary": "Origin"])
        }
        return HTTPResponse(status: .noContent, headers: [
            "Access-Control-Allow-Origin": origin,
            "Access-Control-Allow-Methods": CORSPolicy.allowedMethods,
            "Access-Control-Allow-Headers": CORSPolicy.allowedHeaders,
            "Access-Control-Max-Age": String(CORSPolicy.maxAgeSeconds),
            "Vary": "Origin",
        ])
    }

    /// Adds the headers of an actual response to a request with `origin`.
    func decorate(_ headers: inout HTTPHeaders, origin: String?) {
        headers.add(name: "Vary", value: "Origin")
        guard let origin, allows(origin) else { return }
        headers.replaceOrAdd(name: "Access-Control-Allow-Origin", value: origin)
        headers.replaceOrAdd(name: "Access-Control-Expose-Headers", value: CORSPolicy.exposedHeaders)
    }
}
