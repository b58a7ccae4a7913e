import Definitions
import RegexEngine

/// A compiled `regex:`/`not_regex:` pattern: the linear-time engine, so no cell can make a
/// rule cost more than (program size × cell length) steps.
final class PatternMatcher: Sendable {
    let regex: LinearRegex

    init(regex: LinearRegex) { self.regex = regex }

    /// Compiles a rule's `/pattern/flags` argument, read exactly as the definition loader reads
    /// it; the error says why in words.
    static func compile(_ text: String) -> Result<PatternMatcher, PatternError> {
        do {
            return .success(PatternMatcher(regex: try DelimitedRegex(text).compile()))
        } catch {
            return .failure(PatternError(message: error.message))
        }
    }

    /// Whether the pattern matches anywhere in `text` (PCRE `preg_match` semantics).
    func matches(_ text: String) -> Bool { regex.matches(text) }
}

/// A pattern that could not be compiled.
struct PatternError: Error, Sendable, Equatable {
    let message: String
}
