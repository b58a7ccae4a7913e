/// Why a pattern cannot be compiled, in words that name the construct.
package struct RegexSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    package enum Kind: Sendable, Equatable {
        /// Not a valid pattern: "missing ')'".
        case invalid(String)
        /// Valid elsewhere but cannot run in linear time: "a backreference (\1)".
        case notLinear(String)
        /// Could run in linear time but this engine does not implement it: "\X (grapheme clusters)".
        case unsupported(String)
        /// Counted repetitions expand past the program limit.
        case tooLarge(limit: Int)
    }

    package var kind: Kind
    /// The pattern, as given.
    package var pattern: String
    /// Unicode-scalar offset in the pattern where the problem starts.
    package var offset: Int

    package init(_ kind: Kind, pattern: String, offset: Int) {
        self.kind = kind; self.pattern = pattern; self.offset = offset
    }

    package var description: String {
        switch kind {
        case .invalid(let why):
            return "invalid regular expression '\(pattern)': \(why)"
        case .notLinear(let construct):
            return "regular expression '\(pattern)' uses \(construct), which cannot be matched in linear time; "
                + "backreferences, lookahead, lookbehind, atomic groups, possessive quantifiers, recursion and conditionals are refused"
        case .unsupported(let construct):
            return "regular expression '\(pattern)' uses \(construct), which Ingest's regex engine does not support"
        case .tooLarge(let limit):
            return "regular expression '\(pattern)' is too large: with its counted repetitions ({n,m}) expanded it needs more than \(limit) instructions; use smaller counts"
        }
    }
}
