/// The decoded `name=value` pairs of a query string, in order.
///
/// Subscripting returns the first value because most parameters are single-valued; use
/// ``values(for:)`` for repeated names such as `?tag=a&tag=b`.
package struct QueryParameters: Sendable, Equatable, Sequence {
    /// One decoded pair.
    package struct Item: Sendable, Equatable {
        /// The name, decoded.
        package var name: String
        /// The value, decoded.
        package var value: String
        /// Creates one name/value pair.
        package init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// Every pair, in the order of the query string.
    package private(set) var items: [Item]

    /// Creates parameters from decoded pairs.
    package init(_ items: [Item] = []) {
        self.items = items
    }

    /// Parses a raw query string (without the `?`): pairs split on `&` (and `;` is not a
    /// separator), names and values percent-decoded with `+` as space. A name without `=` gets
    /// an empty value; empty pairs are skipped.
    package init(parsing query: Substring) {
        var items: [Item] = []
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            if let equals = pair.firstIndex(of: "=") {
                let name = PercentDecoding.decode(pair[..<equals], plusAsSpace: true)
                let value = PercentDecoding.decode(pair[pair.index(after: equals)...], plusAsSpace: true)
                items.append(Item(name: name, value: value))
            } else {
                items.append(Item(name: PercentDecoding.decode(pair, plusAsSpace: true), value: ""))
            }
        }
        self.items = items
    }

    /// The first value for `name`, or `nil`.
    package subscript(name: String) -> String? {
        items.first { $0.name == name }?.value
    }

    /// Every value for `name`, in order.
    package func values(for name: String) -> [String] {
        items.filter { $0.name == name }.map(\.value)
    }

    /// The pairs as a dictionary where the first occurrence of a name wins.
    package var dictionary: [String: String] {
        var result: [String: String] = [:]
        for item in items where result[item.name] == nil { result[item.name] = item.value }
        return result
    }

    /// Whether there are no pairs.
    package var isEmpty: Bool { items.isEmpty }

    /// Iterates the pairs in order.
    package func makeIterator() -> IndexingIterator<[Item]> {
        items.makeIterator()
    }
}
