import Engine
import HTTP

/// A handler of the API: the request and, on authenticated routes, the token that made it.
typealias APIHandler = @Sendable (HTTPRequest, AuthenticatedToken?) throws -> HTTPResponse

/// One endpoint: its route, who may call it, its OpenAPI description and its handler.
///
/// The router and the OpenAPI document are both built from the same list of endpoints
/// (``IngestAPI/endpoints``), which is what keeps the document true.
package struct APIEndpoint: Sendable {
    /// Who may call an endpoint.
    package enum Access: Sendable, Equatable {
        /// Requires `Authorization: Bearer <token>` or the dashboard's session cookie, and the
        /// endpoint's ``APIEndpoint/scope``.
        case token
        /// Open to anyone, with a small JSON body: signing in (`POST /session`).
        case signIn
        /// Open to anyone (health check, the OpenAPI document).
        case anonymous
    }

    /// The method.
    package let method: HTTPMethod
    /// The path under the prefix in OpenAPI template form: `/`, `/{ingestRun}/cancel`, ….
    package let path: String
    /// Who may call it.
    package let access: Access
    /// The scope a token needs (``Access/token`` only): by default `read` for `GET` and `run`
    /// for every other method; `nil` means any valid token.
    package let scope: TokenScope?
    /// Body handling (streamed uploads, size limits).
    let options: RouteOptions
    /// Its description in the OpenAPI document.
    let operation: OpenAPIOperation
    /// The handler.
    let handler: APIHandler

    init(_ method: HTTPMethod, _ path: String, access: Access = .token, scope: TokenScope? = nil, anyScope: Bool = false,
         options: RouteOptions = RouteOptions(), operation: OpenAPIOperation, handler: @escaping APIHandler) {
        self.method = method
        self.path = path
        self.access = access
        self.scope = access != .token || anyScope ? nil : scope ?? (method == .get ? .read : .run)
        self.options = options
        self.operation = operation
        self.handler = handler
    }

    /// The router pattern under `prefix`: `{name}` segments become `:name`.
    package func routerPattern(prefix: String) -> String {
        let segments = path.split(separator: "/").map { segment -> String in
            if segment.hasPrefix("{") && segment.hasSuffix("}") { return ":" + segment.dropFirst().dropLast() }
            return String(segment)
        }
        return prefix + "/" + segments.joined(separator: "/")
    }
}
