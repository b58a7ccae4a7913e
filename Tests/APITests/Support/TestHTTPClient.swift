import Engine
import Foundation
import Glibc

/// A tiny blocking HTTP/1.1 client over a loopback socket, one request per connection.
///
/// Hand-rolled rather than URLSession so that every byte sent is known (multipart bodies,
/// `Expect`, a `Content-Length` without its body) and every wait is bounded by `poll()`.
struct TestHTTPClient {
    /// A received response.
    struct Response {
        var status: Int
        /// Header fields with lower-cased names; repeated names keep the last value.
        var headers: [String: String]
        var body: [UInt8]

        var text: String { String(decoding: body, as: UTF8.self) }
        /// The body parsed as JSON, or `nil`.
        var json: JSONValue? { try? JSONValue.parse(bytes: body) }
        /// The `message` of a JSON body.
        var message: String? { json?["message"]?.stringValue }
        /// `data` of a resource body.
        var data: JSONValue? { json?["data"] }
        func header(_ name: String) -> String? { headers[name.lowercased()] }
    }

    enum Failure: Error, CustomStringConvertible {
        case connect(Int32), timedOut, closed, malformed(String)
        var description: String {
            switch self {
            case .connect(let code): "connect failed: errno \(code)"
            case .timedOut: "timed out"
            case .closed: "connection closed early"
            case .malformed(let line): "malformed response: \(line)"
            }
        }
    }

    let port: Int
    /// The longest wait for any single read.
    var timeout: Duration = .seconds(20)

    /// Sends one request and reads the response. `Host` and `Content-Length` are added unless
    /// given; `Connection: close` is always sent.
    func send(_ method: String, _ target: String, headers: [(String, String)] = [], body: [UInt8] = [],
              omitBody: Bool = false) throws -> Response {
        let socket = try TestSocket(port: port)
        var head = "\(method) \(target) HTTP/1.1\r\n"
        var names = Set(headers.map { $0.0.lowercased() })
        if !names.contains("host") { head += "Host: 127.0.0.1:\(port)\r\n" }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if !names.contains("content-length") && (!body.isEmpty || method == "POST") { head += "Content-Length: \(body.count)\r\n" }
        names.insert("connection")
        head += "Connection: close\r\n\r\n"
        try socket.send(Array(head.utf8))
        if !omitBody && !body.isEmpty {
            // The server may answer and close before the whole body is sent (413); that is fine.
            do { try socket.send(body) } catch Failure.closed {}
        }
        return try socket.readResponse(isHead: method == "HEAD", timeout: timeout)
    }
}

/// A connected loopback socket with a read buffer, for requests written byte by byte.
final class TestSocket {
    let descriptor: Int32
    private var buffer: [UInt8] = []

    /// Connects to 127.0.0.1:`port`; `source` binds the client's own address first (any
    /// 127.x.y.z address is loopback on Linux), so tests can play several clients.
    init(port: Int, source: String? = nil) throws {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
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
                throw TestHTTPClient.Failure.connect(error)
            }
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if result != 0 {
            let error = errno
            close(descriptor)
            throw TestHTTPClient.Failure.connect(error)
        }
    }

    deinit { close(descriptor) }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return Glibc.send(descriptor, base + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent <= 0 { throw TestHTTPClient.Failure.closed }
            offset += sent
        }
    }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    /// Sends what the socket takes without blocking, and never fails: for clients that keep
    /// trickling whether or not the server still listens.
    func trySend(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            _ = Glibc.send(descriptor, raw.baseAddress, raw.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
        }
    }

    /// Whether the server closes the connection within `timeout` (after any unread response).
    func waitForClose(timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            do {
                if !(try fill(timeout: .milliseconds(50))) { return true }
            } catch TestHTTPClient.Failure.timedOut {
                continue
            } catch {
                return true
            }
        }
        return false
    }

    /// Reads more bytes; false at EOF (or a reset).
    private func fill(timeout: Duration) throws -> Bool {
        var fds = [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)]
        let milliseconds = Int32(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        if poll(&fds, 1, milliseconds) == 0 { throw TestHTTPClient.Failure.timedOut }
        var scratch = [UInt8](repeating: 0, count: 65536)
        let count = recv(descriptor, &scratch, scratch.count, 0)
        if count <= 0 { return false }
        buffer.append(contentsOf: scratch[0..<count])
        return true
    }

    func readLine(timeout: Duration) throws -> String {
        while true {
            if let lf = buffer.firstIndex(of: 10) {
                var line = Array(buffer[0..<lf])
                buffer.removeFirst(lf + 1)
                if line.last == 13 { line.removeLast() }
                return String(decoding: line, as: UTF8.self)
            }
            if !(try fill(timeout: timeout)) { throw TestHTTPClient.Failure.closed }
        }
    }

    private func readExactly(_ count: Int, timeout: Duration) throws -> [UInt8] {
        while buffer.count < count {
            if !(try fill(timeout: timeout)) { throw TestHTTPClient.Failure.closed }
        }
        let result = Array(buffer[0..<count])
        buffer.removeFirst(count)
        return result
    }

    /// Reads one response; interim `1xx` responses are skipped unless `interim` is true.
    func readResponse(isHead: Bool = false, timeout: Duration = .seconds(20), interim: Bool = false) throws -> TestHTTPClient.Response {
        while true {
            let statusLine = try readLine(timeout: timeout)
            let parts = statusLine.split(separator: " ", maxSplits: 2)
            guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
                throw TestHTTPClient.Failure.malformed(statusLine)
            }
            var headers: [String: String] = [:]
            while true {
                let line = try readLine(timeout: timeout)
                if line.isEmpty { break }
                guard let colon = line.firstIndex(of: ":") else { throw TestHTTPClient.Failure.malformed(line) }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            if (100..<200).contains(status) {
                if interim { return TestHTTPClient.Response(status: status, headers: headers, body: []) }
                continue
            }
            var body: [UInt8] = []
            if isHead || status == 204 || status == 304 {
                return TestHTTPClient.Response(status: status, headers: headers, body: [])
            }
            if headers["transfer-encoding"]?.lowercased() == "chunked" {
                while true {
                    let sizeLine = try readLine(timeout: timeout)
                    guard let size = Int(sizeLine.split(separator: ";").first ?? "", radix: 16) else {
                        throw TestHTTPClient.Failure.malformed(sizeLine)
                    }
                    if size == 0 {
                        while try !readLine(timeout: timeout).isEmpty {}
                        break
                    }
                    body += try readExactly(size, timeout: timeout)
                    _ = try readExactly(2, timeout: timeout)
                }
            } else if let length = headers["content-length"].flatMap(Int.init) {
                body = try readExactly(length, timeout: timeout)
            } else {
                while try fill(timeout: timeout) {}
                body = buffer
                buffer.removeAll()
            }
            return TestHTTPClient.Response(status: status, headers: headers, body: body)
        }
    }
}
