import Foundation

/// A response produced by a handler: status, headers and content.
///
/// The server adds `Content-Length` or `Transfer-Encoding`, `Date` and `Connection` itself;
/// handlers set only what describes their content.
package struct HTTPResponse {
    /// The response status.
    package var status: HTTPStatus
    /// The header fields, in order.
    package var headers: HTTPHeaders
    /// The content.
    package var body: HTTPResponseBody

    /// Creates a response.
    package init(status: HTTPStatus = .ok, headers: HTTPHeaders = HTTPHeaders(), body: HTTPResponseBody = .empty) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON response from bytes that already hold a JSON document.
    package static func json(bytes: [UInt8], status: HTTPStatus = .ok, headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        var headers = headers
        headers.replaceOrAdd(name: "Content-Type", value: "application/json")
        return HTTPResponse(status: status, headers: headers, body: .bytes(bytes))
    }

    /// A JSON response encoding `value` with `encoder` (default: a plain `JSONEncoder`).
    package static func json(
        _ value: some Encodable, status: HTTPStatus = .ok, headers: HTTPHeaders = HTTPHeaders(),
        encoder: JSONEncoder = JSONEncoder()
    ) throws(EncodingError) -> HTTPResponse {
        let data: Data
        do {
            data = try encoder.encode(value)
        } catch let error as EncodingError {
            throw error
        } catch {
            throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "\(error)"))
        }
        return json(bytes: Array(data), status: status, headers: headers)
    }

    /// A JSON `{"message": ...}` response, the shape of every error the server sends.
    package static func message(_ message: String, status: HTTPStatus, headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        json(bytes: Array("{\"message\":\(JSONString.quote(message))}".utf8), status: status, headers: headers)
    }

    /// A `text/plain; charset=utf-8` response.
    package static func text(_ text: String, status: HTTPStatus = .ok, headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        var headers = headers
        headers.replaceOrAdd(name: "Content-Type", value: "text/plain; charset=utf-8")
        return HTTPResponse(status: status, headers: headers, body: .bytes(Array(text.utf8)))
    }

    /// A streamed (chunked) response whose content `producer` writes while it is sent.
    package static func stream(
        status: HTTPStatus = .ok, headers: HTTPHeaders = HTTPHeaders(), producer: @escaping (ResponseBodyWriter) throws -> Void
    ) -> HTTPResponse {
        HTTPResponse(status: status, headers: headers, body: .stream(producer))
    }

    /// A `text/event-stream` response fed by `producer` (see ``HTTPResponseBody/eventStream(_:)``).
    package static func eventStream(headers: HTTPHeaders = HTTPHeaders(), producer: any EventStreamProducer) -> HTTPResponse {
        var headers = headers
        headers.replaceOrAdd(name: "Content-Type", value: "text/event-stream")
        headers.replaceOrAdd(name: "Cache-Control", value: "no-store")
        // Tells nginx not to buffer the stream (it would hold the events back).
        headers.replaceOrAdd(name: "X-Accel-Buffering", value: "no")
        return HTTPResponse(status: .ok, headers: headers, body: .eventStream(producer))
    }

    /// The response for an error thrown by a handler: the error's own response if it adopts
    /// ``HTTPResponseError``, otherwise a `500` whose message reveals nothing about the cause.
    package init(error: any Error) {
        if let error = error as? any HTTPResponseError {
            self = error.makeResponse()
        } else {
            self = .message("Internal server error.", status: .internalServerError)
        }
    }

    /// The whole content, running a stream producer into memory (an event stream's first batch).
    /// Meant for tests that call the router without sockets.
    package func collectBody() throws -> [UInt8] {
        switch body {
        case .empty:
            return []
        case .bytes(let bytes):
            return bytes
        case .stream(let producer):
            var collected: [UInt8] = []
            let writer = ResponseBodyWriter { (chunk: [UInt8]) throws(HTTPIOError) in collected.append(contentsOf: chunk) }
            try producer(writer)
            try writer.flush()
            return collected
        case .eventStream(let producer):
            // Without a socket there is no later tick: the events of the first call only.
            return try producer.nextEvents(now: .now).events.flatMap(\.encoded)
        }
    }
}
