/// A value between transforms: text (the common case), a number from a numeric transform,
/// or a list from `split`.
///
/// Numbers stay numbers so that `multiply` followed by a `decimal` column with
/// `decimal_separator: ","` does not print and re-read a value in two notations.
enum CellValue: Sendable, Equatable {
    case text(String)
    case number(Double)
    case list([String])

    /// Empty means "no value": an empty string or an empty list; defaults apply to it.
    var isEmpty: Bool {
        switch self {
        case .text(let s): return s.isEmpty
        case .number: return false
        case .list(let items): return items.isEmpty
        }
    }

    /// The value as text for string rules; a list joins with ",".
    var text: String {
        switch self {
        case .text(let s): return s
        case .number(let d): return NumberText.render(d)
        case .list(let items): return items.joined(separator: ",")
        }
    }
}
