import Engine
import Foundation
import HTTP
import Testing
@testable import API

@Suite("The OpenAPI document")
struct OpenAPITests {
    /// Concrete paths for the templates: `{ingestRun}` → 1, `{importerSlug}` → items.
    static func concrete(_ template: String) -> String {
        APIFixture.prefix + template
            .replacingOccurrences(of: "{ingestRun}", with: "1")
            .replacingOccurrences(of: "{importerSlug}", with: "items")
    }

    @Test("lists every route the router serves, and nothing else")
    func coversExactlyTheRoutes() throws {
        let fixture = try APIFixture(importers: ["items": itemsDefinition()], serve: false)
        let document = try #require(try fixture.get("/openapi.json", token: .some(nil)).json)
        #expect(document.string("openapi") == "3.1.0")
        let operations = OpenAPIDocument.operations(in: document)
        #expect(operations.count == fixture.api.endpoints.count)
        #expect(Set(operations.map { "\($0.method) \($0.path)" }) == Set(fixture.api.endpoints.map { "\($0.method.rawValue) \($0.path)" }))

        var methodsByPath: [String: Set<String>] = [:]
        for operation in operations { methodsByPath[operation.path, default: []].insert(operation.method) }
        for (path, methods) in methodsByPath {
            // Every documented operation resolves to a route...
            for method in methods {
                guard case .matched(let route, _) = fixture.router.resolve(HTTPMethod(method), path: Self.concrete(path)) else {
                    Issue.record("\(method) \(path) is documented but not routed")
                    continue
                }
                #expect(route.method.rawValue == method)
            }
            // ...and the router serves no other method on that path (HEAD comes with GET).
            guard case .methodNotAllowed(let allowed) = fixture.router.resolve(HTTPMethod("BREW"), path: Self.concrete(path)) else {
                Issue.record("BREW \(path) should be 405")
                continue
            }
            #expect(Set(allowed.map(\.rawValue)).subtracting(["HEAD"]) == methods, "\(path)")
        }
        // The seed's eight endpoints are all there.
        for seed in ["GET /", "GET /{ingestRun}", "POST /upload/{importerSlug}", "POST /trigger/{importerSlug}",
                     "POST /{ingestRun}/cancel", "POST /{ingestRun}/retry", "GET /{ingestRun}/errors/summary",
                     "GET /{ingestRun}/failed-rows/download"] {
            #expect(operations.contains { "\($0.method) \($0.path)" == seed }, "\(seed)")
        }
    }

    @Test("every schema reference resolves, and only /health and /openapi.json are open")
    func referencesResolve() throws {
        let fixture = try APIFixture(importers: [:], serve: false)
        let document = fixture.api.openAPIDocument()
        let schemas = Set(document["components"]?["schemas"]?.objectValue?.map(\.0) ?? [])
        var references: [String] = []
        func collect(_ value: JSONValue) {
            switch value {
            case .object(let members):
                for (key, member) in members {
                    if key == "$ref", let target = member.stringValue { references.append(target) } else { collect(member) }
                }
            case .array(let items): items.forEach(collect)
            default: break
            }
        }
        collect(document)
        #expect(!references.isEmpty)
        for reference in references {
            #expect(reference.hasPrefix("#/components/schemas/"))
            #expect(schemas.contains(String(reference.dropFirst("#/components/schemas/".count))), "\(reference)")
        }
        let open = fixture.api.endpoints.filter { $0.access == .anonymous }.map(\.path).sorted()
        #expect(open == ["/health", "/openapi.json"])
    }

    @Test("the run resource carries every field the schema requires, in the seed's order")
    func runMatchesSchema() throws {
        let fixture = try APIFixture(importers: ["items": itemsDefinition()], serve: false)
        let run = try #require(try fixture.upload("items", content: itemsCSV).data)
        let schema = try #require(fixture.api.openAPIDocument()["components"]?["schemas"]?["IngestRun"])
        let required = schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let keys = run.objectValue?.map(\.0) ?? []
        #expect(Array(keys.prefix(required.count)) == required)
        #expect(required == ["id", "importer", "status", "user_id", "original_filename", "progress", "summary", "started_at", "completed_at"])
    }

    @Test("operations that take a body document 408; links are URI references, not absolute URLs")
    func slowBodiesAndLinks() throws {
        let fixture = try APIFixture(importers: [:], serve: false)
        let document = fixture.api.openAPIDocument()
        for (path, method) in [("/upload/{importerSlug}", "post"), ("/trigger/{importerSlug}", "post"), ("/{ingestRun}/retry", "post")] {
            #expect(document["paths"]?[path]?[method]?["responses"]?["408"] != nil, "\(method) \(path)")
        }
        #expect(document["paths"]?["/"]?["get"]?["responses"]?["408"] == nil)
        let upload = document["paths"]?["/upload/{importerSlug}"]?["post"]?["responses"]
        #expect(upload?["413"]?.string("description")?.contains("form field") == true)
        let links = try #require(document["components"]?["schemas"]?["PaginationLinks"])
        #expect(links["properties"]?["next"]?.string("format") == "uri-reference")
        #expect(document["components"]?["schemas"]?["PaginationMeta"]?["properties"]?["path"]?.string("format") == "uri-reference")
    }
}
