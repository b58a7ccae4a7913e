import API
import Engine
import Foundation
import HTTP
import Testing

/// Token scopes, the dashboard's session cookie and its CSRF token, over real sockets.
@Suite("Scopes, sessions and CSRF")
struct SessionAndScopeTests {
    static let importers = ["items": itemsDefinition()]

    /// `POST /session` with `token`: the response, the cookie pair (`ingest_session=…`) and the CSRF token.
    static func signIn(_ f: APIFixture, token: String? = nil) throws -> (response: TestHTTPClient.Response, cookie: String, csrf: String) {
        let response = try f.request("POST", "/session", token: .some(nil), headers: [("Content-Type", "application/json")],
                                     body: Array("{\"token\":\"\(token ?? f.token)\"}".utf8))
        let setCookie = response.header("Set-Cookie") ?? ""
        let cookie = String(setCookie.prefix { $0 != ";" })
        return (response, cookie, response.data?.string("csrf_token") ?? "")
    }

    static func token(_ f: APIFixture, _ scopes: Set<TokenScope>) throws -> String {
        try TokenStore(f.engine.openStore()).create(name: "t-\(UUID().uuidString.prefix(8))", userID: nil, scopes: scopes).token
    }

    @Test("each endpoint needs its scope: read for reading, run for starting and acting on runs, admin for the token list")
    func scopes() throws {
        let f = try APIFixture(importers: Self.importers)
        let reader = try Self.token(f, [.read])
        let runner = try Self.token(f, [.run])
        let admin = try Self.token(f, [.admin])
        #expect(try f.get("/", token: reader).status == 200)
        let refused = try f.upload("items", content: "SKU,Name,Price\nS-1,A,1\n", token: reader)
        #expect(refused.status == 403)
        #expect(refused.message == "This token lacks the 'run' scope (it has: read); create one with 'ingest token create --scope run'.")
        #expect(try f.get("/", token: runner).status == 403)
        #expect(try f.get("/importers", token: runner).message?.contains("'read' scope") == true)
        let upload = try f.upload("items", content: "SKU,Name,Price\nS-1,A,1\n", token: runner)
        #expect(upload.status == 202)
        let id = try #require(upload.data?.int("id"))
        #expect(try f.post("/\(id)/cancel", token: reader).status == 403)
        #expect(try f.get("/tokens", token: reader).status == 403)
        #expect(try f.get("/tokens", token: admin).status == 200)
        #expect(try f.get("/", token: admin).status == 403, "admin does not imply read")
        // The fixture's token was created without scopes: read and run.
        #expect(try f.get("/\(id)").status == 200)
        #expect(try f.get("/tokens").status == 403)
        // Any scope may ask who it is.
        let me = try f.get("/session", token: runner)
        #expect(me.status == 200)
        #expect(me.data?["scopes"] == .array(["run"]))
        #expect(me.data?["csrf_token"] == .null)
    }

    @Test("a token stored before scopes (scopes NULL) reads and runs, but is not admin")
    func legacyToken() throws {
        let f = try APIFixture(importers: Self.importers)
        let legacy = try Self.token(f, [.admin])
        _ = try f.query("UPDATE ingest_tokens SET scopes = NULL")
        #expect(try f.get("/", token: legacy).status == 200)
        #expect(try f.upload("items", content: "SKU,Name,Price\nS-1,A,1\n", token: legacy).status == 202)
        #expect(try f.get("/tokens", token: legacy).status == 403)
        let list = try TokenStore(f.engine.openStore()).list()
        #expect(list.allSatisfy { $0.scopes == [.read, .run] })
    }

    @Test("signing in sets an HttpOnly, SameSite=Strict, Path=/ cookie and stores only the session's hash")
    func signInCookie() throws {
        let f = try APIFixture(importers: Self.importers)
        let (response, cookie, csrf) = try Self.signIn(f)
        #expect(response.status == 201)
        let setCookie = try #require(response.header("Set-Cookie"))
        let attributes = setCookie.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(attributes.contains("HttpOnly"))
        #expect(attributes.contains("SameSite=Strict"))
        #expect(attributes.contains("Path=/"))
        #expect(attributes.contains("Max-Age=43200"))
        #expect(!attributes.contains("Secure"), "plain http without an https --public-url")
        let id = String(cookie.dropFirst("ingest_session=".count))
        #expect(id.count == 64)
        #expect(csrf.count == 64 && csrf != id)
        #expect(response.data?.string("token_name") == "test")
        #expect(response.header("Cache-Control") == "no-store")
        let stored = try f.query("SELECT session_hash, csrf_token FROM ingest_sessions")
        #expect(stored.count == 1)
        #expect(stored.first?[0].textValue == TokenGenerator.hash(of: id), "the id itself is never stored")
        // The cookie authenticates reads, as a Bearer token would.
        let list = try f.request("GET", "/", token: .some(nil), headers: [("Cookie", "theme=dark; " + cookie)])
        #expect(list.status == 200)
        let me = try f.request("GET", "/session", token: .some(nil), headers: [("Cookie", cookie)])
        #expect(me.data?.string("csrf_token") == csrf)
    }

    @Test("the cookie is Secure when the public URL is https")
    func secureCookie() throws {
        let f = try APIFixture(importers: Self.importers, apiConfiguration: APIConfiguration(publicURL: "https://ingest.example.com"))
        let setCookie = try Self.signIn(f).response.header("Set-Cookie") ?? ""
        #expect(setCookie.hasSuffix("; Secure"))
    }

    @Test("sign-in refuses unknown tokens, bodies without a token and extra fields")
    func signInRefusals() throws {
        let f = try APIFixture(importers: Self.importers)
        let unknown = try Self.signIn(f, token: "ingest_" + String(repeating: "0", count: 64))
        #expect(unknown.response.status == 401)
        #expect(unknown.response.header("Set-Cookie") == nil)
        let send = { (body: String) in
            try f.request("POST", "/session", token: .some(nil), headers: [("Content-Type", "application/json")], body: Array(body.utf8))
        }
        #expect(try send("{}").status == 422)
        #expect(try send("{\"token\":\"x\",\"remember\":true}").status == 422)
        #expect(try send("not json").status == 400)
        #expect(try f.count("ingest_sessions") == 0)
    }

    @Test("a state-changing request with the cookie needs the session's X-CSRF-Token; Bearer requests do not")
    func csrf() throws {
        let f = try APIFixture(importers: Self.importers)
        let (_, cookie, csrf) = try Self.signIn(f)
        var form = MultipartBody()
        form.file("file", filename: "a.csv", content: Array("SKU,Name,Price\nS-1,A,1\n".utf8))
        let upload = { (extra: [(String, String)]) in
            try f.request("POST", "/upload/items", token: .some(nil),
                          headers: [("Cookie", cookie), ("Content-Type", form.contentType)] + extra, body: form.finished)
        }
        let missing = try upload([])
        #expect(missing.status == 403)
        #expect(missing.message?.contains("X-CSRF-Token") == true)
        #expect(try upload([("X-CSRF-Token", String(csrf.reversed()))]).status == 403)
        #expect(try upload([("X-CSRF-Token", "")]).status == 403)
        #expect(try f.count("ingest_runs") == 0)
        let accepted = try upload([("X-CSRF-Token", csrf)])
        #expect(accepted.status == 202)
        let id = try #require(accepted.data?.int("id"))
        #expect(try f.request("POST", "/\(id)/cancel", token: .some(nil), headers: [("Cookie", cookie)]).status == 403)
        // Another session's CSRF token does not fit this one.
        let other = try Self.signIn(f)
        #expect(try f.request("POST", "/\(id)/retry", token: .some(nil), headers: [("Cookie", cookie), ("X-CSRF-Token", other.csrf)]).status == 403)
        // A Bearer token needs none, and wins over a cookie.
        #expect(try f.upload("items", content: "SKU,Name,Price\nS-2,B,2\n").status == 202)
        #expect(try f.request("GET", "/", token: "ingest_wrong", headers: [("Cookie", cookie)]).status == 401)
    }

    @Test("signing out ends the session and clears the cookie; revoking the token ends its sessions")
    func signOutAndRevoke() throws {
        let f = try APIFixture(importers: Self.importers)
        let (_, cookie, csrf) = try Self.signIn(f)
        #expect(try f.request("DELETE", "/session", token: .some(nil), headers: [("Cookie", cookie)]).status == 403)
        let out = try f.request("DELETE", "/session", token: .some(nil), headers: [("Cookie", cookie), ("X-CSRF-Token", csrf)])
        #expect(out.status == 200)
        #expect(out.header("Set-Cookie")?.hasPrefix("ingest_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict") == true)
        #expect(try f.request("GET", "/", token: .some(nil), headers: [("Cookie", cookie)]).status == 401)

        let second = try Self.signIn(f)
        #expect(try f.request("GET", "/", token: .some(nil), headers: [("Cookie", second.cookie)]).status == 200)
        try TokenStore(f.engine.openStore()).revoke(name: "test")
        #expect(try f.request("GET", "/", token: .some(nil), headers: [("Cookie", second.cookie)]).status == 401)
        #expect(try f.count("ingest_sessions") == 0)
    }

    @Test("an expired session is refused, and a malformed cookie is no cookie")
    func expiredSession() throws {
        let f = try APIFixture(importers: Self.importers)
        let (_, cookie, _) = try Self.signIn(f)
        _ = try f.query("UPDATE ingest_sessions SET expires_at = '2000-01-01T00:00:00.000000Z'")
        #expect(try f.request("GET", "/", token: .some(nil), headers: [("Cookie", cookie)]).status == 401)
        #expect(try f.request("GET", "/", token: .some(nil), headers: [("Cookie", "ingest_session=' OR 1=1 --")]).status == 401)
    }

    @Test("a token in the URL is refused, on every route, even next to a valid Bearer token", arguments: [
        "/?token=abc", "/?access_token=abc", "/health?token=x", "/importers?page=1&token=x", "/session?token=x",
    ])
    func tokenInURL(target: String) throws {
        let f = try APIFixture(importers: Self.importers)
        let response = try f.get(target)
        #expect(response.status == 400)
        #expect(response.message?.hasPrefix("A token is never accepted in the URL") == true)
    }

    @Test("a sign-in with the token in the URL is refused, and no session is made")
    func signInTokenInURL() throws {
        let f = try APIFixture(importers: Self.importers)
        let response = try f.request("POST", "/session?token=\(f.token)", token: .some(nil), headers: [("Content-Type", "application/json")],
                                     body: Array("{\"token\":\"\(f.token)\"}".utf8))
        #expect(response.status == 400)
        #expect(try f.count("ingest_sessions") == 0)
    }
}
