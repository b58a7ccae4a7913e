/// What a route's admission check decided about a request from its head alone, before any of
/// the body is read.
package enum Admission: Sendable {
    /// The request may proceed, but nothing about the client is known: the connection keeps
    /// counting as unauthenticated (see ``HTTPServerConfiguration/maxUnauthenticatedConnections``).
    case anonymous
    /// The client proved who it is. `principal` (e.g. the token's owner) reaches the handler as
    /// ``HTTPRequest/principal``, and the connection no longer counts as unauthenticated.
    case authenticated(principal: any Sendable)
}

/// Decides from the head alone whether a request may go on to its body and handler.
///
/// It sees the method, target, headers, route parameters and client address of the request (its
/// body is still empty). A thrown ``HTTPResponseError`` (such as `401`) is answered as it is and
/// the connection is closed without reading the body; `Expect: 100-continue` is never honoured
/// for a refused request. Any other error is a `500` that reveals nothing. It runs on the
/// connection thread, so it must be quick (e.g. a token lookup).
package typealias AdmissionCheck = @Sendable (HTTPRequest) throws -> Admission
