import Engine
import HTTP

extension HTTPResponse {
    /// A JSON response of `value`, written compactly in its member order.
    static func json(_ value: JSONValue, status: HTTPStatus = .ok, headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        .json(bytes: JSONBytesWriter.bytes(value), status: status, headers: headers)
    }

    /// `{"data": value}`, the envelope of every resource.
    static func resource(_ value: JSONValue, status: HTTPStatus = .ok) -> HTTPResponse {
        .json(.object([("data", value)]), status: status)
    }
}
