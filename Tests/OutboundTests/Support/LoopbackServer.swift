import Foundation
import HTTP
import Synchronization

/// A request a ``LoopbackServer`` received.
struct SeenRequest: Sendable, Equatable {
    let path: String
    let host: String?
    let authorization: String?
}

/// Ingest's own HTTP server on an ephemeral 127.0.0.1 port, recording every request it gets.
///
/// Routes: `/items.csv`; `/redirect?to=URL&status=N` (a redirect to URL, 302 by default);
/// `/hop/N` (N more redirects, then `/items.csv`); `/sized/N` (N bytes with Content-Length);
/// `/chunked/N` (N bytes, chunked, no length); `/missing` (404); `/record` ("ok");
/// `/gzip/csv` (``csv`` gzip-encoded); `/gzip/x5000` (5000 × `x` in 40 gzip bytes).
final class LoopbackServer: Sendable {
    static let csv = "SKU,Name\nA1,Apple\nA2,Banana\n"
    /// `csv`, gzip-compressed (Python `gzip.compress(…, mtime=0)`).
    static let gzippedCSV = "H4sIAAAAAAACAwv2DtXxS8xN5XI01HEsKMgBMox0nBLzgJALABxkepEcAAAA"
    /// 5000 bytes of `x`, gzip-compressed to 40 bytes.
    static let gzippedX5000 = "H4sIAAAAAAACA+3BMQEAAADCoNqLbwo/oAAAAACAtwEm8NsAiBMAAA=="

    private let server: HTTPServer
    let port: Int
    private let seen: Recorder

    /// The requests seen, shared with the route handlers.
    private final class Recorder: Sendable {
        let requests = Mutex<[SeenRequest]>([])
    }

    init() throws {
        var router = Router()
        let seen = Recorder()
        self.seen = seen
        func route(_ pattern: String, _ handler: @escaping HTTPHandler) {
            router.get(pattern) { request in
                seen.requests.withLock {
                    $0.append(SeenRequest(path: request.path, host: request.headers["Host"], authorization: request.headers["Authorization"]))
                }
                return try handler(request)
            }
        }
        route("/items.csv") { _ in .text(Self.csv) }
        route("/record") { _ in .text("ok") }
        route("/gzip/:name") { request in
            let encoded = request.parameters["name"] == "csv" ? Self.gzippedCSV : Self.gzippedX5000
            var headers = HTTPHeaders()
            headers.add(name: "Content-Encoding", value: "gzip")
            return HTTPResponse(status: .ok, headers: headers, body: .bytes(Array(Data(base64Encoded: encoded) ?? Data())))
        }
        route("/missing") { _ in .message("Not here.", status: .notFound) }
        route("/redirect") { request in
            var headers = HTTPHeaders()
            headers.add(name: "Location", value: request.query["to"] ?? "/items.csv")
            return HTTPResponse(status: HTTPStatus(code: Int(request.query["status"] ?? "302") ?? 302), headers: headers)
        }
        route("/hop/:n") { request in
            let n = Int(request.parameters["n"] ?? "0") ?? 0
            var headers = HTTPHeaders()
            headers.add(name: "Location", value: n <= 0 ? "/items.csv" : "/hop/\(n - 1)")
            return HTTPResponse(status: .found, headers: headers)
        }
        route("/sized/:n") { request in
            .text(String(repeating: "x", count: Int(request.parameters["n"] ?? "0") ?? 0))
        }
        route("/chunked/:n") { request in
            let total = Int(request.parameters["n"] ?? "0") ?? 0
            return .stream { writer in
                var left = total
                while left > 0 {
                    let part = min(left, 4096)
                    try writer.write(String(repeating: "y", count: part))
                    left -= part
                }
            }
        }
        var configuration = HTTPServerConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        server = HTTPServer(configuration: configuration, router: router, logger: HTTPServer.silentLogger)
        port = try server.start()
    }

    deinit { server.stop() }

    /// `http://127.0.0.1:PORT` + `path`.
    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    var requests: [SeenRequest] { seen.requests.withLock { $0 } }
}

/// A TCP socket on 127.0.0.1 that listens but never accepts or answers: connections complete
/// (the kernel's backlog) and then wait forever.
final class SilentListener {
    let port: Int
    private let descriptor: Int32

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        descriptor = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard fd >= 0, bound == 0, listen(fd, 8) == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(descriptor) }
}
