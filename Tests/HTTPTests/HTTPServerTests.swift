import Foundation
import Testing
@testable import HTTP

@Suite("HTTP server over loopback sockets")
struct HTTPServerTests {
    @Test("GET answers with content, length, date and the access log line")
    func get() throws {
        let logs = LogCapture()
        try TestServer.with(TestServer.router(), logs: logs) { port, _ in
            let client = try TestClient(port: port)
            let response = try client.exchange("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(response.status == 200)
            #expect(response.text == "hello")
            #expect(response.headers["Content-Length"] == "5")
            #expect(response.headers["Date"] != nil)
            #expect(response.headers["Connection"] == nil)
        }
        #expect(logs.lines.contains { $0.contains("GET /hello 200 5B") })
    }

    @Test("one connection serves several requests (keep-alive) and route parameters")
    func keepAlive() throws {
        try TestServer.with(TestServer.router()) { port, _ in
            let client = try TestClient(port: port)
            for id in 1...3 {
                let response = try client.exchange("GET /runs/\(id) HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(response.text == "run \(id)")
            }
            let last = try client.exchange("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            #expect(last.headers["Connection"] == "close")
            #expect(client.waitForClose(timeout: .seconds(2)))
        }
    }

    @Test("two pipelined requests in one write get two responses in order")
    func pipelining() throws {
        try TestServer.with(TestServer.router()) { port, _ in
            let client = try TestClient(port: port)
            try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nfirstGET /runs/2 HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try client.readResponse().text == "first")
            #expect(try client.readResponse().text == "run 2")
        }
    }

    @Test("POST bodies arrive buffered or streamed, chunked with trailers included")
    func postBodies() throws {
        try TestServer.with(TestServer.router()) { port, _ in
            let client = try TestClient(port: port)
            #expect(try client.exchange("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello world").text == "hello world")
            let chunked = "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n5;x=y\r\npedia\r\n0\r\nX-Sum: 1\r\n\r\n"
            #expect(try client.exchange(chunked).text == "Wikipedia")
            let streamed = "POST /stream-echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
            #expect(try client.exchange(streamed).text == "3:abc")
            let trailers = "POST /trailers HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\nX-Sum: 97\r\n\r\n"
            #expect(try client.exchange(trailers).text == "2 97")
            // The connection is still usable after all of them.
            #expect(try client.exchange("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").text == "hello")
        }
    }

    @Test("Expect: 100-continue gets an interim 100 before the body is sent")
    func expectContinue() throws {
        try TestServer.with(TestServer.router()) { port, _ in
            for path in ["/echo", "/stream-echo"] {
                let client = try TestClient(port: port)
                try client.send("POST \(path) HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
                #expect(try client.readResponse().status == 100)
                try client.send("ping")
                let response = try client.readResponse()
                #expect(response.status == 200)
                #expect(response.text.hasSuffix("ping"))
            }
        }
    }

    @Test("an HTTP/1.0 request is answered and the connection closed, streamed content included")
    func http10() throws {
        try TestServer.with(TestServer.router()) { port, _ in
            let client = try TestClient(port: port)
            let response = try client.exchange("GET /hello HTTP/1.0\r\n\r\n")
            #expect(response.text == "hello")
            #expect(response.headers["Connection"] == "close")
            #expect(client.waitForClose(timeout: .seconds(2)))
            let streamed = try TestClient(port: port).exchange("GET /download HTTP/1.0\r\n\r\n")
            #expect(streamed.headers["Transfer-Encoding"] == nil)
            #expect(streamed.text == "line 0\nline 1\nline 2\n")
        }
    }

    @Test("HEAD gets the GET headers and no body")
    func head() throws {
        try TestServer.with(TestServer.router()) { port, _ in
            let client = try TestClient(port: port)
            let response = try client.exchange("HEAD /hello HTTP/1.1\r\nHost: x\r\n\r\n", isHead: true)
            #expect(response.status == 200)
            #expect(response.headers["Content-Length"] == "5")
            // No body bytes were sent: the next response parses cleanly.
            #expect(try client.exchange("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").text == "hello")
        }
    }

    @Test("unknown paths are 404 and wrong methods 405 with Allow, as JSON")
    func notFoundAndMethodNotAllowed() throws {
        try TestServer.with(TestServer.router()) { port, _ in
            let client = try TestClient(port: port)
            let missing = try client.exchange("GET /missing HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(missing.status == 404)
            #expect(missing.headers["Content-Type"] == "application/json")
            #expect(missing.message == "Not found.")
            let wrong = try client.exchange("DELETE /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(wrong.status == 405)
            #expect(wrong.headers["Allow"] == "GET, HEAD")
        }
    }

    @Test("a streamed response arrives chunked and complete")
    func streamedResponse() throws {
        try TestServer.with(TestServer.router()) { port, _ in
            let client = try TestClient(port: port)
            let response = try client.exchange("GET /download HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(response.headers["Transfer-Encoding"] == "chunked")
            #expect(response.headers["Content-Type"] == "text/csv")
            #expect(response.text == "line 0\nline 1\nline 2\n")
            let head = try client.exchange("HEAD /download HTTP/1.1\r\nHost: x\r\n\r\n", isHead: true)
            #expect(head.headers["Transfer-Encoding"] == "chunked")
            #expect(try client.exchange("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").text == "hello")
        }
    }

    @Test("a producer that fails mid-stream leaves the client with an incomplete response")
    func brokenStream() throws {
        try TestServer.with(TestServer.router()) { port, _ in
            let client = try TestClient(port: port)
            try client.send("GET /broken-download HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(throws: TestClient.Failure.self) { _ = try client.readResponse() }
        }
    }

    @Test("handler errors map to their status; unknown errors to a 500 that reveals nothing")
    func handlerErrors() throws {
        let logs = LogCapture()
        try TestServer.with(TestServer.router(), logs: logs) { port, _ in
            let client = try TestClient(port: port)
            let teapot = try client.exchange("GET /teapot HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(teapot.status == 418)
            #expect(teapot.message == "short and stout")
            let boom = try client.exchange("GET /boom HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(boom.status == 500)
            #expect(boom.message == "Internal server error.")
        }
        #expect(logs.lines.contains { $0.contains("error GET /boom") })
    }

    @Test("a multipart upload streams its file to disk and its fields to the handler")
    func multipartUpload() throws {
        try TestServer.with(TestServer.router()) { port, _ in
            let client = try TestClient(port: port)
            let body = "--B0und\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n"
                + "--B0und\r\nContent-Disposition: form-data; name=\"file\"; filename=\"data.csv\"\r\nContent-Type: text/csv\r\n\r\n"
                + "id,name\n1,Ada\n\r\n--B0und--\r\n"
            let response = try client.exchange(
                "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=\"B0und\"\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
            )
            #expect(response.status == 200)
            #expect(response.text == "hi|data.csv|14|id,name\n1,Ada\n")
        }
    }

    @Test("a large chunked multipart upload reaches the file intact")
    func largeUpload() throws {
        try TestServer.with(TestServer.router()) { port, _ in
            let client = try TestClient(port: port)
            let line = Array("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\n".utf8)
            let head = Array(("--big\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.csv\"\r\n\r\n").utf8)
            try client.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=big\r\nTransfer-Encoding: chunked\r\n\r\n")
            func chunk(_ bytes: [UInt8]) throws {
                try client.send(Array(String(bytes.count, radix: 16).utf8) + [13, 10] + bytes + [13, 10])
            }
            try chunk(head)
            let block = Array((0..<1024).map { _ in line }.joined())
            for _ in 0..<20 { try chunk(block) }
            try chunk(Array("\r\n--big--\r\n".utf8))
            try client.send("0\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.text.hasPrefix("-|big.csv|\(20 * 1024 * 64)|"))
        }
    }

    @Test("a truncated multipart upload is a 400 with a clear message")
    func truncatedMultipart() throws {
        try TestServer.with(TestServer.router()) { port, _ in
            let client = try TestClient(port: port)
            let body = "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nid\n1\n"
            let response = try client.exchange(
                "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=B\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
            )
            #expect(response.status == 400)
            #expect(response.message == "The multipart body ended before its closing boundary.")
            let notMultipart = try TestClient(port: port).exchange("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi")
            #expect(notMultipart.status == 415)
        }
    }

    @Test("the server binds an ephemeral port on IPv6 loopback too")
    func ipv6() throws {
        var configuration = TestServer.configuration()
        configuration.host = "::1"
        let server = HTTPServer(configuration: configuration, router: TestServer.router(), logger: HTTPServer.silentLogger)
        let port: Int
        do {
            port = try server.start()
        } catch {
            // No IPv6 loopback in this environment; nothing to test.
            return
        }
        defer { server.stop() }
        #expect(port > 0)
        #expect(server.port == port)
    }
}
