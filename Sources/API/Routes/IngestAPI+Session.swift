import Engine
import HTTP

/// Signing in to the dashboard, and the token list.
///
/// `POST /session` exchanges a token (in the JSON body, never the URL) for a session: an
/// `HttpOnly; SameSite=Strict` cookie holding a random id whose SHA-256 is stored with the
/// token's scopes, an expiry and a CSRF token. The CSRF token is returned in the body (and by
/// `GET /session`); every state-changing request made with the cookie must echo it in
/// `X-CSRF-Token`. The central admission check accepts the cookie wherever it accepts a Bearer
/// token, so `EventSource` (which cannot set headers) works with it.
extension IngestAPI {
    /// `POST /session`: `{"token": "ingest_…"}` → `201` with the session and `Set-Cookie`.
    func signIn(_ request: HTTPRequest, _ token: AuthenticatedToken?) throws -> HTTPResponse {
        let presented = try IngestAPI.signInToken(request.body.buffered ?? [])
        guard let credential = try authenticator.credential(for: presented) else { throw APIError.unauthenticated }
        let created = try stores.withStore { store in
            try SessionStore(store).create(for: credential, lifetime: configuration.sessionLifetime)
        }
        let session = created.session
        let principal = AuthenticatedToken(
            id: session.tokenID, name: session.tokenName, userID: session.userID, scopes: session.scopes,
            session: SessionCredentials(id: created.id, csrfToken: session.csrfToken, expiresAt: session.expiresAt))
        let cookie = SessionCookie.setting(created.id, maxAgeSeconds: configuration.sessionLifetime.components.seconds,
                                           secure: configuration.secureCookies)
        var response = HTTPResponse.resource(IngestAPI.sessionJSON(principal), status: .created)
        response.headers.add(name: "Set-Cookie", value: cookie)
        response.headers.add(name: "Cache-Control", value: "no-store")
        return response
    }

    /// `GET /session`: who the request is signed in as; `csrf_token` is `null` for a Bearer token.
    func showSession(_ request: HTTPRequest, _ token: AuthenticatedToken?) throws -> HTTPResponse {
        guard let token else { throw APIError.unauthenticated }
        var response = HTTPResponse.resource(IngestAPI.sessionJSON(token))
        response.headers.add(name: "Cache-Control", value: "no-store")
        return response
    }

    /// `DELETE /session`: ends the cookie's session and clears the cookie. With a Bearer token
    /// there is no session: nothing changes.
    func signOut(_ request: HTTPRequest, _ token: AuthenticatedToken?) throws -> HTTPResponse {
        if let session = token?.session {
            try stores.withStore { store in try SessionStore(store).delete(id: session.id) }
        }
        var response = HTTPResponse.json(.object([("message", .string("Signed out."))]))
        response.headers.add(name: "Set-Cookie", value: SessionCookie.clearing(secure: configuration.secureCookies))
        return response
    }

    /// `GET /tokens` (`admin`): every token's name, user id, scopes, creation and last use.
    func listTokens(_ request: HTTPRequest, _ token: AuthenticatedToken?) throws -> HTTPResponse {
        let tokens = try stores.withStore { store in try TokenStore(store).list() }
        return .resource(.array(tokens.map { token in
            .object([("name", .string(token.name)), ("user_id", .optional(token.userID)),
                     ("scopes", .array(token.scopes.sorted().map { .string($0.rawValue) })),
                     ("created_at", .string(token.createdAt)), ("last_used_at", .optional(token.lastUsedAt))])
        }))
    }

    /// The `token` of a sign-in body: a JSON object with exactly that string member.
    static func signInToken(_ bytes: [UInt8]) throws(APIError) -> String {
        let document: JSONValue
        do {
            document = try JSONValue.parse(bytes: bytes)
        } catch {
            throw .badRequest("The request body is not valid JSON.")
        }
        guard let members = document.objectValue else { throw .badRequest("The request body must be a JSON object.") }
        if let unknown = members.first(where: { $0.0 != "token" }) { throw .unknownField(unknown.0, accepted: ["token"]) }
        guard let token = document["token"]?.stringValue, !token.isEmpty else {
            throw .invalid(field: "token", message: "The token field is required.")
        }
        return token
    }

    /// `{"token_name", "user_id", "scopes", "csrf_token", "expires_at"}` of a principal.
    static func sessionJSON(_ token: AuthenticatedToken) -> JSONValue {
        .object([
            ("token_name", .string(token.name)),
            ("user_id", .optional(token.userID)),
            ("scopes", .array(token.scopes.sorted().map { .string($0.rawValue) })),
            ("csrf_token", .optional(token.session?.csrfToken)),
            ("expires_at", .optional(token.session?.expiresAt)),
        ])
    }
}
