/// A plain HTTP error: a status, a client-safe message and optional headers.
///
/// The server uses it for every protocol error it answers itself (`400`, `408`, `413`, …), and
/// ``BodyStream`` throws it, so a handler can let body errors propagate and the client still gets
/// the right status.
package struct HTTPError: HTTPResponseError, Sendable, Equatable, CustomStringConvertible {
    /// The response status.
    package var status: HTTPStatus
    /// A client-safe message, sent as `{"message": ...}`.
    package var message: String
    /// The header fields, in order.
    package var headers: HTTPHeaders

    /// Creates an error; `message` defaults to the status's reason phrase.
    package init(_ status: HTTPStatus, message: String? = nil, headers: HTTPHeaders = HTTPHeaders()) {
        self.status = status
        self.message = message ?? status.reasonPhrase
        self.headers = headers
    }

    /// The status and message, for logs.
    package var description: String { "HTTPError(\(status.code): \(message))" }
}
