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
        var out = String.UnicodeScalarView()
        for u in TextOps.foldAccents(strippingBOM(name)).lowercased().unicodeScalars {
            let p = u.properties
            if p.isAlphabetic || p.numericType != nil { out.append(u) }
        }
        return String(out)
    }

    /// A UTF-8 byte order mark sometimes survives in the first header cell.
    static func strippingBOM(_ s: String) -> String {
        s.unicodeScalars.first == "\u{FEFF}" ? String(s.unicodeScalars.dropFirst()) : s
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
