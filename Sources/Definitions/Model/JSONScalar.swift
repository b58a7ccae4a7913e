/// A JSON scalar as written in a definition (constants, defaults, map targets, examples).
package enum JSONScalar: Sendable, Equatable, Hashable {
    case null
    case bool(Bool)
    /// A number written without fraction or exponent that fits 64 bits.
    case integer(Int64)
    case number(Double)
    case string(String)

    /// The value as cell text: what a CSV would have carried.
    package var text: String? {
        switch self {
        case .null: return nil
        case .bool(let b): return b ? "true" : "false"
        case .integer(let i): return String(i)
        case .number(let d): return d.rounded() == d && abs(d) < 1e15 ? String(Int64(d)) : String(d)
        case .string(let s): return s
        }
    }
}
