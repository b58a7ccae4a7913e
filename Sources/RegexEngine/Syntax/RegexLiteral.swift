/// A PCRE-style regex as written in a definition: `/pattern/flags` (other delimiters allowed as in
/// PHP), or a bare pattern when the text starts with a letter, digit, backslash or whitespace.
package struct RegexLiteral: Sendable, Equatable {
    package var pattern: String
    package var options: RegexOptions = []

    package init(pattern: String, options: RegexOptions = []) {
        self.pattern = pattern; self.options = options
    }

    /// Splits `/pattern/flags`; a text without delimiters is taken as a bare pattern.
    package static func parse(_ text: String) -> Result<RegexLiteral, RegexLiteralError> {
        guard let first = text.unicodeScalars.first else { return .failure(.empty) }
        let openers: [Unicode.Scalar: Unicode.Scalar] = ["(": ")", "{": "}", "[": "]", "<": ">"]
        let isDelimiter = !(first.properties.isAlphabetic || first.properties.numericType != nil
            || first == "\\" || first.properties.isWhitespace)
        guard isDelimiter else { return .success(RegexLiteral(pattern: text)) }
        let closer = openers[first] ?? first
        let scalars = Array(text.unicodeScalars)
        guard scalars.count >= 2, let end = scalars.lastIndex(of: closer), end > 0 else {
            return .failure(.unterminated(String(first)))
        }
        var literal = RegexLiteral(pattern: String(String.UnicodeScalarView(scalars[1..<end])))
        for flag in scalars[(end + 1)...] {
            guard let option = RegexOptions.option(for: Character(flag)) else {
                return .failure(.unknownFlag(String(flag), delimiter: String(first)))
            }
            literal.options.insert(option)
        }
        return .success(literal)
    }
}

/// Why a `/pattern/flags` text could not be read.
package enum RegexLiteralError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case unterminated(String)
    case unknownFlag(String, delimiter: String)

    package var description: String {
        switch self {
        case .empty: return "empty regex"
        case .unterminated(let d) where d == "/":
            return "regex is missing its closing '/' delimiter"
        case .unterminated(let d):
            return "regex is missing its closing '\(d)' delimiter (a pattern that starts with '\(d)' is read as delimited by it; write /\(d)…/ to use '\(d)' in the pattern)"
        case .unknownFlag(let f, let d):
            return "unknown regex flag '\(f)' after the closing '\(d)' (flags are i, m, s, x and u)"
        }
    }
}
