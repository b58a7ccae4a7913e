import Foundation
import IngestSupport

/// A parsed JSON file: the root node plus lookups by RFC 6901 pointer.
///
/// Parsing is strict RFC 8259 (no comments, no trailing commas, no single quotes, no bare
/// control characters in strings, valid UTF-8 only). A leading UTF-8 byte order mark is skipped,
/// as RFC 8259 §8.1 allows, because editors on some systems add one. Duplicate keys in one object
/// are an error: the format gives them no meaning and silently keeping one hides mistakes.
package struct JSONDocument: Sendable, Equatable {
    /// The top-level value.
    package var root: JSONNode

    /// Deepest nesting accepted (arrays and objects), so hostile input cannot exhaust the stack.
    package static let maxDepth = 512

    /// Wraps an already built tree (for tools that walk schemas or generated documents).
    package init(root: JSONNode) {
        self.root = root
    }

    /// Parses `bytes` as one JSON text.
    package init(bytes: [UInt8]) throws(JSONSyntaxError) {
        var parser = JSONParser(bytes: bytes, maxDepth: Self.maxDepth)
        root = try parser.parseDocument()
    }

    /// Parses `data` as one JSON text.
    package init(data: Data) throws(JSONSyntaxError) {
        try self.init(bytes: [UInt8](data))
    }

    /// The node an RFC 6901 pointer designates, or nil when the pointer is invalid or leads nowhere.
    package func node(at pointer: String) -> JSONNode? {
        guard let tokens = JSONPointer.tokens(of: pointer) else { return nil }
        var node = root
        for token in tokens {
            switch node.value {
            case .object(let members):
                guard let member = members.first(where: { $0.key == token }) else { return nil }
                node = member.value
            case .array(let items):
                guard let index = JSONPointer.arrayIndex(token), index < items.count else { return nil }
                node = items[index]
            default:
                return nil
            }
        }
        return node
    }
}
