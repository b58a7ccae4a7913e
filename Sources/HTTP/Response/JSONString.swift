import IngestSupport

/// JSON string quoting for server-generated messages (RFC 8259 §7), so that error responses need
/// no encoder and cannot fail.
enum JSONString {
    /// `text` as a quoted JSON string literal.
    static func quote(_ text: String) -> String { JSONEscaping.quoted(text) }
}
