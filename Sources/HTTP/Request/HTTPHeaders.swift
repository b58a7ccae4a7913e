/// Header fields in the order they were received or added, looked up case-insensitively.
///
/// Order is kept because some fields (`Set-Cookie`, trailers) are lists whose order matters, and
/// duplicates are kept because framing rules (RFC 9112 §6.3) must see every `Content-Length`.
package struct HTTPHeaders: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    /// One header field line.
    package struct Field: Sendable, Equatable {
        /// The name as sent (original case); immutable so it cannot drift from ``key``.
        package let name: String
        /// The value with surrounding whitespace removed.
        package var value: String
        /// The lower-cased name, for case-insensitive comparison (RFC 9110 §5.1).
        let key: String

        /// Creates one name/value pair.
        package init(name: String, value: String) {
            self.name = name
            self.value = value
            self.key = name.lowercased()
        }
    }

    private(set) package var fields: [Field] = []

    /// Creates an empty header list.
    package init() {}

    /// Creates headers from name/value pairs, in order.
    package init(_ pairs: [(String, String)]) {
        for (name, value) in pairs { add(name: name, value: value) }
    }

    /// Creates headers from a literal, in order.
    package init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    /// The number of field lines.
    package var count: Int { fields.count }

    /// Whether there are no fields.
    package var isEmpty: Bool { fields.isEmpty }

    /// The first value for `name` (case-insensitive), or `nil`.
    package subscript(name: String) -> String? {
        get {
            let key = name.lowercased()
            return fields.first { $0.key == key }?.value
        }
        set {
            if let newValue { replaceOrAdd(name: name, value: newValue) } else { remove(name: name) }
        }
    }

    /// Every value for `name` (case-insensitive), in order.
    package func values(for name: String) -> [String] {
        let key = name.lowercased()
        return fields.filter { $0.key == key }.map(\.value)
    }

    /// Whether a field named `name` (case-insensitive) is present.
    package func contains(_ name: String) -> Bool {
        let key = name.lowercased()
        return fields.contains { $0.key == key }
    }

    /// Appends a field line, keeping any existing ones of the same name.
    package mutating func add(name: String, value: String) {
        fields.append(Field(name: name, value: value))
    }

    /// Replaces every field named `name` with one line, or appends it.
    package mutating func replaceOrAdd(name: String, value: String) {
        remove(name: name)
        add(name: name, value: value)
    }

    /// Removes every field named `name`.
    package mutating func remove(name: String) {
        let key = name.lowercased()
        fields.removeAll { $0.key == key }
    }

    /// Whether a comma-separated list field (e.g. `Connection`) contains `token`, case-insensitively.
    package func containsToken(_ token: String, in name: String) -> Bool {
        let wanted = token.lowercased()
        for value in values(for: name) {
            for item in value.split(separator: ",") where item.trimmingHTTPWhitespace().lowercased() == wanted {
                return true
            }
        }
        return false
    }

    /// Iterates the field lines in order.
    package func makeIterator() -> IndexingIterator<[Field]> {
        fields.makeIterator()
    }
}

extension StringProtocol {
    /// The string without leading and trailing SP / HTAB (RFC 9110 §5.6.3 OWS).
    func trimmingHTTPWhitespace() -> String {
        var scalars = Substring(self).unicodeScalars[...]
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
