import Foundation
import Testing
@testable import HTTP

@Suite("Hostile clients get their status and the server keeps serving")
struct HostileClientTests {
    /// Sends `request` on a fresh connection, returns the response, and checks that the
    /// connection is closed and that a well-behaved client is still served.
    private func expectStatus(
        _ status: Int, for request: String, port: Int, closes: Bool = true, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let client = try TestClient(port: port)
        let response = try client.exchange(request)
        #expect(response.status == status, sourceLocation: sourceLocation)
        #expect(response.headers["Content-Type"] == "application/json", sourceLocation: sourceLocation)
        #expect(response.message != nil, sourceLocation: sourceLocation)
        if closes {
            #expect(response.headers["Connection"] == "close", sourceLocation: sourceLocation)
            #expect(client.waitForClose(timeout: .seconds(2)), sourceLocation: sourceLocation)
        }
        let healthy = try TestClient(port: port).exchange("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(healthy.text == "hello", sourceLocation: sourceLocation)
    }

    @Test("malformed and oversized heads get 400, 414, 431 or 505")
    func malformedHeads() throws {
        try TestServer.with(TestServer.router()) { port, _ in
            try expectStatus(414, for: "GET /\(String(repeating: "a", count: 2000)) HTTP/1.1\r\nHost: x\r\n\r\n", port: port)
            try expectStatus(431, for: "GET / HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "b", count: 5000))\r\n\r\n", port: port)
            let many = (0..<30).map { "X-\($0): 1\r\n" }.joined()
            try expectStatus(431, for: "GET /hello HTTP/1.1\r\nHost: x\r\n\(many)\r\n", port: port)
            try expectStatus(400, for: "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", port: port)
            try expectStatus(400, for: "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", port: port)
            try expectStatus(501, for: "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", port: port)
            try expectStatus(400, for: "GET /hello HTTP/1.1\r\nHost : x\r\n\r\n", port: port)
            try expectStatus(400, for: "GET /hello HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n folded\r\n\r\n", port: port)
            try expectStatus(400, for: "GET /hello HTTP/1.1\r\n\r\n", port: port)
            try expectStatus(400, for: "GET /hello HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n", port: port)
            try expectStatus(400, for: "\u{16}\u{03}\u{01} garbage\r\n\r\n", port: port)
            try expectStatus(505, for: "GET /hello HTTP/2.0\r\nHost: x\r\n\r\n", port: port)
            try expectStatus(400, for: "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", port: port)
            try expectStatus(417, for: "POST /echo HTTP/1.1\r\nHost: x\r\nExpect: magic\r\nContent-Length: 1\r\n\r\n", port: port)
        }
    }

    @Test("a huge Content-Length is refused with 413 before the body is sent")
    func bodyTooLarge() throws {
        var router = TestServer.router()
        router.post("/small", options: RouteOptions(maxBodyBytes: 10)) { _ in .text("ok") }
        try TestServer.with(router, configuration: TestServer.configuration(maxBufferedBodyBytes: 1024)) { port, _ in
            // Only the head is sent; the 413 must arrive anyway.
            try expectStatus(413, for: "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000000\r\n\r\n", port: port)
            try expectStatus(413, for: "POST /small HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\nExpect: 100-continue\r\n\r\n", port: port)
            // A chunked body that grows past the limit is cut off too.
            let chunk = String(repeating: "z", count: 1500)
            try expectStatus(413, for: "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5DC\r\n\(chunk)\r\n0\r\n\r\n", port: port, closes: false)
        }
    }

    @Test("a streaming handler can lower the body limit before the body is read")
    func handlerChosenLimit() throws {
        var router = Router()
        router.post("/upload", options: RouteOptions(streamingBody: true)) { request in
            request.body.maxBytes = 100
            _ = try request.body.collect()
            return .text("ok")
        }
        try TestServer.with(router) { port, _ in
            let client = try TestClient(port: port)
            try client.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 413)
            #expect(client.waitForClose(timeout: .seconds(2)))
        }
    }

    @Test("a slowloris head is cut off with 408")
    func slowloris() throws {
        let configuration = TestServer.configuration(headTimeout: .milliseconds(300))
        try TestServer.with(TestServer.router(), configuration: configuration) { port, _ in
            let client = try TestClient(port: port)
            let started = ContinuousClock.now
            var status: Int?
            for byte in "GET /hello HTTP/1.1\r\nHost: x\r\nX-Slow: ".utf8 {
                try? client.send([byte])
                Thread.sleep(forTimeInterval: 0.05)
                if ContinuousClock.now - started > .seconds(3) { break }
                if started.duration(to: .now) > .milliseconds(600) { break }
            }
            status = try client.readResponse().status
            #expect(status == 408)
            #expect(client.waitForClose(timeout: .seconds(2)))
            #expect(try TestClient(port: port).exchange("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").status == 200)
        }
    }

    @Test("an idle keep-alive connection is closed after the idle timeout")
    func idleTimeout() throws {
        let configuration = TestServer.configuration(idleTimeout: .milliseconds(300))
        try TestServer.with(TestServer.router(), configuration: configuration) { port, _ in
            let client = try TestClient(port: port)
            #expect(try client.exchange("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").status == 200)
            let started = ContinuousClock.now
            #expect(client.waitForClose(timeout: .seconds(3)))
            #expect(started.duration(to: .now) >= .milliseconds(250))
        }
    }

    @Test("connections over the cap wait, then get 503 with Retry-After")
    func connectionCap() throws {
        let configuration = TestServer.configuration(maxConnections: 1, connectionQueueTimeout: .milliseconds(200))
        try TestServer.with(TestServer.router(), configuration: configuration) { port, _ in
            let holder = try TestClient(port: port)
            #expect(try holder.exchange("GET /private HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer secret\r\n\r\n").status == 200)
            // The holder is authenticated and keeps its slot (keep-alive); the next connection
            // cannot get one.
            let rejected = try TestClient(port: port)
            let response = try rejected.readResponse()
            #expect(response.status == 503)
            #expect(response.headers["Retry-After"] == "1")
            #expect(response.message != nil)
            // Once the holder leaves, new connections are served again.
            try holder.send("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            _ = try holder.readResponse()
            #expect(holder.waitForClose(timeout: .seconds(2)))
            #expect(try TestClient(port: port).exchange("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").status == 200)
        }
    }

    @Test("a body cut short by a disconnect does not disturb other clients")
    func disconnectMidBody() throws {
        try TestServer.with(TestServer.router()) { port, _ in
            do {
                let client = try TestClient(port: port)
                try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly a bit")
            }
            #expect(try TestClient(port: port).exchange("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").status == 200)
        }
    }
}
