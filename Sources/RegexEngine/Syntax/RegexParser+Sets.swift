extension RegexParser {
    /// A class after its `[`: `[abc]`, `[^a-z]`, `[\d_]`, `[[:alpha:]]`, `[a-z&&[^aeiou]]`, `[\p{L}--[a-z]]`.
    /// A `]` first is literal; `-` first or last is literal; `&&` and `--` combine left to right.
    mutating func parseSet(openedAt start: Int) throws(RegexSyntaxError) -> CharSet {
        if let posix = try parsePOSIXClass(start: start) { return posix }
        depth += 1
        guard depth <= RegexParser.maxDepth else {
            throw error(.invalid("groups and classes are nested more than \(RegexParser.maxDepth) deep"), at: start)
        }
        defer { depth -= 1 }
        var negated = false
        if peek == "^" { negated = true; index += 1 }
        var result: CharSet.Expr?
        var pending: (op: Unicode.Scalar, at: Int)?
        var items: [CharSet.Expr] = []
        var first = true
        func flush() {
            let operand: CharSet.Expr = items.count == 1 ? items[0] : .union(items)
            items = []
            if let left = result, let op = pending?.op {
                result = op == "&" ? .intersection(left, operand) : .subtraction(left, operand)
            } else {
                result = operand
            }
            pending = nil
        }
        while true {
            if options.contains(.extended) { while let c = peek, RegexParser.isPatternWhitespace(c) { index += 1 } }
            guard let c = peek else { throw error(.invalid("missing ']' to close the class opened at offset \(start)"), at: start) }
            if c == "]" && !first {
                index += 1
                break
            }
            first = false
            if (c == "&" && peek(1) == "&") || (c == "-" && peek(1) == "-") {
                guard !items.isEmpty else { throw error(.invalid("'\(c)\(c)' needs a set on its left"), at: index) }
                flush()
                pending = (c, index)
                index += 2
                continue
            }
            items.append(try parseSetItem())
        }
        if let p = pending, items.isEmpty { throw error(.invalid("'\(p.op)\(p.op)' needs a set on its right"), at: p.at) }
        if !items.isEmpty || result == nil { flush() }
        let expr = result ?? .ranges([])
        return CharSet(negated ? .not(expr) : expr, foldCase: options.contains(.caseInsensitive))
    }

    /// One member: a nested class, a POSIX class, an escape, a character or a range.
    mutating func parseSetItem() throws(RegexSyntaxError) -> CharSet.Expr {
        let itemStart = index
        if peek == "[" {
            index += 1
            let nested = try parseSet(openedAt: itemStart)
            return nested.expr
        }
        guard let low = try parseSetCharacter() else {
            // A shorthand or property: `\d`, `\p{L}`.
            guard case .set(let s) = try readEscape(inSet: true) else {
                throw error(.invalid("'\\Q' cannot be used inside [ ]"), at: itemStart)
            }
            return s.expr
        }
        guard peek == "-", let after = peek(1), after != "]", after != "-" else { return .ranges([low...low]) }
        let dash = index
        index += 1
        guard let high = try parseSetCharacter() else {
            throw error(.invalid("a range must end with a character, not a class"), at: dash)
        }
        guard high >= low else {
            throw error(.invalid("the range \(RegexParser.describe(low))-\(RegexParser.describe(high)) is out of order"), at: itemStart)
        }
        return .ranges([low...high])
    }

    /// A single character in a class (literal or character escape); nil at a class escape such as `\d`.
    mutating func parseSetCharacter() throws(RegexSyntaxError) -> UInt32? {
        guard let c = peek else { return nil }
        if c != "\\" { index += 1; return c.value }
        let start = index
        guard let e = peek(1) else { throw error(.invalid("the pattern ends with a lone '\\'"), at: start) }
        switch e {
        case "d", "D", "w", "W", "s", "S", "h", "H", "v", "V", "p", "P", "Q": return nil
        default: break
        }
        index += 2
        if let v = try scalarEscape(e, start: start) { return v }
        if e == "b" { throw error(.invalid("'\\b' cannot be used inside [ ]; write \\x08 for a backspace"), at: start) }
        index = start
        _ = try readEscape(inSet: true)  // throws the specific message
        return nil
    }

    /// `[:alpha:]` or `[:^alpha:]` at the position just inside a `[`; nil when not one.
    mutating func parsePOSIXClass(start: Int) throws(RegexSyntaxError) -> CharSet? {
        guard peek == ":" else { return nil }
        var i = index + 1
        var negate = false
        if i < scalars.count, scalars[i] == "^" { negate = true; i += 1 }
        var name = ""
        while i < scalars.count, scalars[i].isASCII, scalars[i].properties.isAlphabetic {
            name.unicodeScalars.append(scalars[i]); i += 1
        }
        guard !name.isEmpty, i + 1 < scalars.count, scalars[i] == ":", scalars[i + 1] == "]" else { return nil }
        index = i + 2
        let property = try resolveProperty(name, start: start)
        let expr = CharSet.Expr.property(property)
        return CharSet(negate ? .not(expr) : expr, foldCase: options.contains(.caseInsensitive))
    }

    static func describe(_ v: UInt32) -> String {
        if v >= 0x21 && v < 0x7F, let s = Unicode.Scalar(v) { return String(Character(s)) }
        return "\\x{\(String(v, radix: 16, uppercase: true))}"
    }
}
