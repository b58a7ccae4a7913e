/// One JSON value of a parsed document, with the position it was written at.
///
/// Definitions are checked against this tree rather than a `Codable` decoder so every problem
/// can name the exact line and column, and so object keys keep the order they were written in
/// (columns are processed in file order).
package struct JSONNode: Sendable, Equatable {
    /// The value, recursively made of nodes.
    package enum Value: Sendable, Equatable {
        case null
        case bool(Bool)
        /// A number written without fraction or exponent that fits in 64 bits.
        case integer(Int64)
        /// Any other number.
        case number(Double)
        case string(String)
        case array([JSONNode])
        /// Members in the order they were written; keys are unique (duplicates are a syntax error).
        case object([JSONMember])
    }

    /// The value itself.
    package var value: Value
    /// Position of the first byte of the value (the quote of a string, the `{` of an object).
    package var position: SourcePosition
    /// True for a string written without escapes, so offsets inside it map 1:1 to the source.
    var isVerbatim: Bool

    package init(value: Value, position: SourcePosition) {
        self.value = value; self.position = position; self.isVerbatim = false
    }

    init(value: Value, position: SourcePosition, isVerbatim: Bool) {
        self.value = value; self.position = position; self.isVerbatim = isVerbatim
    }

    /// The scalar this node holds, or nil for arrays and objects.
    package var scalar: JSONScalar? {
        switch value {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .integer(let i): return .integer(i)
        case .number(let d): return .number(d)
        case .string(let s): return .string(s)
        case .array, .object: return nil
        }
    }

    /// The member named `key` when this node is an object.
    package subscript(key: String) -> JSONNode? {
        guard case .object(let members) = value else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// The kind of value with its article ("a string", "an object"), for messages.
    package var kindDescription: String {
        switch value {
        case .null: return "null"
        case .bool: return "a boolean"
        case .integer: return "an integer"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// The position of the `index`-th Unicode scalar inside a string value, when the string was
    /// written without escapes; otherwise the position of the string itself.
    func position(ofScalar index: Int) -> SourcePosition {
        guard isVerbatim, case .string(let s) = value else { return position }
        let scalars = s.unicodeScalars
        var bytes = 0
        var count = 0
        for scalar in scalars {
            if count == index { break }
            bytes += String(scalar).utf8.count
            count += 1
        }
        // +1 for the opening quote.
        return position.advanced(byScalars: 1 + count, bytes: 1 + bytes)
    }
}
