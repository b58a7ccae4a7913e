import API
import Engine
import Foundation
import Testing

@Suite("The run list is paginated like Laravel's resource collections")
struct PaginationTests {
    /// A fixture with 20 pending runs: 12 of `items`, 8 of `other`.
    static func fixture() throws -> APIFixture {
        let fixture = try APIFixture(importers: ["items": itemsDefinition(), "other": itemsDefinition()], serve: false)
        for index in 0..<20 {
            let slug = index % 5 < 3 ? "items" : "other"
            #expect(try fixture.upload(slug, content: itemsCSV).status == 202)
        }
        return fixture
    }

    @Test("the first page has data, links relative to the server root and meta, newest first; Host is not echoed")
    func firstPage() throws {
        let fixture = try Self.fixture()
        let page = try #require(try fixture.request("GET", "/", headers: [("Host", "ingest.example.com:8443")]).json)
        #expect(page.objectValue?.map(\.0) == ["data", "links", "meta"])
        let ids = page["data"]?.arrayValue?.compactMap { $0.int("id") } ?? []
        #expect(ids == Array((6...20).reversed()).map(Int64.init))
        let base = "/api/v1/ingest"
        #expect(page["links"] == .object([
            ("first", .string(base + "?page=1")), ("last", .string(base + "?page=2")),
            ("prev", .null), ("next", .string(base + "?page=2")),
        ]))
        #expect(page["meta"] == .object([
            ("current_page", 1), ("from", 1), ("last_page", 2), ("path", .string(base)),
            ("per_page", 15), ("to", 15), ("total", 20),
        ]))
        #expect(page["data"]?.arrayValue?.first?["rows"] == nil)
    }

    @Test("per_page, page and the filters carry into the links")
    func filtersAndPerPage() throws {
        let fixture = try Self.fixture()
        let page = try #require(try fixture.get("/?importer=items&status=pending&per_page=5&page=2").json)
        #expect(page["data"]?.arrayValue?.count == 5)
        #expect(page["data"]?.arrayValue?.allSatisfy { $0.string("importer") == "items" } == true)
        #expect(page["meta"]?.int("total") == 12)
        #expect(page["meta"]?.int("from") == 6)
        #expect(page["meta"]?.int("to") == 10)
        #expect(page["meta"]?.int("last_page") == 3)
        let base = "/api/v1/ingest?importer=items&status=pending&per_page=5"
        #expect(page["links"]?.string("prev") == base + "&page=1")
        #expect(page["links"]?.string("next") == base + "&page=3")
    }

    @Test("past the last page the data is empty and from/to are null; per_page is capped at 100")
    func edges() throws {
        let fixture = try Self.fixture()
        let beyond = try #require(try fixture.get("/?page=9").json)
        #expect(beyond["data"]?.arrayValue?.isEmpty == true)
        #expect(beyond["meta"]?["from"] == .null)
        #expect(beyond["meta"]?["to"] == .null)
        #expect(beyond["links"]?["next"] == .null)
        #expect(try fixture.get("/?per_page=500").json?["meta"]?.int("per_page") == 100)
    }

    @Test("a page or per_page that is not a positive integer, or an unknown status, is 422", arguments: [
        "/?page=0", "/?page=abc", "/?per_page=-3", "/?status=done",
    ])
    func invalidQuery(path: String) throws {
        let fixture = try APIFixture(importers: [:], serve: false)
        let response = try fixture.get(path)
        #expect(response.status == 422)
        #expect(response.json?["errors"]?.objectValue?.count == 1)
    }

    @Test("page and per_page take every value the OpenAPI document allows and refuse the rest (found by schemathesis)")
    func rangeMatchesOpenAPI() throws {
        let fixture = try APIFixture(importers: [:], serve: false)
        let parameters = fixture.api.openAPIDocument()["paths"]?["/"]?["get"]?["parameters"]?.arrayValue ?? []
        for name in ["page", "per_page"] {
            let schema = parameters.first { $0.string("name") == name }?["schema"]
            #expect(schema?.int("minimum") == 1, "\(name)")
            #expect(schema?.int("maximum") == 1_000_000_000, "\(name)")
        }
        #expect(try fixture.get("/?page=1000000000").status == 200)
        #expect(try fixture.get("/?per_page=1000000000").json?["meta"]?.int("per_page") == 100)
        for path in ["/?page=1000000001", "/?page=3543102505", "/?per_page=99999999999999999999999"] {
            let response = try fixture.get(path)
            #expect(response.status == 422, "\(path)")
            #expect(response.json?.string("message")?.hasSuffix("must be an integer between 1 and 1000000000.") == true, "\(path)")
        }
    }

    @Test("links never carry the request's Host, over a real socket too")
    func hostNeverEchoed() throws {
        let fixture = try APIFixture(importers: [:])
        for host in ["evil.example", "evil.com/x?y=", "127.0.0.1:1"] {
            let page = try #require(try fixture.request("GET", "/", headers: [("Host", host)]).json)
            #expect(page["meta"]?.string("path") == "/api/v1/ingest")
            #expect(page["links"]?.string("first") == "/api/v1/ingest?page=1")
        }
    }

    @Test("with a public URL, links are absolute under it whatever the Host header says")
    func publicURL() throws {
        let fixture = try APIFixture(importers: ["items": itemsDefinition()],
                                     apiConfiguration: APIConfiguration(publicURL: "https://ingest.example.com/tools/"))
        #expect(try fixture.upload("items", content: itemsCSV).status == 202)
        let page = try #require(try fixture.request("GET", "/?per_page=1", headers: [("Host", "evil.example")]).json)
        #expect(page["meta"]?.string("path") == "https://ingest.example.com/tools/api/v1/ingest")
        #expect(page["links"]?.string("last") == "https://ingest.example.com/tools/api/v1/ingest?per_page=1&page=1")
    }

    @Test("a public URL must be an absolute http(s) URL without query, fragment or user info", arguments: [
        ("https://ingest.example.com", "https://ingest.example.com"), ("http://10.0.0.5:8080/tools//", "http://10.0.0.5:8080/tools"),
        ("ftp://example.com", nil), ("/relative", nil), ("https://example.com/?q=1", nil), ("https://example.com/#top", nil),
        ("https://user:pw@example.com", nil), ("https://exa mple.com", nil), ("https://", nil),
    ] as [(String, String?)])
    func publicURLValidation(given: String, normalized: String?) {
        #expect(APIConfiguration.normalizedPublicURL(given) == normalized)
    }
}
