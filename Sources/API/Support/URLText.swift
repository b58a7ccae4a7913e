import HTTP

/// Building the absolute URLs of pagination links.
enum URLText {
    /// The URL of `path` on the host the client addressed: `scheme://Host` + `path`.
    ///
    /// The `Host` header is client input: anything but a plain host name, IPv4/IPv6 literal and
    /// port falls back to `fallbackHost`, so a link can never be pointed at a crafted URL.
    static func absolute(path: String, headers: HTTPHeaders, scheme: String, fallbackHost: String) -> String {
        var host = fallbackHost
        if let given = headers["Host"], isPlausibleHost(given) { host = given }
        return scheme + "://" + host + path
    }

    /// Letters, digits, `.`, `-`, `:`, `[`, `]`; 1 to 255 characters.
    static func isPlausibleHost(_ text: String) -> Bool {
        guard !text.isEmpty, text.utf8.count <= 255 else { return false }
        return text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
            case UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: ":"), UInt8(ascii: "["), UInt8(ascii: "]"): true
            default: false
            }
        }
    }

    /// Percent-encodes everything but RFC 3986 unreserved characters.
    static func encodeQueryComponent(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                out.unicodeScalars.append("%")
                out.unicodeScalars.append(hex[Int(byte >> 4)])
                out.unicodeScalars.append(hex[Int(byte & 0x0F)])
            }
        }
        return out
    }
}
