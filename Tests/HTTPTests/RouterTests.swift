import Testing
@testable import HTTP

@Suite("Router")
struct RouterTests {
    private func router() -> Router {
        var router = Router()
        router.get("/runs") { request in .text("list page \(request.query["page"] ?? "1")") }
        router.get("/runs/latest") { _ in .text("latest") }
        router.get("/runs/:id") { request in .text("run \(request.parameters["id"] ?? "?")") }
        router.delete("/runs/:id") { request in .text("deleted \(request.parameters["id"] ?? "?")") }
        router.post("/runs/:id/retry") { request in .text("retry \(request.parameters["id"] ?? "?")") }
        router.get("/files/:name/meta") { request in .text(request.parameters["name"] ?? "?") }
        router.post("/json") { request in
            let bytes = try request.body.collect()
            return .json(bytes: bytes, status: .created)
        }
        router.get("/fail") { _ in
            struct Hidden: Error { let path = "/etc/secret" }
            throw Hidden()
        }
        return router
    }

    private func respond(_ method: HTTPMethod, _ target: String, body: String = "") throws -> (HTTPResponse, String) {
        let response = router().respond(to: HTTPRequest(method: method, target: target, body: BodyStream(bytes: Array(body.utf8))))
        return (response, String(decoding: try response.collectBody(), as: UTF8.self))
    }

    @Test("a literal segment wins over a parameter at the same place")
    func literalBeatsParameter() throws {
        #expect(try respond(.get, "/runs/latest").1 == "latest")
        #expect(try respond(.get, "/runs/42").1 == "run 42")
    }

    @Test("parameters are captured percent-decoded")
    func parametersAreDecoded() throws {
        #expect(try respond(.get, "/files/a%20b%2Fc/meta").1 == "a b/c")
        #expect(try respond(.post, "/runs/7/retry").1 == "retry 7")
    }

    @Test("the query string is parsed with percent-decoding and plus as space")
    func queryIsDecoded() throws {
        #expect(try respond(.get, "/runs?page=3&x=1").1 == "list page 3")
        let query = QueryParameters(parsing: "a=1&b=hello+world%21&a=2&flag&=empty&c=%zz")
        #expect(query["a"] == "1")
        #expect(query.values(for: "a") == ["1", "2"])
        #expect(query["b"] == "hello world!")
        #expect(query["flag"] == "")
        #expect(query["c"] == "%zz")
        #expect(query.dictionary["a"] == "1")
    }

    @Test("an unknown path is 404 with a JSON message")
    func unknownPathIs404() throws {
        let (response, body) = try respond(.get, "/nope")
        #expect(response.status == .notFound)
        #expect(response.headers["Content-Type"] == "application/json")
        #expect(body == #"{"message":"Not found."}"#)
    }

    @Test("a known path with the wrong method is 405 with Allow")
    func wrongMethodIs405() throws {
        let (response, _) = try respond(.put, "/runs/9")
        #expect(response.status == .methodNotAllowed)
        #expect(response.headers["Allow"] == "DELETE, GET, HEAD")
    }

    @Test("HEAD falls back to the GET route")
    func headUsesGet() throws {
        #expect(try respond(.head, "/runs/latest").0.status == .ok)
    }

    @Test("a trailing slash matches the same route")
    func trailingSlash() throws {
        #expect(try respond(.get, "/runs/5/").1 == "run 5")
    }

    @Test("errors that are not HTTP errors become a 500 that reveals nothing")
    func unknownErrorsAre500() throws {
        let (response, body) = try respond(.get, "/fail")
        #expect(response.status == .internalServerError)
        #expect(body == #"{"message":"Internal server error."}"#)
    }

    @Test("a handler reads a buffered body")
    func bufferedBody() throws {
        let (response, body) = try respond(.post, "/json", body: #"{"a":1}"#)
        #expect(response.status == .created)
        #expect(body == #"{"a":1}"#)
    }

    @Test("a streamed response can be collected without sockets")
    func streamedResponseCollects() throws {
        let response = HTTPResponse.stream { writer in
            try writer.write("a,b\n")
            try writer.write([UInt8]("1,2\n".utf8))
        }
        #expect(String(decoding: try response.collectBody(), as: UTF8.self) == "a,b\n1,2\n")
    }

    @Test("absolute-form targets keep only the path")
    func absoluteForm() {
        let request = HTTPRequest(method: .get, target: "http://example.com/runs?page=2")
        #expect(request.path == "/runs")
        #expect(request.query["page"] == "2")
    }
}
