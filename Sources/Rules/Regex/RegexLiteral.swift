/// A PCRE-style regex as written in a rule: `/pattern/flags` (other delimiters allowed as in PHP).
struct RegexLiteral: Sendable, Equatable {
    var pattern: String
    var caseInsensitive = false
    var multiline = false
    var dotAll = false
    var extended = false
    /// PCRE `D`: `$` matches only at the very end, not before a final newline.
    var dollarEndOnly = false

    /// Splits `/pattern/flags`; a text without delimiters is taken as a bare pattern.
    static func parse(_ text: String) -> Result<RegexLiteral, RegexLiteralError> {
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
            switch flag {
            case "i": literal.caseInsensitive = true
            case "m": literal.multiline = true
            case "s": literal.dotAll = true
            case "x": literal.extended = true
            case "D": literal.dollarEndOnly = true
            case "u", "U", "S", "X", "J": break  // UTF-8 is always on; the rest do not change whether a match exists.
            default: return .failure(.unknownFlag(String(flag)))
            }
        }
        return .success(literal)
    }
}

/// Why a `/pattern/flags` text could not be read.
enum RegexLiteralError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case unterminated(String)
    case unknownFlag(String)

    var description: String {
        switch self {
        case .empty: return "empty regex"
        case .unterminated(let d): return "regex is missing its closing '\(d)' delimiter"
        case .unknownFlag(let f): return "unknown regex flag '\(f)'"
        }
    }
}
