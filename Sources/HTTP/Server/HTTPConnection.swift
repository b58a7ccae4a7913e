import Glibc
import IngestSupport

/// Serves the requests of one connection, in order, on the thread that owns it.
///
/// Keep-alive and pipelining fall out of the shape: bytes read past the end of one request stay
/// in ``inbound`` and are parsed as the next one, and responses are written in request order
/// because there is only ever one request in flight.
final class HTTPConnection {
    private let socket: ConnectionSocket
    private let remoteAddress: String
    private let configuration: HTTPServerConfiguration
    private let router: Router
    private let logger: HTTPServer.Logger
    private let eventStreams: EventStreamHub?
    /// Readable once the server is shutting down; watched only while waiting between requests.
    private let shutdownSignal: Int32
    private let isShuttingDown: @Sendable () -> Bool
    /// Called once, when a request on this connection first passes an admission check as
    /// authenticated.
    private let onAuthenticated: () -> Void
    private var isAuthenticated = false
    private let acceptedAt: ContinuousClock.Instant

    /// Bytes received and not yet consumed, from ``inboundStart``.
    private var inbound: [UInt8] = []
    private var inboundStart = 0
    private var scratch = [UInt8](repeating: 0, count: 64 * 1024)
    private var headParser: HTTPHeadParser
    /// The last `Date` value sent and the second it names.
    private var dateText: (second: time_t, text: String)?

    init(
        socket: ConnectionSocket, remoteAddress: String, configuration: HTTPServerConfiguration, router: Router,
        logger: @escaping HTTPServer.Logger, eventStreams: EventStreamHub? = nil, shutdownSignal: Int32, isShuttingDown: @escaping @Sendable () -> Bool,
        onAuthenticated: @escaping () -> Void = {}
    ) {
        self.socket = socket
        self.remoteAddress = remoteAddress
        self.configuration = configuration
        self.router = router
        self.logger = logger
        self.eventStreams = eventStreams
        self.shutdownSignal = shutdownSignal
        self.isShuttingDown = isShuttingDown
        self.onAuthenticated = onAuthenticated
        self.acceptedAt = .now
        self.headParser = HTTPHeadParser(
            maxRequestLineBytes: configuration.maxRequestLineBytes,
            maxHeadBytes: configuration.maxHeadBytes,
            maxHeaderCount: configuration.maxHeaderCount
        )
    }

    /// Serves requests until the connection should close, then closes it.
    func serve() {
        var isFirst = true
        while true {
            switch readHead(isFirst: isFirst) {
            case .close:
                socket.close()
                return
            case .failed(let error, let startedAt):
                let response = HTTPResponse(error: error)
                let sent = write(response, isHead: false, version: .http1_1, close: true)
                log(method: "-", path: "-", status: response.status, bytes: sent ?? 0, startedAt: startedAt)
                socket.lingeringClose()
                return
            case .head(let head, let startedAt):
                isFirst = false
                switch handle(head, startedAt: startedAt) {
                case .keepAlive:
                    continue
                case .close:
                    // Nothing of the client's is left unread, so only what already arrived
                    // needs discarding.
                    socket.lingeringClose(linger: .zero)
                    return
                case .closeAbandoningInput:
                    socket.lingeringClose()
                    return
                case .detached:
                    return
                }
            }
        }
    }

    // MARK: - Reading the head

    private enum HeadOutcome {
        case head(HTTPRequestHead, startedAt: ContinuousClock.Instant)
        case failed(HTTPError, startedAt: ContinuousClock.Instant)
        case close
    }

    private var unconsumed: ArraySlice<UInt8> { inbound[inboundStart...] }

    private func consume(_ count: Int) {
        inboundStart += count
        if inboundStart == inbound.count {
            inbound.removeAll(keepingCapacity: true)
            inboundStart = 0
        } else if inboundStart > 64 * 1024 && inboundStart * 2 > inbound.count {
            inbound.removeFirst(inboundStart)
            inboundStart = 0
        }
    }

    private func readHead(isFirst: Bool) -> HeadOutcome {
        headParser.reset()
        var startedAt: ContinuousClock.Instant = isFirst ? acceptedAt : .now
        var waitingForFirstByte = unconsumed.isEmpty
        // The first request must arrive within the head timeout of the connect, which also
        // bounds clients that connect and say nothing; later ones get the idle timeout.
        var deadline = isFirst ? acceptedAt + configuration.headTimeout
            : (waitingForFirstByte ? ContinuousClock.now + configuration.idleTimeout : startedAt + configuration.headTimeout)
        while true {
            if !waitingForFirstByte {
                do throws(HTTPError) {
                    if let (head, consumed) = try headParser.parse(unconsumed) {
                        consume(consumed)
                        return .head(head, startedAt: startedAt)
                    }
                } catch {
                    return .failed(error, startedAt: startedAt)
                }
            }
            if waitingForFirstByte && isShuttingDown() { return .close }
            do throws(HTTPIOError) {
                let count = try socket.receive(
                    appendingTo: &inbound, scratch: &scratch, until: deadline, wake: waitingForFirstByte ? shutdownSignal : nil
                )
                if count == 0 { return .close }
                if waitingForFirstByte {
                    waitingForFirstByte = false
                    if !isFirst {
                        startedAt = .now
                        deadline = startedAt + configuration.headTimeout
                    }
                }
            } catch {
                if error == .timedOut && !waitingForFirstByte {
                    return .failed(HTTPError(.requestTimeout, message: "The request head was not received in time."), startedAt: startedAt)
                }
                return .close
            }
        }
    }

    // MARK: - Handling one request

    /// What happens to the connection after a response.
    private enum Disposition {
        case keepAlive
        /// Close; the request was read completely.
        case close
        /// Close while the client may still be sending (an unread or failed body).
        case closeAbandoningInput
        /// The socket went to the event-stream thread, which now owns it.
        case detached
    }

    /// What one exchange decided about the connection.
    private struct Exchange {
        /// Close after the response (HTTP/1.0, `Connection: close`, a refused admission).
        var close: Bool
        /// Set when the response goes out before the body was read: the connection cannot carry
        /// another request, and the client may still be sending.
        var abandonsInput = false
        var bodySource: SocketBodySource?
    }

    /// Handles one request whose head was read.
    private func handle(_ head: HTTPRequestHead, startedAt: ContinuousClock.Instant) -> Disposition {
        let isHead = head.method == .head
        var exchange = Exchange(close: head.version == .http1_0 || head.headers.containsToken("close", in: "Connection"))
        var request = HTTPRequest(method: head.method, target: head.target, version: head.version, headers: head.headers, remoteAddress: remoteAddress)
        var response: HTTPResponse
        if let cors = configuration.cors, head.method == .options, (try? BodyFraming.determine(for: head)) == BodyFraming.none,
           let preflight = cors.preflightResponse(to: head.headers) {
            response = preflight
        } else {
            response = respond(to: &request, head: head, exchange: &exchange)
            configuration.cors?.decorate(&response.headers, origin: head.headers["Origin"])
        }
        if case .eventStream(let producer) = response.body, !isHead, !exchange.abandonsInput {
            guard let hub = eventStreams, hub.reserve() else {
                response = HTTPResponse(error: HTTPError(
                    .serviceUnavailable, message: "Too many event streams are open (at most \(eventStreams?.capacity ?? 0)); try again later.",
                    headers: ["Retry-After": String(configuration.retryAfterSeconds)]))
                return finish(response, head: head, request: request, startedAt: startedAt, exchange: &exchange)
            }
            return handOver(response, producer: producer, to: hub, head: head, request: request, startedAt: startedAt)
        }
        return finish(response, head: head, request: request, startedAt: startedAt, exchange: &exchange)
    }

    /// Writes an ordinary response and decides what happens to the connection.
    private func finish(
        _ response: HTTPResponse, head: HTTPRequestHead, request: HTTPRequest, startedAt: ContinuousClock.Instant,
        exchange: inout Exchange
    ) -> Disposition {
        let isHead = head.method == .head

        // A body the handler did not read to the end (or that failed) leaves the stream
        // position unknown, so the connection cannot carry another request.
        if let source = exchange.bodySource, !source.isAtEnd || source.failed { exchange.abandonsInput = true }
        if isShuttingDown() { exchange.close = true }
        let sent = write(response, isHead: isHead, version: head.version, close: exchange.close || exchange.abandonsInput)
        log(method: head.method.rawValue, path: request.path, status: response.status, bytes: sent ?? 0, startedAt: startedAt)
        if exchange.abandonsInput { return .closeAbandoningInput }
        guard sent != nil else { return .close }
        if case .stream = response.body, head.version == .http1_0 { return .close }
        return exchange.close ? .close : .keepAlive
    }

    /// Sends an event stream's head, then gives the socket to the event-stream thread. The stream
    /// is close-delimited (RFC 9112 §6.3: without Content-Length or chunking the content ends
    /// when the server closes), so the connection carries no further request.
    private func handOver(
        _ response: HTTPResponse, producer: any EventStreamProducer, to hub: EventStreamHub, head: HTTPRequestHead,
        request: HTTPRequest, startedAt: ContinuousClock.Instant
    ) -> Disposition {
        var headers = response.headers
        for name in ["Content-Length", "Transfer-Encoding", "Connection", "Date"] { headers.remove(name: name) }
        headers.add(name: "Date", value: HTTPDate.now())
        headers.add(name: "Connection", value: "close")
        var text = "HTTP/1.1 \(response.status.code) \(response.status.reasonPhrase)\r\n"
        for field in headers.fields { text += "\(field.name): \(field.value)\r\n" }
        text += "\r\n"
        do throws(HTTPIOError) {
            try socket.send(Array(text.utf8), timeout: configuration.writeTimeout)
        } catch {
            hub.cancelReservation()
            return .close
        }
        log(method: head.method.rawValue, path: request.path, status: response.status, bytes: 0, startedAt: startedAt)
        hub.adopt(descriptor: socket.detach(), producer: producer)
        return .detached
    }

    /// Frames, routes and admits the request from its head, then attaches the body and runs the
    /// handler; every failure becomes its response.
    private func respond(to request: inout HTTPRequest, head: HTTPRequestHead, exchange: inout Exchange) -> HTTPResponse {
        let framing: BodyFraming
        do throws(HTTPError) {
            framing = try BodyFraming.determine(for: head)
        } catch {
            // RFC 9112 §6.3: when the body length cannot be determined, the server MUST close
            // the connection after responding.
            exchange.abandonsInput = true
            return HTTPResponse(error: error)
        }
        let route: Route
        do throws(HTTPError) {
            route = try self.route(for: head, request: &request)
        } catch {
            if framing != .none { exchange.abandonsInput = true }
            return HTTPResponse(error: error)
        }
        do {
            if try Router.admit(&request, options: route.options), !isAuthenticated {
                isAuthenticated = true
                onAuthenticated()
            }
        } catch {
            // Refused from the head: no body byte is read, no 100 Continue is sent, and the
            // connection closes, so a refused client holds it no longer.
            exchange.close = true
            if framing != .none { exchange.abandonsInput = true }
            if !(error is any HTTPResponseError) { logger("error admitting \(head.method) \(request.path): \(String(describing: error))") }
            return HTTPResponse(error: error)
        }
        do throws(HTTPError) {
            try attachBody(to: &request, head: head, route: route, framing: framing, exchange: &exchange)
        } catch {
            return HTTPResponse(error: error)
        }
        do {
            return try route.handler(request)
        } catch {
            if !(error is any HTTPResponseError) { logger("error \(head.method) \(request.path): \(String(describing: error))") }
            return HTTPResponse(error: error)
        }
    }

    /// The route of the request, with its parameters filled in; `400`, `404` or `405` otherwise.
    private func route(for head: HTTPRequestHead, request: inout HTTPRequest) throws(HTTPError) -> Route {
        guard head.target.hasPrefix("/") || head.target.contains("://") || (head.target == "*" && head.method == .options) else {
            throw HTTPError(.badRequest, message: "The request target is not a path.")
        }
        switch router.resolve(head.method, path: request.path) {
        case .notFound:
            throw Router.notFoundError
        case .methodNotAllowed(let allowed):
            throw Router.methodNotAllowedError(allowed)
        case .matched(let route, let parameters):
            request.parameters = parameters
            return route
        }
    }

    /// Checks the body against the route's limit and `Expect`, then gives the request its body:
    /// a stream for streaming routes, the whole body read into memory otherwise.
    private func attachBody(
        to request: inout HTTPRequest, head: HTTPRequestHead, route: Route, framing: BodyFraming, exchange: inout Exchange
    ) throws(HTTPError) {
        let limit = route.options.maxBodyBytes
            ?? (route.options.streamingBody ? configuration.maxStreamingBodyBytes : configuration.maxBufferedBodyBytes)
        if case .length(let length) = framing, length > limit {
            // Refuse before reading (and before any 100 Continue), so the client need not
            // upload what will be thrown away.
            exchange.abandonsInput = true
            throw HTTPError(.contentTooLarge, message: "The request body is larger than \(limit) bytes.")
        }
        var expectsContinue = false
        if let expectation = head.headers["Expect"], head.version == .http1_1 {
            // RFC 9110 §10.1.1: 100-continue is the only expectation defined; a server MAY
            // answer any other with 417. HTTP/1.0 expectations MUST be ignored.
            guard expectation.trimmingHTTPWhitespace().lowercased() == "100-continue" else {
                if framing != .none { exchange.abandonsInput = true }
                throw HTTPError(.expectationFailed, message: "Only the 100-continue expectation is supported.")
            }
            expectsContinue = framing != .none
        }
        let source = SocketBodySource(connection: self, framing: framing, expectsContinue: expectsContinue)
        exchange.bodySource = source
        let expectedLength: Int? = switch framing {
        case .none: 0
        case .length(let length): length
        case .chunked: nil
        }
        let stream = BodyStream(source: source, expectedLength: expectedLength, maxBytes: limit)
        request.body = route.options.streamingBody ? stream : BodyStream(bytes: try stream.collect())
    }

    // MARK: - Body

    /// Reads more bytes for the body, waiting at most ``HTTPServerConfiguration/bodyReadTimeout``
    /// and never past `deadline` (the body's rate deadline); `0` means the client closed.
    fileprivate func receiveBody(deadline: ContinuousClock.Instant) throws(HTTPError) -> Int {
        let stall = ContinuousClock.now + configuration.bodyReadTimeout
        do throws(HTTPIOError) {
            return try socket.receive(appendingTo: &inbound, scratch: &scratch, until: min(stall, deadline))
        } catch {
            guard error == .timedOut else {
                throw HTTPError(.badRequest, message: "The connection failed while reading the request body.")
            }
            if deadline < stall {
                throw HTTPError(.requestTimeout, message: "The request body arrived too slowly: after the first "
                                + "\(HTTPConnection.describe(configuration.bodyTimeout)) it must average at least "
                                + "\(configuration.minBodyBytesPerSecond) bytes per second.")
            }
            throw HTTPError(.requestTimeout, message: "The request body was not received in time.")
        }
    }

    /// Receives body bytes straight into `buffer` (nothing may be buffered), with the same
    /// deadlines and errors as ``receiveBody(deadline:)``.
    fileprivate func receiveBody(into buffer: UnsafeMutableRawBufferPointer, deadline: ContinuousClock.Instant) throws(HTTPError) -> Int {
        let stall = ContinuousClock.now + configuration.bodyReadTimeout
        do throws(HTTPIOError) {
            return try socket.receive(into: buffer, until: min(stall, deadline))
        } catch {
            guard error == .timedOut else {
                throw HTTPError(.badRequest, message: "The connection failed while reading the request body.")
            }
            if deadline < stall {
                throw HTTPError(.requestTimeout, message: "The request body arrived too slowly: after the first "
                                + "\(HTTPConnection.describe(configuration.bodyTimeout)) it must average at least "
                                + "\(configuration.minBodyBytesPerSecond) bytes per second.")
            }
            throw HTTPError(.requestTimeout, message: "The request body was not received in time.")
        }
    }

    /// `30 s`, or `300 ms` for a duration that is not a whole number of seconds.
    static func describe(_ duration: Duration) -> String {
        duration.components.attoseconds == 0 ? "\(duration.components.seconds) s" : "\(duration.wholeMilliseconds) ms"
    }

    /// When a body whose first read began at `start` and that has brought `received` bytes since
    /// must be complete: ``HTTPServerConfiguration/bodyTimeout`` plus one second per
    /// ``HTTPServerConfiguration/minBodyBytesPerSecond`` bytes received.
    fileprivate func bodyDeadline(start: ContinuousClock.Instant, received: Int) -> ContinuousClock.Instant {
        start + configuration.bodyTimeout + .seconds(Double(received) / Double(configuration.minBodyBytesPerSecond))
    }

    /// Whether body bytes are already buffered.
    fileprivate var hasBufferedBody: Bool { inboundStart < inbound.count }

    /// Lets `use` look at the buffered bytes and consumes as many as it reports using. The
    /// slice is gone before the buffer is compacted, so compaction never copies it.
    fileprivate func consumeBuffered(_ use: (ArraySlice<UInt8>) throws(HTTPError) -> Int) throws(HTTPError) -> Int {
        let used = try use(inbound[inboundStart...])
        consume(used)
        return used
    }

    fileprivate func sendContinue() throws(HTTPError) {
        do throws(HTTPIOError) {
            // RFC 9110 §15.2.1: the interim response tells the client to send the body.
            try socket.send(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8), timeout: configuration.writeTimeout)
        } catch {
            throw HTTPError(.badRequest, message: "The connection failed while sending 100 Continue.")
        }
    }

    fileprivate var headLimits: (bytes: Int, count: Int) { (configuration.maxHeadBytes, configuration.maxHeaderCount) }

    // MARK: - Writing

    /// Writes the response; returns the number of content bytes sent, or `nil` if the
    /// connection failed (it must then be closed).
    private func write(_ response: HTTPResponse, isHead: Bool, version: HTTPVersion, close: Bool) -> Int? {
        var headers = response.headers
        for name in ["Content-Length", "Transfer-Encoding", "Connection", "Date"] { headers.remove(name: name) }
        // RFC 9110 §6.6.1: an origin server with a clock MUST send Date.
        headers.add(name: "Date", value: currentDate())
        var payload: [UInt8] = []
        var producer: ((ResponseBodyWriter) throws -> Void)?
        var closeAfter = close
        let forbidsContent = response.status.forbidsContent
        switch response.body {
        case .empty:
            if !forbidsContent { headers.add(name: "Content-Length", value: "0") }
        case .bytes(let bytes):
            if !forbidsContent {
                headers.add(name: "Content-Length", value: String(bytes.count))
                payload = bytes
            }
        case .stream(let body):
            if !forbidsContent {
                if version == .http1_1 {
                    headers.add(name: "Transfer-Encoding", value: "chunked")
                } else {
                    // RFC 9112 §6.3: an HTTP/1.0 client cannot read chunked; the close marks the end.
                    closeAfter = true
                }
                producer = body
            }
        case .eventStream:
            // Only HEAD gets here (GET is handed to the event-stream thread): the head alone.
            closeAfter = true
        }
        if closeAfter { headers.add(name: "Connection", value: "close") }

        var head = "HTTP/1.1 \(response.status.code) \(response.status.reasonPhrase)\r\n"
        for field in headers.fields { head += "\(field.name): \(field.value)\r\n" }
        head += "\r\n"
        if isHead {
            // RFC 9110 §9.3.2: HEAD gets the headers GET would get, and no content.
            payload = []
            producer = nil
        }
        do throws(HTTPIOError) {
            try socket.send(head: Array(head.utf8), body: payload, timeout: configuration.writeTimeout)
        } catch {
            return nil
        }
        guard let producer else { return payload.count }

        let chunked = version == .http1_1
        let timeout = configuration.writeTimeout
        let socket = self.socket
        let writer = ResponseBodyWriter { (chunk: [UInt8]) throws(HTTPIOError) in
            if chunked {
                // RFC 9112 §7.1: chunk = chunk-size CRLF chunk-data CRLF.
                var framed = Array(String(chunk.count, radix: 16).utf8)
                framed += [13, 10]
                framed += chunk
                framed += [13, 10]
                try socket.send(framed, timeout: timeout)
            } else {
                try socket.send(chunk, timeout: timeout)
            }
        }
        do {
            try producer(writer)
            try writer.flush()
            if chunked {
                // RFC 9112 §7.1: last-chunk, no trailers, then the final CRLF.
                try socket.send(Array("0\r\n\r\n".utf8), timeout: timeout)
            }
        } catch {
            // The head is gone; closing without the last chunk tells the client the content is
            // incomplete, which is the only honest signal left.
            logger("error streaming response: \(String(describing: error))")
            return nil
        }
        return writer.bytesWritten
    }

    /// `HTTPDate.now()`, formatted once per second per connection.
    private func currentDate() -> String {
        let now = time(nil)
        if let cached = dateText, cached.second == now { return cached.text }
        let text = HTTPDate.format(secondsSince1970: now)
        dateText = (now, text)
        return text
    }

    private func log(method: String, path: String, status: HTTPStatus, bytes: Int, startedAt: ContinuousClock.Instant) {
        let elapsed = startedAt.duration(to: .now)
        let milliseconds = elapsed.wholeMilliseconds
        logger("\(remoteAddress) \(method) \(path) \(status.code) \(bytes)B \(milliseconds)ms")
    }
}

/// The body of one request, read from the connection's buffer and socket.
private final class SocketBodySource: BodySource {
    private unowned let connection: HTTPConnection
    private var remaining: Int
    private var decoder: ChunkedBodyDecoder?
    private var expectsContinue: Bool
    /// When the first read began (after any `100 Continue`): the body's deadline counts from here.
    private var startedAt: ContinuousClock.Instant?
    /// Bytes received from the socket for this body so far.
    private var received = 0
    /// Whether reading failed; the connection must then close.
    private(set) var failed = false
    private(set) var isAtEnd: Bool

    init(connection: HTTPConnection, framing: BodyFraming, expectsContinue: Bool) {
        self.connection = connection
        self.expectsContinue = expectsContinue
        switch framing {
        case .none:
            remaining = 0
            isAtEnd = true
        case .length(let length):
            remaining = length
            isAtEnd = false
        case .chunked:
            remaining = 0
            isAtEnd = false
            let limits = connection.headLimits
            decoder = ChunkedBodyDecoder(maxTrailerBytes: limits.bytes, maxTrailerCount: limits.count)
        }
    }

    var trailers: HTTPHeaders { decoder?.trailers ?? HTTPHeaders() }

    func read(into buffer: inout [UInt8], maxBytes: Int) throws(HTTPError) -> Int {
        guard !isAtEnd else { return 0 }
        do throws(HTTPError) {
            if expectsContinue {
                expectsContinue = false
                try connection.sendContinue()
            }
            if startedAt == nil { startedAt = .now }
            if decoder != nil {
                return try readChunked(into: &buffer, maxBytes: maxBytes)
            }
            if !connection.hasBufferedBody {
                if try receive() == 0 {
                    throw HTTPError(.badRequest, message: "The request body ended before its Content-Length.")
                }
            }
            let wanted = min(remaining, maxBytes)
            let count = try connection.consumeBuffered { available throws(HTTPError) in
                let count = min(wanted, available.count)
                buffer.append(contentsOf: available.prefix(count))
                return count
            }
            remaining -= count
            if remaining == 0 { isAtEnd = true }
            return count
        } catch {
            failed = true
            throw error
        }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(HTTPError) -> Int {
        guard !isAtEnd, let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        // A chunked body goes through its decoder, and bytes already buffered are copied out;
        // the rest of a Content-Length body is received straight into `buffer`.
        if decoder != nil || expectsContinue || connection.hasBufferedBody {
            var bytes: [UInt8] = []
            let count = try read(into: &bytes, maxBytes: buffer.count)
            bytes.withUnsafeBytes { raw in buffer.copyMemory(from: raw) }
            return count
        }
        do throws(HTTPError) {
            if startedAt == nil { startedAt = .now }
            let start = startedAt ?? .now
            let wanted = min(remaining, buffer.count)
            let count = try connection.receiveBody(
                into: UnsafeMutableRawBufferPointer(start: base, count: wanted),
                deadline: connection.bodyDeadline(start: start, received: received))
            if count == 0 { throw HTTPError(.badRequest, message: "The request body ended before its Content-Length.") }
            received += count
            remaining -= count
            if remaining == 0 { isAtEnd = true }
            return count
        } catch {
            failed = true
            throw error
        }
    }

    private func readChunked(into buffer: inout [UInt8], maxBytes: Int) throws(HTTPError) -> Int {
        guard var decoder else { return 0 }
        defer { self.decoder = decoder }
        let before = buffer.count
        while true {
            if connection.hasBufferedBody {
                _ = try connection.consumeBuffered { available throws(HTTPError) in
                    try decoder.decode(available, into: &buffer, maxOutput: maxBytes)
                }
                if decoder.isComplete {
                    isAtEnd = true
                    return buffer.count - before
                }
                if buffer.count > before { return buffer.count - before }
            }
            if try receive() == 0 {
                throw HTTPError(.badRequest, message: "The chunked request body ended before its last chunk.")
            }
        }
    }

    /// Receives more body bytes within the body's deadline.
    private func receive() throws(HTTPError) -> Int {
        let start = startedAt ?? .now
        let count = try connection.receiveBody(deadline: connection.bodyDeadline(start: start, received: received))
        received += count
        return count
    }
}
