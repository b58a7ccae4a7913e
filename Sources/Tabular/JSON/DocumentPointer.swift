import IngestSupport

/// A `json.pointer` of a definition (RFC 6901), parsed into reference tokens for the reader.
struct DocumentPointer: Equatable {
    /// The unescaped reference tokens; empty for the whole document.
    let tokens: [String]
    /// The pointer as written, for messages.
    let text: String

    /// Parses `text`; "" is the root, otherwise it must start with "/" (RFC 6901 §3).
    init(_ text: String) throws(TabularError) {
        self.text = text
        guard text.isEmpty || text.hasPrefix("/") else {
            throw TabularError(.malformedJSON, "source.json.pointer \"\(text)\" must be empty or start with \"/\" (RFC 6901)")
        }
        guard let tokens = JSONPointer.tokens(of: text) else {
            throw TabularError(.malformedJSON, "source.json.pointer \"\(text)\" has an invalid ~ escape (RFC 6901)")
        }
        self.tokens = tokens
    }

    /// The token as an array index (RFC 6901 §4: digits without leading zeros), or nil.
    static func index(_ token: String) -> Int? { JSONPointer.arrayIndex(token) }
}
