/// The `pattern` of a `regex_replace` step: `/pattern/flags` when it starts with `/`, otherwise a
/// bare pattern (flags can then be set inline, as in `(?i)abc`).
///
/// `regex:` and `not_regex:` rules are always delimited and may use other delimiters, as in PHP;
/// `DelimitedRegex` (Definitions) reads those.
package struct RegexLiteral: Sendable, Equatable {
    package var pattern: String
    package var options: RegexOptions = []

    package init(pattern: String, options: RegexOptions = []) {
        self.pattern = pattern; self.options = options
    }

    /// Splits `/pattern/flags`; any other text is a bare pattern.
    package static func parse(_ text: String) -> Result<RegexLiteral, RegexLiteralError> {
        guard !text.isEmpty else { return .failure(.empty) }
        guard text.hasPrefix("/") else { return .success(RegexLiteral(pattern: text)) }
        let scalars = Array(text.unicodeScalars)
        guard scalars.count >= 2, let end = scalars.lastIndex(of: "/"), end > 0 else { return .failure(.unterminated) }
        var literal = RegexLiteral(pattern: String(String.UnicodeScalarView(scalars[1..<end])))
        for flag in scalars[(end + 1)...] {
            guard let option = RegexOptions.option(for: Character(flag)) else {
                return .failure(.unknownFlag(String(flag)))
            }
            literal.options.insert(option)
        }
        return .success(literal)
    }
}

/// Why a `/pattern/flags` text could not be read.
package enum RegexLiteralError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case unterminated
    case unknownFlag(String)

    package var description: String {
        switch self {
        case .empty: return "empty regex"
        case .unterminated:
            return "regex is missing its closing '/' (a pattern that starts with '/' is read as /pattern/flags; write \\/ for a literal '/')"
        case .unknownFlag(let f):
            return "unknown regex flag '\(f)' after the closing '/' (flags are i, m, s, x and u)"
        }
    }
}
