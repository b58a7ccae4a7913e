import API
import Engine
import Foundation
import HTTP
import Testing

/// The dashboard's assets and their security headers, over real sockets, and the read endpoints
/// it needs.
@Suite("Dashboard assets")
struct DashboardServingTests {
    static let importers = ["items": itemsDefinition()]

    /// `GET path` on the server root (outside the API prefix), without credentials.
    static func fetch(_ f: APIFixture, _ path: String, method: String = "GET") throws -> TestHTTPClient.Response {
        try TestHTTPClient(port: try #require(f.server).port).send(method, path)
    }

    @Test("the page, script, style sheet and icon are served at / with a strict CSP, nosniff and DENY", arguments: [
        ("/", "text/html; charset=utf-8"), ("/index.html", "text/html; charset=utf-8"),
        ("/assets/dashboard.js", "text/javascript; charset=utf-8"), ("/assets/dashboard.css", "text/css; charset=utf-8"),
        ("/assets/icon.svg", "image/svg+xml"),
    ])
    func assets(path: String, type: String) throws {
        let f = try APIFixture(importers: Self.importers)
        let response = try Self.fetch(f, path)
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == type)
        #expect(response.header("Content-Security-Policy") == "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
        #expect(response.header("X-Content-Type-Options") == "nosniff")
        #expect(response.header("X-Frame-Options") == "DENY")
        #expect(response.header("Referrer-Policy") == "no-referrer")
        #expect(!response.body.isEmpty)
        #expect(try Self.fetch(f, path, method: "HEAD").status == 200)
    }

    @Test("the page has no inline script or style, loads nothing from elsewhere, and names the API prefix")
    func pageHoldsUnderCSP() throws {
        let f = try APIFixture(importers: Self.importers)
        let html = try Self.fetch(f, "/").text
        #expect(html.contains("<meta name=\"ingest-api\" content=\"/api/v1/ingest\">"))
        let scripts = html.components(separatedBy: "<script").dropFirst()
        #expect(scripts.count == 1)
        #expect(scripts.allSatisfy { $0.hasPrefix(" src=\"/assets/dashboard.js\" defer></script>") })
        #expect(!html.contains("style=") && !html.contains("<style") && !html.contains(" on"), "no inline style or event handler")
        #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("//cdn"), "nothing from another origin")
        let script = try Self.fetch(f, "/assets/dashboard.js").text
        #expect(!script.contains("innerHTML") && !script.contains("eval(") && !script.contains("new Function"))
        #expect(script.contains("X-CSRF-Token"))
    }

    @Test("the dashboard needs no token but takes no body, and refuses a token in its URL")
    func anonymousAssets() throws {
        let f = try APIFixture(importers: Self.importers)
        #expect(try Self.fetch(f, "/?token=abc").status == 400)
        let port = try #require(f.server).port
        let post = try TestHTTPClient(port: port).send("POST", "/", body: Array("x".utf8))
        #expect(post.status == 405)
        #expect(try Self.fetch(f, "/assets/missing.js").status == 404)
    }

    @Test("with the API mounted at the root, / is the run list and no dashboard is served")
    func rootPrefix() throws {
        let f = try APIFixture(importers: Self.importers, apiConfiguration: APIConfiguration(prefix: ""))
        let port = try #require(f.server).port
        #expect(try TestHTTPClient(port: port).send("GET", "/").status == 401)
        #expect(try TestHTTPClient(port: port).send("GET", "/assets/dashboard.js").status == 404)
    }

    @Test("GET /importers/{slug}/check reports what ingest check does, and the column plan lists transforms")
    func importerCheck() throws {
        let definition = """
            {
              "name": "Items", "source": { "type": "upload", "formats": ["csv"] },
              "target": { "table": "items", "key": ["sku"] },
              "columns": {
                "sku": { "from": "SKU", "rules": "required", "transform": ["trim", "uppercase"] },
                "name": { "from": "Name", "rules": "required|min:2" }
              },
              "examples": [
                { "row": { "SKU": " a-1 ", "Name": "Lamp" }, "expect": { "values": { "sku": "A-1", "name": "Lamp" } } },
                { "row": { "SKU": "a-2", "Name": "X" }, "expect": { "values": { "sku": "A-2", "name": "X" } } }
              ]
            }
            """
        let f = try APIFixture(importers: ["items": definition, "broken": "{ \"name\": \"Broken\",\n  \"columns\": [ }"])
        let check = try f.get("/importers/items/check")
        #expect(check.status == 200)
        let data = try #require(check.data)
        #expect(data["ok"] == .bool(false))
        #expect(data.int("examples_total") == 2)
        #expect(data.int("examples_passed") == 1)
        #expect(data["problems"]?.arrayValue?.contains { $0.stringValue?.contains("/examples/1") == true } == true)
        let plan = try #require(f.get("/importers/items").data?["columns"]?.arrayValue)
        #expect(plan.first?["transforms"] == .array(["trim", "uppercase"]))
        let broken = try #require(f.get("/importers/broken/check").data)
        let problem = try #require(broken["problems"]?.arrayValue?.first?.stringValue)
        #expect(problem.range(of: #"broken\.json:2:\d+: "#, options: .regularExpression) != nil, "file:line:column: \(problem)")
        #expect(try f.get("/importers/nope/check").status == 404)
    }
}
