/// A value crossing a database boundary: SQLite's five storage classes, which PostgreSQL values
/// are read into and written from (see each backend).
package enum Value: Sendable, Equatable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    package var isNull: Bool { if case .null = self { return true } else { return false } }

    /// The value as text when it is text or a number (numbers are rendered as SQLite would).
    package var textValue: String? {
        switch self {
        case .null, .blob: return nil
        case .text(let s): return s
        case .integer(let i): return String(i)
        case .real(let d): return String(d)
        }
    }

    /// The value as an integer when it is one (or an integral real).
    package var integerValue: Int64? {
        switch self {
        case .integer(let i): return i
        case .real(let d) where d.rounded() == d && abs(d) < 9.2e18: return Int64(d)
        case .text(let s): return Int64(s)
        default: return nil
        }
    }

    package var realValue: Double? {
        switch self {
        case .integer(let i): return Double(i)
        case .real(let d): return d
        case .text(let s): return Double(s)
        default: return nil
        }
    }
}

extension Value: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByNilLiteral, ExpressibleByFloatLiteral {
    package init(stringLiteral value: String) { self = .text(value) }
    package init(integerLiteral value: Int64) { self = .integer(value) }
    package init(nilLiteral: ()) { self = .null }
    package init(floatLiteral value: Double) { self = .real(value) }
}
