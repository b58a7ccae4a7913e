/// A request as a handler sees it.
///
/// Not `Sendable`: its ``body`` reads from the connection's socket on the connection thread.
package struct HTTPRequest {
    /// The request method.
    package var method: HTTPMethod
    /// The request-target exactly as sent, e.g. `/runs?page=2`.
    package var target: String
    /// The path of the target, still percent-encoded, without the query, e.g. `/runs`.
    package var path: String
    /// The decoded query string.
    package var query: QueryParameters
    /// The protocol version of the request line.
    package var version: HTTPVersion
    /// The header fields, in order.
    package var headers: HTTPHeaders
    /// Values captured by `:name` segments of the matched route, percent-decoded.
    package var parameters: [String: String]
    /// The body; see ``BodyStream``.
    package var body: BodyStream
    /// The client's IP address (IPv4 dotted or IPv6 text), or `""` when unknown.
    package var remoteAddress: String
    /// Who the route's ``AdmissionCheck`` found the client to be
    /// (``Admission/authenticated(principal:)``); `nil` for an anonymous request.
    package var principal: (any Sendable)?

    /// Creates a request; `target` is split into ``path`` and ``query``. For tests and for the
    /// server itself.
    package init(
        method: HTTPMethod, target: String, version: HTTPVersion = .http1_1, headers: HTTPHeaders = HTTPHeaders(),
        body: BodyStream = BodyStream(bytes: []), remoteAddress: String = ""
    ) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
        self.parameters = [:]
        self.principal = nil
        let (path, query) = HTTPRequest.split(target: target)
        self.path = path
        self.query = QueryParameters(parsing: query)
    }

    /// Splits a request-target into its path and raw query. Absolute-form targets
    /// (`http://host/path`, RFC 9112 §3.2.2) keep only the path; a fragment is dropped.
    static func split(target: String) -> (path: String, query: Substring) {
        var rest = Substring(target)
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        if !rest.hasPrefix("/"), let scheme = rest.range(of: "://") {
            let afterScheme = rest[scheme.upperBound...]
            rest = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" }).map { afterScheme[$0...] } ?? "/"
            if rest.hasPrefix("?") { rest = Substring("/" + rest) }
        }
        guard let question = rest.firstIndex(of: "?") else { return (String(rest), "") }
        return (String(rest[..<question]), rest[rest.index(after: question)...])
    }
}
