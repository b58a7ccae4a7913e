import Definitions

/// Decides which source header a `from` name means, under `exact` or `normalized` matching.
///
/// `normalized` ignores case, accents, spaces and punctuation (`_`, `-`, `.`, brackets …), so
/// "Contact Email", "contact_email" and "CONTACT-EMAIL" are one header; only letters and
/// digits count.
struct HeaderMatcher: Sendable {
    let match: HeaderSpec.Match

    /// The comparison key of a header or a `from` name.
    func key(_ name: String) -> String {
        switch match {
        case .exact: return TextOps.trim(HeaderMatcher.strippingBOM(name))
        case .normalized: return HeaderMatcher.normalize(name)
        }
    }

    /// Lower case, accents folded, only letters and digits kept.
    static func normalize(_ name: String) -> String {
        if let ascii = normalizeASCII(name) { return ascii }
        var out = String.UnicodeScalarView()
        for u in TextOps.foldAccents(strippingBOM(name)).lowercased().unicodeScalars {
            let p = u.properties
            if p.isAlphabetic || p.numericType != nil { out.append(u) }
        }
        return String(out)
    }

    /// `normalize` for ASCII text without the Unicode machinery (JSON readers call it for every
    /// key of every object); nil when the text is not ASCII.
    private static func normalizeASCII(_ name: String) -> String? {
        var name = name
        return name.withUTF8 { bytes -> String? in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            // One pass into the new string's own buffer (inline, with no allocation, up to 15 bytes).
            return String(unsafeUninitializedCapacity: bytes.count) { out in
                var i = 0
                for b in bytes where Self.isASCIIAlphanumeric(b) {
                    out[i] = b >= 65 && b <= 90 ? b | 0x20 : b
                    i += 1
                }
                return i
            }
        }
    }

    @inline(__always)
    private static func isASCIIAlphanumeric(_ b: UInt8) -> Bool {
        (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122)
    }

    /// A UTF-8 byte order mark sometimes survives in the first header cell.
    static func strippingBOM(_ s: String) -> String {
        s.unicodeScalars.first == "\u{FEFF}" ? String(s.unicodeScalars.dropFirst()) : s
    }

    /// The key `exact` matching compares: the header as written, without surrounding whitespace
    /// or a BOM.
    static func exactKey(_ name: String) -> String { TextOps.trim(strippingBOM(name)) }

    /// Every header index with each key, in header order.
    func indexes(_ header: [String]) -> [String: [Int]] {
        var map: [String: [Int]] = [:]
        for (i, h) in header.enumerated() { map[key(h), default: []].append(i) }
        return map
    }

    /// Index of the first header with each key (duplicates: the first wins).
    func index(_ header: [String]) -> [String: Int] {
        var map: [String: Int] = [:]
        for (i, h) in header.enumerated() {
            let k = key(h)
            if map[k] == nil { map[k] = i }
        }
        return map
    }
}
