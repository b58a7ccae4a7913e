/// A plain HTTP error: a status, a client-safe message and optional headers.
///
/// The server uses it for every protocol error it answers itself (`400`, `408`, `413`, …), and
/// ``BodyStream`` throws it, so a handler can let body errors propagate and the client still gets
/// the right status.
public struct HTTPError: HTTPResponseError, Sendable, Equatable, CustomStringConvertible {
    public var status: HTTPStatus
    public var message: String
    public var headers: HTTPHeaders

    /// Creates an error; `message` defaults to the status's reason phrase.
    public init(_ status: HTTPStatus, message: String? = nil, headers: HTTPHeaders = HTTPHeaders()) {
        self.status = status
        self.message = message ?? status.reasonPhrase
        self.headers = headers
    }

    public var description: String { "HTTPError(\(status.code): \(message))" }
}
