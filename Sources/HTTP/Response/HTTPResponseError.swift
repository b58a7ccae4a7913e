/// An error that knows which HTTP response it becomes.
///
/// Errors thrown by handlers are turned into responses in one place
/// (``HTTPResponse/init(error:)``): adopters choose their status and message; anything else
/// becomes a `500` with a generic message so that internal details never reach a client.
package protocol HTTPResponseError: Error {
    /// The status of the error response.
    var status: HTTPStatus { get }
    /// A message safe to show to the client, sent as `{"message": ...}`.
    var message: String { get }
    /// Extra response headers (e.g. `Allow`, `Retry-After`, `WWW-Authenticate`).
    var headers: HTTPHeaders { get }
    /// The full response; the default is a JSON `{"message": ...}` body with ``headers``.
    /// Override to add fields (e.g. `errors` for a `422`).
    func makeResponse() -> HTTPResponse
}

extension HTTPResponseError {
    /// No extra headers by default.
    package var headers: HTTPHeaders { HTTPHeaders() }

    /// A JSON `{"message": ...}` response with ``headers``.
    package func makeResponse() -> HTTPResponse {
        HTTPResponse.message(message, status: status, headers: headers)
    }
}
