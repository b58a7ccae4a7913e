import CPq

/// Where a PostgreSQL connection goes, in a form that is safe to show: a `postgres://` or
/// `postgresql://` URL, or a libpq conninfo string (`host=… dbname=…`).
///
/// The password belongs to libpq's own means (`PGPASSWORD`, `~/.pgpass`, `PGPASSFILE`). A URL or
/// conninfo that carries one still connects, but the password never appears in ``redacted``, in
/// ``description`` or in any error: ``scrub(_:)`` removes it from every message libpq gives.
package struct PostgresLocation: Sendable, CustomStringConvertible {
    /// The string as given, for libpq only; never display it.
    package let connectionString: String
    /// The location without any password: `postgres://user@host:port/db?sslmode=…`.
    package let redacted: String
    /// Every form of the password the string carries (as written, and percent-decoded), to scrub.
    private let secrets: [String]

    package init(_ connectionString: String) {
        self.connectionString = connectionString
        let options = PostgresLocation.parse(connectionString)
        var secrets = PostgresLocation.passwordCandidates(in: connectionString)
        if let password = options?["password"], !password.isEmpty { secrets.append(password) }
        self.secrets = Array(Set(secrets.filter { !$0.isEmpty })).sorted { $0.count > $1.count }
        redacted = options.map(PostgresLocation.display) ?? "postgres://(unparsable connection string)"
    }

    package var description: String { redacted }

    /// True when `string` names a PostgreSQL database (a URL with either scheme).
    package static func isPostgresURL(_ string: String) -> Bool {
        string.hasPrefix("postgres://") || string.hasPrefix("postgresql://")
    }

    /// `message` with every form of the password replaced by `***`.
    package func scrub(_ message: String) -> String {
        var text = message
        for secret in secrets { text = text.replacing(secret, with: "***") }
        return text
    }

    /// libpq's own parse of a URL or conninfo: keyword → value for the options it sets.
    static func parse(_ string: String) -> [String: String]? {
        var errmsg: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(string, &errmsg) else {
            if let errmsg { PQfreemem(errmsg) }
            return nil
        }
        defer { PQconninfoFree(options) }
        var result: [String: String] = [:]
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val { result[String(cString: keyword)] = String(cString: value) }
            option += 1
        }
        return result
    }

    /// The display form: user, host, port, database and the TLS mode, never a password.
    private static func display(_ options: [String: String]) -> String {
        var text = "postgres://"
        if let user = options["user"], !user.isEmpty { text += user + "@" }
        text += options["host"] ?? options["hostaddr"] ?? ""
        if let port = options["port"], !port.isEmpty { text += ":" + port }
        text += "/" + (options["dbname"] ?? "")
        if let mode = options["sslmode"], !mode.isEmpty { text += "?sslmode=" + mode }
        return text
    }

    /// Passwords found by reading the text itself, for strings libpq cannot parse: a URL's
    /// `user:password@`, a `password=` query parameter or conninfo keyword.
    static func passwordCandidates(in string: String) -> [String] {
        var found: [String] = []
        if isPostgresURL(string), let schemeEnd = string.firstRange(of: "://") {
            let rest = string[schemeEnd.upperBound...]
            let authority = rest.prefix { $0 != "/" && $0 != "?" }
            if let at = authority.lastIndex(of: "@") {
                let userinfo = authority[..<at]
                if let colon = userinfo.firstIndex(of: ":") { found.append(String(userinfo[userinfo.index(after: colon)...])) }
            }
        }
        var search = string[...]
        while let range = search.firstRange(of: "password") {
            var rest = search[range.upperBound...].drop { $0 == " " }
            guard rest.first == "=" else { search = search[range.upperBound...]; continue }
            rest = rest.dropFirst().drop { $0 == " " }
            let value: Substring
            if rest.first == "'" {
                value = rest.dropFirst().prefix { $0 != "'" }
            } else {
                value = rest.prefix { $0 != " " && $0 != "&" }
            }
            found.append(String(value))
            search = search[range.upperBound...]
        }
        return found + found.compactMap(percentDecoded)
    }

    /// `%xx` sequences decoded; nil when there are none or they are malformed.
    static func percentDecoded(_ text: String) -> String? {
        guard text.contains("%") else { return nil }
        var bytes: [UInt8] = []
        var utf8 = text.utf8.makeIterator()
        while let byte = utf8.next() {
            guard byte == UInt8(ascii: "%") else { bytes.append(byte); continue }
            guard let high = utf8.next(), let low = utf8.next(),
                  let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(value)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
