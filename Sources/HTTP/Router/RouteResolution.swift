/// The outcome of looking up a method and path in a ``Router``.
package enum RouteResolution: Sendable {
    /// A route answers; `parameters` holds the decoded `:param` captures.
    case matched(Route, parameters: [String: String])
    /// The path exists but not for this method; `allowed` is what the `Allow` header lists.
    case methodNotAllowed(allowed: [HTTPMethod])
    /// No route has this path.
    case notFound
}
