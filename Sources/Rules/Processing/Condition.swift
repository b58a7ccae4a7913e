import Definitions
import RegexEngine

/// A compiled `when`: which source header it reads and how it tests the cell.
///
/// The cell is trimmed of surrounding whitespace (no copy when there is none) and compared
/// exactly, case included. A row shorter than the header reads as an empty cell.
final class Condition: Sendable {
    enum Test: Sendable {
        case equals(String)
        case oneOf([String])
        case matches(PatternMatcher)
    }

    /// The header's key under the definition's matching, and the name as written.
    let key: String
    let name: String
    let test: Test
    let negated: Bool
    /// Where the first `when` with this test is written, for header problems.
    let pointer: String

    init(key: String, name: String, test: Test, negated: Bool, pointer: String) {
        self.key = key; self.name = name; self.test = test; self.negated = negated; self.pointer = pointer
    }

    /// Compiles a `when`; the message when its pattern does not compile.
    static func compile(_ spec: WhenSpec, matcher: HeaderMatcher) -> Result<Condition, PatternError> {
        let test: Test
        switch spec.test {
        case .equals(let value): test = .equals(value)
        case .oneOf(let values): test = .oneOf(values)
        case .matches(let pattern):
            switch LinearRegex.compile(replacePattern: pattern) {
            case .success(let regex): test = .matches(PatternMatcher(regex: regex))
            case .failure(let e): return .failure(PatternError(message: e.description))
            }
        }
        return .success(Condition(key: matcher.key(spec.column), name: spec.column, test: test,
                                  negated: spec.negated, pointer: spec.pointer))
    }

    /// Whether the condition holds for a cell's text.
    @inline(__always)
    func holds(_ cell: String) -> Bool {
        let text = TextOps.trim(cell)
        let result: Bool
        switch test {
        case .equals(let value): result = text == value
        case .oneOf(let values): result = values.contains(text)
        case .matches(let pattern): result = pattern.matches(text)
        }
        return result != negated
    }
}
