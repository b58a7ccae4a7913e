import HTTP

/// The dashboard's session cookie: `ingest_session`, `HttpOnly`, `SameSite=Strict`, `Path=/`,
/// and `Secure` when the server is reached over HTTPS (its `--public-url` starts with `https://`).
///
/// `HttpOnly` keeps it from scripts, so an injected script cannot read it; `SameSite=Strict`
/// keeps browsers from sending it with any request another site starts. The CSRF token is the
/// second line of defence for state-changing requests.
enum SessionCookie {
    /// The cookie's name.
    static let name = "ingest_session"

    /// The session id in the request's `Cookie` headers, if it has the form of one (64 lowercase
    /// hex digits); anything else counts as no cookie.
    static func sessionID(in headers: HTTPHeaders) -> String? {
        for header in headers.values(for: "Cookie") {
            for pair in header.split(separator: ";") {
                let trimmed = pair.drop { $0 == " " || $0 == "\t" }
                guard trimmed.hasPrefix(name + "=") else { continue }
                let value = trimmed.dropFirst(name.count + 1).prefix { $0 != " " && $0 != "\t" }
                if isSessionID(value) { return String(value) }
            }
        }
        return nil
    }

    /// `Set-Cookie` value starting a session that lasts `maxAgeSeconds`.
    static func setting(_ id: String, maxAgeSeconds: Int64, secure: Bool) -> String {
        "\(name)=\(id); Path=/; Max-Age=\(maxAgeSeconds); HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }

    /// `Set-Cookie` value that removes the cookie (signing out).
    static func clearing(secure: Bool) -> String {
        "\(name)=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }

    private static func isSessionID(_ value: Substring) -> Bool {
        value.utf8.count == 64 && value.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
