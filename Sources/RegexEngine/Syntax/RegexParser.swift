/// Reads a pattern in ICU syntax (the syntax definitions were written for, a superset of the
/// common PCRE subset) into a `RegexNode`, refusing by name what cannot run in linear time.
///
/// Supported: literals and escapes (`\t \n \x41 \x{1F600} \u00E9 \0101 \cA \Q…\E`), `.`, classes
/// with ranges, negation, nesting, `&&` and `--`, POSIX `[[:alpha:]]`, `\d \w \s \h \v` and their
/// negations, `\p{…}` general categories and binary properties, `\R`, anchors `^ $ \A \z \Z`,
/// `\b \B`, groups `( )`, `(?: )`, `(?<name> )`, inline flags `(?imsx-imsx)` and `(?i: )`,
/// comments `(?# )`, alternation, and `* + ? {n} {n,} {n,m}` greedy or lazy.
/// Refused as non-linear: backreferences, lookaround, atomic groups, possessive quantifiers,
/// recursion and conditionals.
struct RegexParser {
    let pattern: String
    let scalars: [Unicode.Scalar]
    var index = 0
    var options: RegexOptions
    var depth = 0
    var captureCount = 0
    var groupNames: [String: Int] = [:]

    /// Deepest nesting of groups and classes: keeps recursion (here and in the compiler) bounded.
    static let maxDepth = 250
    /// Largest count in `{n,m}`; the program limit usually stops far earlier.
    static let maxCount = 100_000

    init(pattern: String, options: RegexOptions) {
        self.pattern = pattern
        self.scalars = Array(pattern.unicodeScalars)
        self.options = options
    }

    /// Parses the whole pattern.
    mutating func parse() throws(RegexSyntaxError) -> RegexNode {
        let node = try parseAlternation()
        if index < scalars.count {  // only a ')' stops an alternation early
            throw error(.invalid("unmatched ')'"), at: index)
        }
        return node
    }

    // MARK: helpers

    var peek: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    func peek(_ offset: Int) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    func error(_ kind: RegexSyntaxError.Kind, at offset: Int) -> RegexSyntaxError {
        RegexSyntaxError(kind, pattern: pattern, offset: offset)
    }

    /// Under `x`, skips whitespace and `#` comments.
    mutating func skipExtended() {
        guard options.contains(.extended) else { return }
        while let c = peek {
            if RegexParser.isPatternWhitespace(c) {
                index += 1
            } else if c == "#" {
                while let d = peek, !RegexParser.isLineTerminator(d.value) { index += 1 }
            } else {
                return
            }
        }
    }

    static func isPatternWhitespace(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x09...0x0D, 0x20, 0x85, 0x200E, 0x200F, 0x2028, 0x2029: return true
        default: return false
        }
    }

    static func isLineTerminator(_ v: UInt32) -> Bool {
        (v >= 0x0A && v <= 0x0D) || v == 0x85 || v == 0x2028 || v == 0x2029
    }

    /// A literal scalar under the current flags: a folded set when `i` applies and it has case.
    func literal(_ v: UInt32) -> RegexNode {
        if options.contains(.caseInsensitive) && !CaseFolding.others(of: v).isEmpty {
            return .set(.scalar(v, foldCase: true))
        }
        return .scalar(v)
    }

    // MARK: structure

    mutating func parseAlternation() throws(RegexSyntaxError) -> RegexNode {
        var branches = [try parseConcat()]
        while peek == "|" {
            index += 1
            branches.append(try parseConcat())
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    mutating func parseConcat() throws(RegexSyntaxError) -> RegexNode {
        var items: [RegexNode] = []
        while true {
            skipExtended()
            guard let c = peek, c != "|", c != ")" else { break }
            let start = index
            let atoms = try parseAtom()
            guard var last = atoms.last else { continue }  // a comment, a flag group or an empty \Q\E
            items.append(contentsOf: atoms.dropLast())
            last = try parseQuantifiers(last, atomStart: start)
            items.append(last)
        }
        if items.isEmpty { return .empty }
        return items.count == 1 ? items[0] : .concat(items)
    }

    /// One atom; several for `\Q…\E` (a quantifier applies to the last), none for `(?i)`.
    mutating func parseAtom() throws(RegexSyntaxError) -> [RegexNode] {
        guard let c = peek else { return [] }
        let start = index
        switch c {
        case "(":
            return try parseGroup()
        case "[":
            index += 1
            return [.set(try parseSet(openedAt: start))]
        case ".":
            index += 1
            return [.any(dotAll: options.contains(.dotAll))]
        case "^":
            index += 1
            return [.assertion(options.contains(.multiline) ? .startOfLine : .startOfText)]
        case "$":
            index += 1
            return [.assertion(options.contains(.multiline) ? .endOfLine : .endOfTextOrFinalTerminator)]
        case "\\":
            return try parseEscape()
        case "*", "+", "?":
            throw error(.invalid("'\(c)' has nothing to repeat"), at: start)
        case "{":
            throw error(.invalid("'{' must be escaped as \\{ where it does not follow something to repeat"), at: start)
        case "}":
            throw error(.invalid("'}' must be escaped as \\}"), at: start)
        default:
            index += 1
            return [literal(c.value)]
        }
    }

    /// Quantifiers after an atom: `*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`, each optionally lazy (`?`).
    mutating func parseQuantifiers(_ atom: RegexNode, atomStart: Int) throws(RegexSyntaxError) -> RegexNode {
        skipExtended()
        guard let c = peek else { return atom }
        let start = index
        var bounds: (Int, Int?)
        switch c {
        case "*": bounds = (0, nil); index += 1
        case "+": bounds = (1, nil); index += 1
        case "?": bounds = (0, 1); index += 1
        case "{": bounds = try parseInterval()
        default: return atom
        }
        if case .assertion = atom {
            throw error(.invalid("a quantifier cannot follow an anchor or a boundary such as ^, $ or \\b"), at: start)
        }
        var greedy = true
        if peek == "?" {
            greedy = false; index += 1
        } else if peek == "+" {
            let text = String(String.UnicodeScalarView(scalars[start...index]))
            throw error(.notLinear("a possessive quantifier (\(text))"), at: start)
        }
        skipExtended()
        if let next = peek, next == "*" || next == "+" || next == "?" || next == "{" {
            throw error(.invalid("a quantifier cannot follow another quantifier; group the first one, as in (?:a*)*"), at: index)
        }
        return .repetition(atom, min: bounds.0, max: bounds.1, greedy: greedy)
    }

    /// `{n}`, `{n,}` or `{n,m}`, at the `{`.
    mutating func parseInterval() throws(RegexSyntaxError) -> (Int, Int?) {
        let start = index
        index += 1
        let invalid = error(.invalid("a repetition must be {n}, {n,} or {n,m} with whole numbers (escape a literal '{' as \\{)"), at: start)
        guard let low = parseCount() else { throw invalid }
        var high: Int? = low
        if peek == "," {
            index += 1
            high = parseCount()
        }
        guard peek == "}" else { throw invalid }
        index += 1
        if let high, high < low {
            throw error(.invalid("the repetition {\(low),\(high)} has its bounds in the wrong order"), at: start)
        }
        if low > RegexParser.maxCount || (high ?? 0) > RegexParser.maxCount {
            throw error(.invalid("a repetition count may not exceed \(RegexParser.maxCount)"), at: start)
        }
        return (low, high)
    }

    /// ASCII digits as a number (saturating well above `maxCount`); nil when there are none.
    mutating func parseCount() -> Int? {
        var value: Int?
        while let c = peek, c >= "0", c <= "9" {
            value = min((value ?? 0) * 10 + Int(c.value - 48), 10_000_000)
            index += 1
        }
        return value
    }
}
