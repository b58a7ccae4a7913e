import API
import Foundation
import HTTP
import Testing
@testable import CLI

@Suite("CORS: preflights and allowed origins, off by default")
struct CORSTests {
    static let allowed = "https://app.example.com"

    static func fixture(cors: CORSPolicy?) throws -> APIFixture {
        try APIFixture(importers: ["items": itemsDefinition()], http: HTTPServerConfiguration(cors: cors))
    }

    static func preflight(_ fixture: APIFixture, origin: String, path: String = "/1") throws -> TestHTTPClient.Response {
        try fixture.request("OPTIONS", path, token: .some(nil), headers: [
            ("Origin", origin), ("Access-Control-Request-Method", "GET"),
            ("Access-Control-Request-Headers", "authorization, last-event-id"),
        ])
    }

    @Test("a preflight from a listed origin is answered 204 with that origin, methods, headers and max age, without a token")
    func allowedPreflight() throws {
        let fixture = try Self.fixture(cors: CORSPolicy(origins: [Self.allowed, "http://localhost:3000"]))
        let response = try Self.preflight(fixture, origin: Self.allowed)
        #expect(response.status == 204)
        #expect(response.header("Access-Control-Allow-Origin") == Self.allowed)
        #expect(response.header("Access-Control-Allow-Methods")?.contains("POST") == true)
        let headers = try #require(response.header("Access-Control-Allow-Headers"))
        for name in ["Authorization", "Content-Type", "Last-Event-ID", "X-CSRF-Token"] { #expect(headers.contains(name)) }
        #expect(response.header("Access-Control-Max-Age") == "600")
        #expect(response.header("Vary") == "Origin")
        #expect(response.header("Access-Control-Allow-Credentials") == nil)

        // Actual responses to the origin carry it too (errors included, so a script can read a 401).
        let read = try fixture.request("GET", "/?per_page=1", headers: [("Origin", Self.allowed)])
        #expect(read.status == 200)
        #expect(read.header("Access-Control-Allow-Origin") == Self.allowed)
        #expect(read.header("Vary") == "Origin")
        let refused = try fixture.request("GET", "/1", token: .some(nil), headers: [("Origin", "http://localhost:3000")])
        #expect(refused.status == 401)
        #expect(refused.header("Access-Control-Allow-Origin") == "http://localhost:3000")
    }

    @Test("another origin gets a 403 preflight and no allow-origin on actual responses")
    func disallowedOrigin() throws {
        let fixture = try Self.fixture(cors: CORSPolicy(origins: [Self.allowed]))
        let response = try Self.preflight(fixture, origin: "https://evil.example.com")
        #expect(response.status == 403)
        #expect(response.header("Access-Control-Allow-Origin") == nil)
        #expect(response.message?.contains("--cors-origin") == true)
        let read = try fixture.request("GET", "/?per_page=1", headers: [("Origin", "https://evil.example.com")])
        #expect(read.status == 200)
        #expect(read.header("Access-Control-Allow-Origin") == nil)
        #expect(read.header("Vary") == "Origin")
    }

    @Test("off by default: OPTIONS keeps today's 405 and no response carries CORS headers")
    func off() throws {
        let fixture = try Self.fixture(cors: nil)
        let response = try Self.preflight(fixture, origin: Self.allowed)
        #expect(response.status == 405)
        #expect(response.header("Access-Control-Allow-Origin") == nil)
        let read = try fixture.request("GET", "/?per_page=1", headers: [("Origin", Self.allowed)])
        #expect(read.header("Access-Control-Allow-Origin") == nil)
        #expect(read.header("Vary") == nil)
    }

    @Test("--cors-origin takes a comma list (or INGEST_CORS_ORIGINS) and refuses what is not an origin")
    func options() throws {
        let configuration = try ServeOptionsTests.configuration(["--cors-origin", "https://App.example.com, http://localhost:3000"])
        #expect(configuration.http.cors?.origins == ["https://app.example.com", "http://localhost:3000"])
        let environment = try ServeOptionsTests.configuration([], environment: ["INGEST_CORS_ORIGINS": "https://a.example.com"])
        #expect(environment.http.cors?.origins == ["https://a.example.com"])
        #expect(try ServeOptionsTests.configuration([]).http.cors == nil)
        for bad in ["*", "https://a.example.com/", "app.example.com", "ftp://a.example.com", "https://a.example.com/path"] {
            #expect(throws: UsageError.self, "\(bad)") { try ServeOptionsTests.configuration(["--cors-origin", bad]) }
        }
    }
}
