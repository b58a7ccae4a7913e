import Foundation
import Glibc
@testable import HTTP

/// A raw loopback TCP client for tests: sends exactly the bytes it is given and parses what
/// comes back, so hostile and malformed requests can be written by hand. Every wait is bounded.
final class TestClient {
    struct Response {
        var status: Int
        var headers: HTTPHeaders
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
        /// The `message` of a JSON error body.
        var message: String? {
            guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { return nil }
            return object["message"] as? String
        }
    }

    enum Failure: Error { case connect(Int32), timedOut, closed, malformed(String) }

    let descriptor: Int32
    private var buffer: [UInt8] = []
    private var sawEOF = false

    /// Connects to `host:port`; `source` binds the client's own address first (any 127.x.y.z
    /// address is loopback on Linux), so tests can play several clients.
    init(port: Int, host: String = "127.0.0.1", source: String? = nil) throws {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, host, &address.sin_addr)
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        if let source {
            var local = sockaddr_in()
            local.sin_family = sa_family_t(AF_INET)
            inet_pton(AF_INET, source, &local.sin_addr)
            let bound = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            if bound != 0 {
                let error = errno
                close(descriptor)
                throw Failure.connect(error)
            }
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if result != 0 {
            let error = errno
            close(descriptor)
            throw Failure.connect(error)
        }
    }

    deinit { close(descriptor) }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { raw in
                Glibc.send(descriptor, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent <= 0 { throw Failure.closed }
            offset += sent
        }
    }

    /// Reads more bytes into the buffer; false on EOF.
    @discardableResult
    private func fill(timeout: Duration) throws -> Bool {
        var fds = [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)]
        let milliseconds = Int32(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        let ready = poll(&fds, 1, milliseconds)
        if ready == 0 { throw Failure.timedOut }
        var scratch = [UInt8](repeating: 0, count: 65536)
        let count = recv(descriptor, &scratch, scratch.count, 0)
        if count <= 0 {
            sawEOF = true
            return false
        }
        buffer.append(contentsOf: scratch[0..<count])
        return true
    }

    private func readLine(timeout: Duration) throws -> String {
        while true {
            if let lf = buffer.firstIndex(of: 10) {
                var line = Array(buffer[0..<lf])
                buffer.removeFirst(lf + 1)
                if line.last == 13 { line.removeLast() }
                return String(decoding: line, as: UTF8.self)
            }
            if !(try fill(timeout: timeout)) { throw Failure.closed }
        }
    }

    private func readExactly(_ count: Int, timeout: Duration) throws -> [UInt8] {
        while buffer.count < count {
            if !(try fill(timeout: timeout)) { throw Failure.closed }
        }
        let result = Array(buffer[0..<count])
        buffer.removeFirst(count)
        return result
    }

    /// Reads one response; interim `1xx` responses are returned like any other.
    func readResponse(isHead: Bool = false, timeout: Duration = .seconds(5)) throws -> Response {
        let statusLine = try readLine(timeout: timeout)
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
            throw Failure.malformed(statusLine)
        }
        var headers = HTTPHeaders()
        while true {
            let line = try readLine(timeout: timeout)
            if line.isEmpty { break }
            guard let colon = line.firstIndex(of: ":") else { throw Failure.malformed(line) }
            headers.add(name: String(line[..<colon]), value: line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var body: [UInt8] = []
        if isHead || (100..<200).contains(status) || status == 204 || status == 304 {
            return Response(status: status, headers: headers, body: [])
        }
        if headers["Transfer-Encoding"]?.lowercased() == "chunked" {
            while true {
                let sizeLine = try readLine(timeout: timeout)
                guard let size = Int(sizeLine.split(separator: ";")[0], radix: 16) else { throw Failure.malformed(sizeLine) }
                if size == 0 {
                    while try !readLine(timeout: timeout).isEmpty {}
                    break
                }
                body += try readExactly(size, timeout: timeout)
                _ = try readExactly(2, timeout: timeout)
            }
        } else if let length = headers["Content-Length"].flatMap(Int.init) {
            body = try readExactly(length, timeout: timeout)
        } else {
            while try fill(timeout: timeout) {}
            body = buffer
            buffer.removeAll()
        }
        return Response(status: status, headers: headers, body: body)
    }

    /// Whether the server closes the connection within `timeout` (EOF or reset, after any
    /// buffered response bytes).
    func waitForClose(timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            do {
                if !(try fill(timeout: .milliseconds(50))) { return true }
            } catch Failure.timedOut {
                continue
            } catch {
                return true
            }
        }
        return false
    }

    /// Whether response bytes (or the close) are ready within `timeout`, without reading them.
    func isReadable(within timeout: Duration) -> Bool {
        if !buffer.isEmpty || sawEOF { return true }
        var fds = [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)]
        let milliseconds = Int32(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        return poll(&fds, 1, milliseconds) > 0
    }

    /// Sends without failing when the server has already closed: for clients that keep
    /// trickling whatever happens. Returns whether the bytes went out.
    @discardableResult
    func trySend(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            Glibc.send(descriptor, raw.baseAddress, raw.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) == raw.count
        }
    }

    /// Sends `request` and reads one response.
    func exchange(_ request: String, isHead: Bool = false) throws -> Response {
        try send(request)
        return try readResponse(isHead: isHead)
    }
}
