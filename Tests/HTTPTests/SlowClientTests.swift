import Foundation
import Testing
@testable import HTTP

@Suite("Slow and unauthenticated clients cannot starve the others")
struct SlowClientTests {
    static let authorized = "Authorization: Bearer secret\r\n"

    @Test("a refused admission is answered from the head: no 100 Continue, no body read, then the connection closes")
    func refusedFromTheHead() throws {
        try TestServer.with(TestServer.router()) { port, _ in
            // Expect: 100-continue without credentials: 401 at once, never 100.
            let expecting = try TestClient(port: port)
            try expecting.send("POST /private/upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\nExpect: 100-continue\r\n\r\n")
            let refused = try expecting.readResponse()
            #expect(refused.status == 401)
            #expect(refused.headers["WWW-Authenticate"] == "Bearer")
            #expect(refused.headers["Connection"] == "close")
            #expect(expecting.waitForClose(timeout: .seconds(2)))

            // Without Expect and with only part of the body sent: had the server read the body, it
            // would answer 408 after its 2 s body timeout; it answers 401 from the head instead.
            let partial = try TestClient(port: port)
            try partial.send("POST /private/upload HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer wrong\r\nContent-Length: 100000\r\n\r\nabc")
            #expect(try partial.readResponse().status == 401)
            #expect(partial.waitForClose(timeout: .seconds(2)))

            // A keep-alive GET with a bad token is closed after its 401 too.
            let keepAlive = try TestClient(port: port)
            #expect(try keepAlive.exchange("GET /private HTTP/1.1\r\nHost: x\r\n\r\n").status == 401)
            #expect(keepAlive.waitForClose(timeout: .seconds(2)))

            // The right token: 100 Continue, and the handler sees the principal.
            let good = try TestClient(port: port)
            try good.send("POST /private/upload HTTP/1.1\r\nHost: x\r\n\(Self.authorized)Content-Length: 5\r\nExpect: 100-continue\r\n\r\n")
            #expect(try good.readResponse().status == 100)
            try good.send("hello")
            #expect(try good.readResponse().text == "alice sent 5")
            #expect(try good.exchange("GET /private HTTP/1.1\r\nHost: x\r\n\(Self.authorized)\r\n").text == "hello alice")
        }
    }

    @Test("the router runs the admission check without sockets too")
    func routerAdmits() throws {
        let router = TestServer.router()
        #expect(router.respond(to: HTTPRequest(method: .get, target: "/private")).status == .unauthorized)
        let admitted = router.respond(to: HTTPRequest(method: .get, target: "/private", headers: ["Authorization": "Bearer secret"]))
        #expect(admitted.status == .ok)
        #expect(try admitted.collectBody() == Array("hello alice".utf8))
    }

    @Test("a body trickled below the minimum rate is cut off with 408 and the connection closed")
    func trickledBody() throws {
        let configuration = TestServer.configuration(bodyTimeout: .milliseconds(300), minBodyBytesPerSecond: 100)
        try TestServer.with(TestServer.router(), configuration: configuration) { port, _ in
            let client = try TestClient(port: port)
            try client.send("POST /private/upload HTTP/1.1\r\nHost: x\r\n\(Self.authorized)Content-Length: 1000\r\n\r\n")
            // One byte every 50 ms is 20 B/s: well below 100 B/s, and never a 2 s stall.
            for _ in 0..<200 where !client.isReadable(within: .milliseconds(50)) {
                client.trySend([UInt8(ascii: "a")])
            }
            let response = try client.readResponse()
            #expect(response.status == 408)
            #expect(response.message?.contains("too slowly") == true)
            #expect(client.waitForClose(timeout: .seconds(2)))
        }
    }

    @Test("a body above the minimum rate may take longer than the body timeout")
    func steadyBody() throws {
        let configuration = TestServer.configuration(bodyTimeout: .milliseconds(100), minBodyBytesPerSecond: 100)
        try TestServer.with(TestServer.router(), configuration: configuration) { port, _ in
            let client = try TestClient(port: port)
            try client.send("POST /private/upload HTTP/1.1\r\nHost: x\r\n\(Self.authorized)Content-Length: 1000\r\n\r\n")
            // 100 bytes every 50 ms: each piece buys a second, twenty times what it takes.
            for _ in 0..<10 {
                try client.send(String(repeating: "b", count: 100))
                Thread.sleep(forTimeInterval: 0.05)
            }
            #expect(try client.readResponse().text == "alice sent 1000")
        }
    }

    @Test("64 clients trickling heads without credentials keep out neither anonymous nor authenticated requests")
    func tricklingHeads() throws {
        let configuration = TestServer.configuration(
            maxConnections: 16, maxUnauthenticated: 8, maxUnauthenticatedPerAddress: 4, evictionGrace: .milliseconds(100),
            headTimeout: .seconds(5), connectionQueueTimeout: .seconds(1))
        let logs = LogCapture()
        try TestServer.with(TestServer.router(), configuration: configuration, logs: logs) { port, server in
            // Half from the address the good clients also use, half from another one.
            let tricklers = try (0..<64).map { index in try TestClient(port: port, source: index.isMultiple(of: 2) ? "127.0.0.1" : "127.0.0.2") }
            let head = Array("GET /private HTTP/1.1\r\nHost: x\r\nX-Slow: ".utf8) + Array(repeating: UInt8(ascii: "z"), count: 64)
            var served = 0
            // Ten rounds of one byte each, 100 ms apart: about 1 s, well within the 5 s head
            // timeout, so only the caps can be what keeps the good clients served.
            for round in 0..<10 {
                for client in tricklers { client.trySend([head[round]]) }
                Thread.sleep(forTimeInterval: 0.1)
                guard round >= 2, round.isMultiple(of: 2) else { continue }
                let anonymous = try TestClient(port: port).exchange("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                #expect(anonymous.status == 200)
                let authenticated = try TestClient(port: port, source: "127.0.0.3")
                    .exchange("POST /private/upload HTTP/1.1\r\nHost: x\r\n\(Self.authorized)Content-Length: 3\r\n\r\nabc")
                #expect(authenticated.text == "alice sent 3")
                #expect(server.unauthenticatedConnections <= 8)
                served += 1
            }
            #expect(served == 4)
            #expect(logs.lines.contains { $0.contains("evicted") })
            // At most 8 tricklers can still hold a slot; the others were closed (evicted or 503).
            let open = tricklers.filter { !$0.waitForClose(timeout: .milliseconds(20)) }.count
            #expect(open <= 8)
        }
    }

    @Test("past the connection cap every queued connection gets 503, each about one queue timeout after it arrived")
    func queuedConnectionsGet503() throws {
        let configuration = TestServer.configuration(maxConnections: 2, connectionQueueTimeout: .seconds(1))
        try TestServer.with(TestServer.router(), configuration: configuration) { port, _ in
            // Two authenticated keep-alive clients hold both slots and cannot be evicted.
            let holders = try (0..<2).map { _ in try TestClient(port: port) }
            for holder in holders {
                #expect(try holder.exchange("GET /private HTTP/1.1\r\nHost: x\r\n\(Self.authorized)\r\n").status == 200)
            }
            let queued = try (0..<8).map { _ in try TestClient(port: port) }
            for client in queued { try client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n") }
            // Served one after another, the last would wait 8 s; each read allows 3 s.
            for client in queued {
                let response = try client.readResponse(timeout: .seconds(3))
                #expect(response.status == 503)
                #expect(response.headers["Retry-After"] == "1")
                #expect(response.message == "The server is busy; retry later.")
            }
            // The holders were kept, and once one leaves, newcomers are served again.
            #expect(try holders[0].exchange("GET /private HTTP/1.1\r\nHost: x\r\n\(Self.authorized)Connection: close\r\n\r\n").status == 200)
            #expect(holders[0].waitForClose(timeout: .seconds(2)))
            #expect(try TestClient(port: port).exchange("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").status == 200)
        }
    }
}
