import API
import Engine
import Foundation
import HTTP
import Testing

@Suite("Unauthenticated and slow clients, form limits and run ids, over real sockets")
struct HardeningTests {
    static let prefix = APIFixture.prefix

    @Test("Expect: 100-continue without a valid token gets 401, never 100, and the connection closes")
    func expectContinueWithoutToken() throws {
        let fixture = try APIFixture(importers: ["items": itemsDefinition()])
        let port = try #require(fixture.server?.port)
        for authorization in ["", "Authorization: Bearer ingest_\(String(repeating: "0", count: 64))\r\n"] {
            let socket = try TestSocket(port: port)
            try socket.send("POST \(Self.prefix)/upload/items HTTP/1.1\r\nHost: x\r\n\(authorization)"
                            + "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 50000000\r\nExpect: 100-continue\r\n\r\n")
            let response = try socket.readResponse(timeout: .seconds(5), interim: true)
            #expect(response.status == 401)
            #expect(response.message == "Unauthenticated.")
            #expect(response.header("WWW-Authenticate") == "Bearer")
            #expect(response.header("Connection") == "close")
            #expect(socket.waitForClose(timeout: .seconds(2)))
        }
        // With the token the same head gets 100 Continue.
        let socket = try TestSocket(port: port)
        try socket.send("POST \(Self.prefix)/upload/items HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(fixture.token)\r\n"
                        + "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 100\r\nExpect: 100-continue\r\n\r\n")
        #expect(try socket.readResponse(timeout: .seconds(5), interim: true).status == 100)
        #expect(fixture.uploadedFiles().isEmpty)
    }

    @Test("a keep-alive request with a bad token is closed after its 401; the open endpoints take no body")
    func closesAfter401() throws {
        let fixture = try APIFixture(importers: [:])
        let port = try #require(fixture.server?.port)
        let socket = try TestSocket(port: port)
        try socket.send("GET \(Self.prefix)/ HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer nope\r\n\r\n")
        #expect(try socket.readResponse(timeout: .seconds(5)).status == 401)
        #expect(socket.waitForClose(timeout: .seconds(2)))

        let health = try fixture.request("GET", "/health", token: .some(nil), headers: [("Content-Length", "5")], body: Array("hello".utf8))
        #expect(health.status == 413)
        #expect(try fixture.get("/health", token: .some(nil)).status == 200)
    }

    @Test("64 clients trickling heads or bodies without a token keep out neither /health nor authenticated requests")
    func tricklingClients() throws {
        let http = HTTPServerConfiguration(
            maxConnections: 16, maxUnauthenticatedConnections: 8, maxUnauthenticatedConnectionsPerAddress: 4,
            evictionGrace: .milliseconds(100), connectionQueueTimeout: .seconds(1), headTimeout: .seconds(5), idleTimeout: .seconds(2),
            bodyReadTimeout: .seconds(10), bodyTimeout: .seconds(5), writeTimeout: .seconds(10), maxStreamingBodyBytes: Int.max,
            drainTimeout: .seconds(5))
        let fixture = try APIFixture(importers: ["items": itemsDefinition()], http: http)
        let port = try #require(fixture.server?.port)
        // Half trickle an upload head; half send a whole upload head without a token and then
        // trickle its body. They come from two addresses, one of them the good clients' own.
        let uploadHead = "POST \(Self.prefix)/upload/items HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
            + "Content-Length: 1000000\r\n\r\n"
        let tricklers = try (0..<64).map { index in
            try TestSocket(port: port, source: index.isMultiple(of: 4) || index % 4 == 1 ? "127.0.0.1" : "127.0.0.2")
        }
        for (index, socket) in tricklers.enumerated() where index.isMultiple(of: 2) { socket.trySend(Array(uploadHead.utf8)) }
        var checks = 0
        // Ten rounds, 100 ms apart: about 1 s, within every deadline the server was given, so
        // only the caps can keep the good clients served.
        for round in 0..<10 {
            for (index, socket) in tricklers.enumerated() {
                socket.trySend([index.isMultiple(of: 2) ? UInt8(ascii: "-") : Array(uploadHead.utf8)[round]])
            }
            Thread.sleep(forTimeInterval: 0.1)
            guard round >= 2, round.isMultiple(of: 2) else { continue }
            #expect(try fixture.get("/health", token: .some(nil)).status == 200)
            #expect(try fixture.get("/").status == 200)
            #expect(try fixture.upload("items", content: itemsCSV).status == 202)
            checks += 1
        }
        #expect(checks == 4)
        // Every client that sent a whole head without a token got 401 and was closed at once.
        for (index, socket) in tricklers.enumerated() where index.isMultiple(of: 2) {
            #expect(socket.waitForClose(timeout: .seconds(2)))
        }
        #expect(fixture.logs.all.contains { $0.contains("evicted") })
    }

    @Test("each multipart limit has its own message and status, and leaves no file behind")
    func multipartLimits() throws {
        let fixture = try APIFixture(importers: ["items": itemsDefinition(), "small": itemsDefinition(maxSizeMB: 1)])
        let file = Array("SKU,Name,Price\nA-1,Lamp,1\n".utf8)
        func post(_ slug: String, _ body: [UInt8], contentType: String = MultipartBody().contentType) throws -> TestHTTPClient.Response {
            try fixture.request("POST", "/upload/\(slug)", headers: [("Content-Type", contentType)], body: body)
        }

        var manyParts = MultipartBody()
        for index in 0..<17 { manyParts.field("note\(index)", "x") }
        manyParts.file("file", filename: "a.csv", content: file)
        let tooMany = try post("items", manyParts.finished)
        #expect(tooMany.status == 400)
        #expect(tooMany.message == "The upload form may not have more than 16 parts.")

        var bigHeaders = MultipartBody()
        bigHeaders.file("file", filename: String(repeating: "h", count: 9 * 1024) + ".csv", content: file)
        let headers = try post("items", bigHeaders.finished)
        #expect(headers.status == 413)
        #expect(headers.message == "The headers of a form part may not be larger than 8 KB.")

        var bigField = MultipartBody()
        bigField.field("dry_run", String(repeating: "1", count: 16 * 1024 + 1))
        bigField.file("file", filename: "a.csv", content: file)
        let field = try post("items", bigField.finished)
        #expect(field.status == 413)
        #expect(field.message == "The dry_run field may not be larger than 16 KB.")

        var withPreamble = MultipartBody()
        withPreamble.file("file", filename: "a.csv", content: file)
        let preamble = try post("items", Array(String(repeating: "p", count: 9 * 1024).utf8) + Array("\r\n".utf8) + withPreamble.finished)
        #expect(preamble.status == 413)
        #expect(preamble.message == "The text before the first multipart boundary may not be larger than 8 KB.")

        var bigFile = MultipartBody()
        bigFile.file("file", filename: "big.csv", content: [UInt8](repeating: UInt8(ascii: "a"), count: (1 << 20) + 1))
        let tooLarge = try post("small", bigFile.finished)
        #expect(tooLarge.status == 413)
        #expect(tooLarge.message == "The file may not be larger than 1 MB.")

        #expect(Set([tooMany, headers, field, preamble, tooLarge].compactMap(\.message)).count == 5)
        #expect(fixture.uploadedFiles().isEmpty)
        // Within the limits the same form is accepted.
        var fine = MultipartBody()
        fine.field("dry_run", "1")
        fine.file("file", filename: "a.csv", content: file)
        #expect(try post("items", fine.finished).status == 202)
    }

    @Test("only the canonical form of a run id names the run", arguments: [
        "/+1", "/01", "/1.0", "/%201", "/1%20", "/0", "/-1", "/1e0", "/0x1", "/%2B1", "/+1/rows", "/01/errors/summary",
    ])
    func nonCanonicalIDs(path: String) throws {
        let fixture = try APIFixture(importers: ["items": itemsDefinition()], serve: false)
        #expect(try fixture.upload("items", content: itemsCSV).data?.int("id") == 1)
        #expect(try fixture.get("/1").status == 200)
        #expect(try fixture.get("/1/rows").status == 200)
        let response = try fixture.get(path)
        #expect(response.status == 404)
        #expect(response.message?.hasPrefix("No ingest run found with the id ") == true)
        #expect(try fixture.post("/01/cancel").status == 404)
    }
}
