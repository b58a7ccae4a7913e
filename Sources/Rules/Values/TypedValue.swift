/// A value ready to bind to SQLite.
///
/// Rules speaks SQLite's storage classes so the engine can bind without converting again:
/// booleans become integer 0/1, date/datetime ISO 8601 text, decimal a real, json and
/// split lists compact JSON text.
package enum TypedValue: Sendable, Equatable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    /// The value as text, as a comparison key and for messages; nil for null.
    package var textValue: String? {
        switch self {
        case .null: return nil
        case .integer(let i): return String(i)
        case .real(let d): return NumberText.render(d)
        case .text(let s): return s
        }
    }
}
