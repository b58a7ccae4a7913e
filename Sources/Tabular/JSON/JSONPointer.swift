/// An RFC 6901 JSON Pointer, parsed into reference tokens.
struct JSONPointer: Equatable {
    /// The unescaped reference tokens; empty for the whole document.
    let tokens: [String]
    /// The pointer as written, for messages.
    let text: String

    /// Parses `text`; "" is the root, otherwise it must start with "/" (RFC 6901 §3).
    init(_ text: String) throws(TabularError) {
        self.text = text
        if text.isEmpty {
            tokens = []
            return
        }
        guard text.hasPrefix("/") else {
            throw TabularError(.malformedJSON, "jsonPointer \"\(text)\" must be empty or start with \"/\" (RFC 6901)")
        }
        var result: [String] = []
        for raw in text.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            // RFC 6901 §4: decode ~1 before ~0 so "~01" becomes "~1".
            var token = ""
            var iterator = raw.makeIterator()
            while let c = iterator.next() {
                if c == "~" {
                    switch iterator.next() {
                    case "0": token.append("~")
                    case "1": token.append("/")
                    default: throw TabularError(.malformedJSON, "jsonPointer \"\(text)\" has an invalid ~ escape (RFC 6901)")
                    }
                } else {
                    token.append(c)
                }
            }
            result.append(token)
        }
        tokens = result
    }

    /// The token as an array index (RFC 6901 §4: digits without leading zeros), or nil.
    static func index(_ token: String) -> Int? {
        guard !token.isEmpty, token.allSatisfy(\.isASCII), token.allSatisfy(\.isNumber) else { return nil }
        if token.count > 1 && token.hasPrefix("0") { return nil }
        return Int(token)
    }
}
