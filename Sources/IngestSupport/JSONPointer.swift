import Foundation

/// RFC 6901 JSON pointers: building them for problems and checking those written in definitions.
package enum JSONPointer {
    /// Escapes one reference token (`~` → `~0`, `/` → `~1`, RFC 6901 §3).
    package static func escape(_ token: String) -> String {
        token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    /// `base` extended by one token, escaped.
    package static func appending(_ base: String, _ token: String) -> String {
        base + "/" + escape(token)
    }

    /// `base` extended by an array index.
    package static func appending(_ base: String, _ index: Int) -> String {
        base + "/" + String(index)
    }

    /// True when `pointer` is a syntactically valid RFC 6901 pointer: empty (the whole document),
    /// or `/`-separated tokens where `~` is only ever followed by `0` or `1`.
    package static func isValid(_ pointer: String) -> Bool {
        tokens(of: pointer) != nil
    }

    /// The unescaped reference tokens of `pointer`, or nil when it is not a valid pointer.
    package static func tokens(of pointer: String) -> [String]? {
        if pointer.isEmpty { return [] }
        guard pointer.hasPrefix("/") else { return nil }
        var result: [String] = []
        for raw in pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            var token = ""
            var iterator = raw.makeIterator()
            while let c = iterator.next() {
                if c == "~" {
                    switch iterator.next() {
                    case "0": token.append("~")
                    case "1": token.append("/")
                    default: return nil
                    }
                } else {
                    token.append(c)
                }
            }
            result.append(token)
        }
        return result
    }

    /// The array index a token designates: `0` or a number without leading zeros (RFC 6901 §4).
    package static func arrayIndex(_ token: String) -> Int? {
        guard !token.isEmpty, token.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        if token.count > 1 && token.hasPrefix("0") { return nil }
        return Int(token)
    }
}
