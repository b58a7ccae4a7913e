import RegexEngine

/// A delimited regular expression as written in `regex:` / `not_regex:` rules: `/^SKU-[0-9]+$/i`.
///
/// The delimiter is the first character (usually `/`; any character that is not a letter, digit,
/// backslash or whitespace works, and `(`, `[`, `{`, `<` close with their partner, nesting
/// counted, as in PCRE). The pattern runs to the matching closing delimiter, skipping characters
/// escaped with a backslash, so `|` and `,` inside it need no escaping — which is why the rule
/// string `"required|regex:/^(a|b),c$/|max:9"` splits into three rules. Flags may follow the
/// closing delimiter: `i` (ignore case), `m` (anchors match at line breaks), `s` (dot matches
/// line breaks), `x` (ignore whitespace and comments) and `u` (accepted for PHP compatibility;
/// patterns are always Unicode). The pattern itself is ICU syntax, matched in linear time by
/// `LinearRegex`; what needs backtracking (backreferences, lookaround, atomic groups, possessive
/// quantifiers, recursion, conditionals) is refused here, when the definition loads.
package struct DelimitedRegex: Sendable, Equatable {
    /// The full text, delimiters and flags included: how rules store the argument.
    package var text: String
    /// The pattern between the delimiters.
    package var pattern: String
    /// The flag letters after the closing delimiter.
    package var flags: String

    /// Flags understood after the closing delimiter.
    package static let knownFlags: Set<Character> = ["i", "m", "s", "x", "u"]

    /// Parses and compile-checks `text`, which must be exactly one literal.
    package init(_ text: String) throws(DelimitedRegexError) {
        let scalars = Array(text.unicodeScalars)
        let end = try Self.scan(scalars, from: 0)
        guard end == scalars.count else {
            throw DelimitedRegexError(message: "unexpected text after the regex's closing delimiter", scalarOffset: end)
        }
        self.text = text
        let closing = Self.closingIndex(scalars)
        self.pattern = String(String.UnicodeScalarView(scalars[1..<closing]))
        self.flags = String(String.UnicodeScalarView(scalars[(closing + 1)...]))
        _ = try compile()
    }

    /// The options the flags stand for.
    package var options: RegexOptions {
        var options: RegexOptions = []
        for flag in flags { if let o = RegexOptions.option(for: flag) { options.insert(o) } }
        return options
    }

    /// The compiled expression; throws when the pattern is invalid or cannot run in linear time.
    package func compile() throws(DelimitedRegexError) -> LinearRegex {
        do {
            return try LinearRegex(pattern, options: options)
        } catch {
            throw DelimitedRegexError(message: error.description, scalarOffset: 1 + error.offset)
        }
    }

    /// Index of the closing delimiter of a literal already validated by `scan`.
    private static func closingIndex(_ scalars: [Unicode.Scalar]) -> Int {
        var i = scalars.count - 1
        while i > 0, knownFlags.contains(Character(scalars[i])) || isASCIILetter(scalars[i]) { i -= 1 }
        return i
    }

    private static func isASCIILetter(_ c: Unicode.Scalar) -> Bool {
        (c >= "a" && c <= "z") || (c >= "A" && c <= "Z")
    }

    /// Scans a literal starting at `start` (the opening delimiter) and returns the index just past
    /// its flags. Used both for whole literals and to find where a regex ends inside a rule string.
    static func scan(_ scalars: [Unicode.Scalar], from start: Int) throws(DelimitedRegexError) -> Int {
        guard start < scalars.count else {
            throw DelimitedRegexError(message: "expected a delimited pattern such as /^[a-z]+$/", scalarOffset: start)
        }
        let open = scalars[start]
        if isASCIILetter(open) || (open >= "0" && open <= "9") || open == "\\" || open.properties.isWhitespace {
            throw DelimitedRegexError(message: "a regex must start with a delimiter such as '/', as in /^[a-z]+$/", scalarOffset: start)
        }
        let pairs: [Unicode.Scalar: Unicode.Scalar] = ["(": ")", "[": "]", "{": "}", "<": ">"]
        let close = pairs[open] ?? open
        var depth = 0
        var i = start + 1
        while i < scalars.count {
            let c = scalars[i]
            if c == "\\" {
                i += 2
                continue
            }
            if close != open && c == open {
                depth += 1
            } else if c == close {
                if depth == 0 { break }
                depth -= 1
            }
            i += 1
        }
        guard i < scalars.count else {
            throw DelimitedRegexError(message: "the regex is not closed: no closing '\(Character(close))'", scalarOffset: start, resumeOffset: scalars.count)
        }
        i += 1
        let flagsStart = i
        while i < scalars.count, isASCIILetter(scalars[i]) { i += 1 }
        for k in flagsStart..<i where !knownFlags.contains(Character(scalars[k])) {
            throw DelimitedRegexError(message: "unknown regex flag '\(Character(scalars[k]))' (use i, m, s, x or u)", scalarOffset: k, resumeOffset: i)
        }
        return i
    }
}
