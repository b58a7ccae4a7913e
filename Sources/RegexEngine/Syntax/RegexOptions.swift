/// The flags a pattern is compiled with: the letters after a `/pattern/flags` literal, or set
/// inside the pattern with `(?i)`, `(?m:…)` and so on.
package struct RegexOptions: OptionSet, Sendable, Hashable {
    package let rawValue: UInt8
    package init(rawValue: UInt8) { self.rawValue = rawValue }

    /// `i`: letters match regardless of case (Unicode simple case folding).
    package static let caseInsensitive = RegexOptions(rawValue: 1)
    /// `m`: `^` and `$` also match at line breaks, not only at the ends of the text.
    package static let multiline = RegexOptions(rawValue: 2)
    /// `s`: `.` also matches line breaks.
    package static let dotAll = RegexOptions(rawValue: 4)
    /// `x`: whitespace in the pattern is ignored and `#` starts a comment.
    package static let extended = RegexOptions(rawValue: 8)

    /// The flag letters a literal may carry: `i m s x`, and `u`, accepted for PHP compatibility
    /// (patterns always work on Unicode scalars).
    package static let letters: Set<Character> = ["i", "m", "s", "x", "u"]

    /// The option a flag letter stands for; `[]` for `u`, nil for a letter that is not a flag.
    package static func option(for letter: Character) -> RegexOptions? {
        switch letter {
        case "i": return .caseInsensitive
        case "m": return .multiline
        case "s": return .dotAll
        case "x": return .extended
        case "u": return []
        default: return nil
        }
    }
}
