/// The request line and header section of one request, before any body is read.
struct HTTPRequestHead: Sendable, Equatable {
    var method: HTTPMethod
    /// The request-target exactly as sent (RFC 9112 §3.2), e.g. `/runs?page=2`.
    var target: String
    var version: HTTPVersion
    var headers: HTTPHeaders
}
