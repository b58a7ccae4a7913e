import CCurl

/// A URL as libcurl itself parses it, so the host that is checked is the host libcurl connects to
/// (no parser differential between the check and the request).
///
/// The host is lower-cased and, for international names, converted to punycode; IPv4 shorthands
/// such as `127.1` come out as `127.0.0.1` (libcurl normalises them).
package struct OutboundURL: Sendable, Equatable, CustomStringConvertible {
    /// The normalised URL handed to libcurl.
    package let text: String
    /// Lower-cased scheme (`http`, `https`).
    package let scheme: String
    /// Lower-cased host without brackets (`example.com`, `127.0.0.1`, `::1`); empty for `file:///…`.
    package let host: String
    /// The explicit port or the scheme's default (0 when the scheme has none).
    package let port: Int
    /// The decoded path (`/feeds/items.csv`).
    package let path: String

    /// Scheme, host and port: headers meant for one origin are sent to it only.
    package struct Origin: Hashable, Sendable {
        package let scheme: String
        package let host: String
        package let port: Int
    }

    package var origin: Origin { Origin(scheme: scheme, host: host, port: port) }

    /// The host as an address when the URL names one (`http://10.0.0.1/`, `http://[::1]/`).
    package var literalAddress: IPAddress? { IPAddress(host) }

    /// `scheme://host/path`: no credentials, port or query, safe to log.
    package var redacted: String {
        "\(scheme)://\(host.contains(":") ? "[\(host)]" : host)\(path)"
    }

    package var description: String { redacted }

    /// The last path segment, or nil for `/` and an empty path.
    package var lastPathComponent: String? {
        guard let last = path.split(separator: "/").last, !last.isEmpty else { return nil }
        return String(last)
    }

    /// Parses an absolute URL; every scheme libcurl knows is accepted here (policies refuse them later).
    package init(_ text: String) throws(OutboundError) {
        guard let handle = curl_url() else { throw .malformedURL(text) }
        defer { curl_url_cleanup(handle) }
        guard !text.utf8.contains(where: { $0 < 0x21 || $0 == 0x7f }),
              curl_url_set(handle, CURLUPART_URL, text, 0) == CURLUE_OK else {
            throw .malformedURL(text)
        }
        guard let scheme = Self.part(handle, CURLUPART_SCHEME)?.lowercased() else { throw .malformedURL(text) }
        // `file:///x` has no host: parsed here, refused by the policy (scheme first).
        var host = (Self.part(handle, CURLUPART_HOST, flags: UInt32(CURLU_PUNYCODE)) ?? "").lowercased()
        var normalised = text
        if !host.isEmpty {
            // The host libcurl will use, lower-cased, so the pinned name matches its cache key.
            guard curl_url_set(handle, CURLUPART_HOST, host, 0) == CURLUE_OK, let url = Self.part(handle, CURLUPART_URL) else {
                throw .malformedURL(text)
            }
            normalised = url
        }
        let port = Self.part(handle, CURLUPART_PORT, flags: UInt32(CURLU_DEFAULT_PORT)).flatMap { Int($0) } ?? 0
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.text = normalised
        self.scheme = scheme
        self.host = host
        self.port = port
        self.path = Self.part(handle, CURLUPART_PATH, flags: UInt32(CURLU_URLDECODE)) ?? "/"
    }

    private static func part(_ handle: OpaquePointer, _ what: CURLUPart, flags: UInt32 = 0) -> String? {
        var pointer: UnsafeMutablePointer<CChar>?
        guard curl_url_get(handle, what, &pointer, flags) == CURLUE_OK, let pointer else { return nil }
        defer { curl_free(pointer) }
        return String(cString: pointer)
    }
}
