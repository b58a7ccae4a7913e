import Glibc

/// Connections answered `503` without a thread: the accept loop writes the answer (it fits the
/// empty send buffer of a fresh socket), stops sending, and then reads and discards what the
/// client still sends for ``linger``, so that unread request bytes do not make the kernel reset
/// the connection before the client has read the answer (RFC 9112 §9.6).
///
/// At most ``maxLingering`` connections linger at once; more are closed right after the answer.
/// Not `Sendable`: it belongs to the accept loop.
struct RejectedConnections {
    /// How long a rejected connection is read and discarded before it is closed: 200 ms.
    static let linger: Duration = .milliseconds(200)
    /// The most rejected connections lingering at once: 64.
    static let maxLingering = 64

    private var lingering: [(descriptor: Int32, deadline: ContinuousClock.Instant)] = []
    /// The answer's head without its `Date` field and final blank line.
    private let head: String
    /// The answer's content: `{"message": ...}`.
    let content: [UInt8]

    /// Prepares the answer once: `503` with `Retry-After` and a JSON message.
    init(retryAfterSeconds: Int) {
        let error = HTTPError(
            .serviceUnavailable, message: "The server is busy; retry later.",
            headers: ["Retry-After": String(retryAfterSeconds)]
        )
        let response = HTTPResponse(error: error)
        content = if case .bytes(let bytes) = response.body { bytes } else { [] }
        var head = "HTTP/1.1 503 \(HTTPStatus.serviceUnavailable.reasonPhrase)\r\n"
        for field in response.headers.fields { head += "\(field.name): \(field.value)\r\n" }
        head += "Content-Length: \(content.count)\r\nConnection: close\r\n"
        self.head = head
    }

    /// Answers `503` on `descriptor` and starts lingering (or closes it when too many linger).
    mutating func reject(_ descriptor: Int32, now: ContinuousClock.Instant) {
        let message = Array((head + "Date: \(HTTPDate.now())\r\n\r\n").utf8) + content
        message.withUnsafeBytes { raw in
            _ = Glibc.send(descriptor, raw.baseAddress, raw.count, Int32(MSG_DONTWAIT | MSG_NOSIGNAL))
        }
        _ = Glibc.shutdown(descriptor, Int32(SHUT_WR))
        if lingering.count >= RejectedConnections.maxLingering {
            _ = Glibc.close(descriptor)
            return
        }
        lingering.append((descriptor, now + RejectedConnections.linger))
    }

    /// The lingering descriptors, to poll for input.
    var pollDescriptors: [pollfd] { lingering.map { pollfd(fd: $0.descriptor, events: Int16(POLLIN), revents: 0) } }

    /// When the first lingering connection is due to close.
    var nextDeadline: ContinuousClock.Instant? { lingering.lazy.map(\.deadline).min() }

    /// Discards the input of the connections `polled` found readable (the results of polling
    /// ``pollDescriptors``), and closes those the client closed or whose linger is over.
    mutating func service(_ polled: ArraySlice<pollfd>, now: ContinuousClock.Instant) {
        var readable = Set<Int32>()
        for entry in polled where entry.revents != 0 { readable.insert(entry.fd) }
        var scratch = [UInt8](repeating: 0, count: 4096)
        lingering.removeAll { entry in
            if readable.contains(entry.descriptor) {
                let count = scratch.withUnsafeMutableBytes { recv(entry.descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
                if count == 0 || (count < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                    _ = Glibc.close(entry.descriptor)
                    return true
                }
            }
            guard entry.deadline <= now else { return false }
            _ = Glibc.close(entry.descriptor)
            return true
        }
    }

    /// Closes every lingering connection at once (shutdown).
    mutating func closeAll() {
        for entry in lingering { _ = Glibc.close(entry.descriptor) }
        lingering.removeAll()
    }
}
