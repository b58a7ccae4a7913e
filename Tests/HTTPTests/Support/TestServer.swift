import Foundation
import Synchronization
@testable import HTTP

enum TestServer {
    /// A configuration on an ephemeral loopback port with short timeouts.
    static func configuration(
        maxConnections: Int = 16, maxUnauthenticated: Int = 16, maxUnauthenticatedPerAddress: Int = 16,
        evictionGrace: Duration = .seconds(1), headTimeout: Duration = .seconds(2), idleTimeout: Duration = .seconds(2),
        bodyTimeout: Duration = .seconds(2), minBodyBytesPerSecond: Int = 1024,
        maxBufferedBodyBytes: Int = 1024 * 1024, connectionQueueTimeout: Duration = .milliseconds(200),
        drainTimeout: Duration = .seconds(3)
    ) -> HTTPServerConfiguration {
        HTTPServerConfiguration(
            host: "127.0.0.1", port: 0, maxConnections: maxConnections, maxUnauthenticatedConnections: maxUnauthenticated,
            maxUnauthenticatedConnectionsPerAddress: maxUnauthenticatedPerAddress, evictionGrace: evictionGrace,
            connectionQueueTimeout: connectionQueueTimeout, maxRequestLineBytes: 1024, maxHeadBytes: 4096, maxHeaderCount: 20,
            headTimeout: headTimeout, idleTimeout: idleTimeout, bodyReadTimeout: .seconds(2), bodyTimeout: bodyTimeout,
            minBodyBytesPerSecond: minBodyBytesPerSecond, writeTimeout: .seconds(2),
            maxBufferedBodyBytes: maxBufferedBodyBytes, drainTimeout: drainTimeout
        )
    }

    /// The admission check of the `/private` routes: `Authorization: Bearer secret` is the
    /// principal "alice"; anything else is `401`.
    static let bearerSecret: AdmissionCheck = { request in
        guard request.headers["Authorization"] == "Bearer secret" else {
            throw HTTPError(.unauthorized, message: "Unauthenticated.", headers: ["WWW-Authenticate": "Bearer"])
        }
        return .authenticated(principal: "alice")
    }

    /// Starts a server, runs `body` with its port, and always stops it.
    static func with<T>(
        _ router: Router, configuration: HTTPServerConfiguration = configuration(), logs: LogCapture = LogCapture(),
        _ body: (Int, HTTPServer) throws -> T
    ) throws -> T {
        let server = HTTPServer(configuration: configuration, router: router, logger: logs.logger)
        let port = try server.start()
        defer { server.stop() }
        return try body(port, server)
    }

    /// The router most server tests share.
    /// - Parameter slowStarted: signalled when a `/slow` request starts sleeping.
    static func router(slowStarted: DispatchSemaphore? = nil) -> Router {
        var router = Router()
        router.get("/hello") { _ in .text("hello") }
        router.get("/private", options: RouteOptions(admission: bearerSecret)) { request in
            .text("hello \(request.principal as? String ?? "nobody")")
        }
        router.post("/private/upload", options: RouteOptions(streamingBody: true, admission: bearerSecret)) { request in
            let bytes = try request.body.collect()
            return .text("\(request.principal as? String ?? "nobody") sent \(bytes.count)")
        }
        router.get("/runs/:id") { request in .text("run \(request.parameters["id"] ?? "")") }
        router.post("/echo") { request in
            .text(String(decoding: request.body.buffered ?? [], as: UTF8.self))
        }
        router.post("/stream-echo", options: RouteOptions(streamingBody: true)) { request in
            let bytes = try request.body.collect()
            return .text("\(bytes.count):\(String(decoding: bytes, as: UTF8.self))")
        }
        router.post("/upload", options: RouteOptions(streamingBody: true, maxBodyBytes: 10 * 1024 * 1024)) { request in
            let directory = FileManager.default.temporaryDirectory.path
            let form = try MultipartFormReader.read(request, fileDirectory: directory)
            defer { for file in form.files { try? FileManager.default.removeItem(atPath: file.path) } }
            let file = form.file(named: "file")
            let content = file.flatMap { try? String(contentsOfFile: $0.path, encoding: .utf8) } ?? ""
            return .text("\(form[field: "note"] ?? "-")|\(file?.filename ?? "-")|\(file?.size ?? -1)|\(content)")
        }
        router.post("/trailers", options: RouteOptions(streamingBody: true)) { request in
            let bytes = try request.body.collect()
            return .text("\(bytes.count) \(request.body.trailers["X-Sum"] ?? "-")")
        }
        router.get("/download") { _ in
            .stream(headers: ["Content-Type": "text/csv"]) { writer in
                for index in 0..<3 {
                    try writer.write("line \(index)\n")
                    try writer.flush()
                }
            }
        }
        router.get("/broken-download") { _ in
            .stream { writer in
                try writer.write("partial\n")
                try writer.flush()
                throw HTTPError(.internalServerError)
            }
        }
        router.get("/boom") { _ in
            struct Secret: Error {}
            throw Secret()
        }
        router.get("/teapot") { _ in throw HTTPError(HTTPStatus(code: 418, reasonPhrase: "I'm a teapot"), message: "short and stout") }
        router.get("/slow") { request in
            let milliseconds = Int(request.query["ms"] ?? "") ?? 500
            slowStarted?.signal()
            Thread.sleep(forTimeInterval: Double(milliseconds) / 1000)
            return .text("slept")
        }
        return router
    }
}
