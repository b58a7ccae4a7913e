/// A handler: a plain synchronous closure run on the connection thread.
///
/// Throw an ``HTTPResponseError`` (such as ``HTTPError``) to choose the error response; any
/// other error becomes a `500` whose message reveals nothing.
package typealias HTTPHandler = @Sendable (HTTPRequest) throws -> HTTPResponse

/// One registered route: its method, path pattern, options and handler.
package struct Route: Sendable {
    /// The method it answers.
    package let method: HTTPMethod
    /// The pattern as registered, e.g. `/runs/:id/rows`.
    package let pattern: String
    /// What the server must know before running the handler.
    package let options: RouteOptions
    /// The handler.
    package let handler: HTTPHandler

    /// The pattern's segments; `:name` segments capture a parameter.
    let segments: [String]
}
