extension RegexParser {
    /// What a backslash sequence stands for.
    enum Escape {
        case scalar(UInt32)
        case set(CharSet)
        case node(RegexNode)
        /// `\Q…\E`: literal scalars.
        case quoted([UInt32])
    }

    /// An escape outside a class, at the backslash.
    mutating func parseEscape() throws(RegexSyntaxError) -> [RegexNode] {
        switch try readEscape(inSet: false) {
        case .scalar(let v): return [literal(v)]
        case .set(let s): return [.set(s)]
        case .node(let n): return [n]
        case .quoted(let vs): return vs.map(literal)
        }
    }

    /// Reads one escape at the backslash. In a class, escapes that are not characters or sets are refused.
    mutating func readEscape(inSet: Bool) throws(RegexSyntaxError) -> Escape {
        let start = index
        index += 1
        guard let c = peek else { throw error(.invalid("the pattern ends with a lone '\\'"), at: start) }
        index += 1
        let fold = options.contains(.caseInsensitive)
        func negated(_ s: CharSet) -> CharSet { CharSet(.not(s.expr), foldCase: fold) }
        switch c {
        case "d": return .set(CharSet(CharSet.digit.expr, foldCase: fold))
        case "D": return .set(negated(.digit))
        case "w": return .set(CharSet(CharSet.word.expr, foldCase: fold))
        case "W": return .set(negated(.word))
        case "s": return .set(CharSet(CharSet.space.expr, foldCase: fold))
        case "S": return .set(negated(.space))
        case "h": return .set(CharSet(CharSet.horizontalSpace.expr, foldCase: fold))
        case "H": return .set(negated(.horizontalSpace))
        case "v": return .set(CharSet(CharSet.verticalSpace.expr, foldCase: fold))
        case "V": return .set(negated(.verticalSpace))
        case "p", "P": return .set(try parseProperty(negated: c == "P", start: start))
        case "Q": return .quoted(readQuoted())
        default: break
        }
        if let v = try scalarEscape(c, start: start) { return .scalar(v) }
        if inSet {
            throw error(.invalid("'\\\(c)' cannot be used inside [ ]"), at: start)
        }
        switch c {
        case "b": return .node(.assertion(.wordBoundary))
        case "B": return .node(.assertion(.notWordBoundary))
        case "A": return .node(.assertion(.startOfText))
        case "z": return .node(.assertion(.endOfText))
        case "Z": return .node(.assertion(.endOfTextOrFinalTerminator))
        case "R":
            let crlf = RegexNode.concat([.scalar(0x0D), .scalar(0x0A)])
            return .node(.group(.alternation([crlf, .set(CharSet.verticalSpace)]), index: nil))
        case "1"..."9":
            var text = "\\\(c)"
            while let d = peek, d >= "0", d <= "9" { text.unicodeScalars.append(d); index += 1 }
            throw error(.notLinear("a backreference (\(text))"), at: start)
        case "k", "g":
            throw error(.notLinear("a backreference (\\\(c)…)"), at: start)
        case "G": throw error(.unsupported("\\G (the end of the previous match)"), at: start)
        case "X": throw error(.unsupported("\\X (grapheme clusters)"), at: start)
        case "N": throw error(.unsupported("\\N{…} (characters by name); write \\x{…} instead"), at: start)
        default:
            throw error(.invalid("unknown escape '\\\(c)'"), at: start)
        }
    }

    /// The scalar a character escape stands for (`\t`, `\x41`, `\.`); nil when `c` is not one.
    mutating func scalarEscape(_ c: Unicode.Scalar, start: Int) throws(RegexSyntaxError) -> UInt32? {
        switch c {
        case "a": return 0x07
        case "e": return 0x1B
        case "f": return 0x0C
        case "n": return 0x0A
        case "r": return 0x0D
        case "t": return 0x09
        case "x":
            if peek == "{" {
                index += 1
                return try hexScalar(digits: 1...6, closedBy: "}", start: start)
            }
            return try hexScalar(digits: 1...2, closedBy: nil, start: start)
        case "u": return try hexScalar(digits: 4...4, closedBy: nil, start: start)
        case "U": return try hexScalar(digits: 8...8, closedBy: nil, start: start)
        case "0":
            var value: UInt32 = 0
            var count = 0
            while count < 3, let d = peek, d >= "0", d <= "7" { value = value * 8 + d.value - 48; index += 1; count += 1 }
            return value
        case "c":
            guard let x = peek, x.value >= 0x40, x.value < 0x7F else {
                throw error(.invalid("\\c must be followed by a letter or one of @[\\]^_, as in \\cA"), at: start)
            }
            index += 1
            let upper = x.value >= 0x61 && x.value <= 0x7A ? x.value - 0x20 : x.value
            return upper ^ 0x40
        default:
            let isASCIIAlnum = c.isASCII && (c.properties.isAlphabetic || (c >= "0" && c <= "9"))
            return isASCIIAlnum ? nil : c.value
        }
    }

    /// Hex digits after `\x`, `\x{`, `\u` or `\U`.
    mutating func hexScalar(digits: ClosedRange<Int>, closedBy closer: Unicode.Scalar?, start: Int) throws(RegexSyntaxError) -> UInt32 {
        var value: UInt32 = 0
        var count = 0
        while count < digits.upperBound, let d = peek, let h = RegexParser.hexValue(d) {
            value = value * 16 + h; index += 1; count += 1
        }
        if let closer {
            guard peek == closer else { throw error(.invalid("\\x{…} needs 1 to 6 hex digits and a closing '}'"), at: start) }
            index += 1
        }
        guard digits.contains(count) else {
            throw error(.invalid("expected \(digits.lowerBound == digits.upperBound ? "\(digits.lowerBound)" : "\(digits.lowerBound) to \(digits.upperBound)") hex digits after '\\\(scalars[start + 1])'"), at: start)
        }
        guard value <= 0x10FFFF, !(0xD800...0xDFFF).contains(value) else {
            throw error(.invalid("U+\(String(value, radix: 16, uppercase: true)) is not a Unicode scalar"), at: start)
        }
        return value
    }

    static func hexValue(_ c: Unicode.Scalar) -> UInt32? {
        switch c {
        case "0"..."9": return c.value - 48
        case "a"..."f": return c.value - 87
        case "A"..."F": return c.value - 55
        default: return nil
        }
    }

    /// `\Q…\E`: everything up to `\E` (or the end) is literal.
    mutating func readQuoted() -> [UInt32] {
        var values: [UInt32] = []
        while let c = peek {
            if c == "\\", peek(1) == "E" { index += 2; break }
            values.append(c.value)
            index += 1
        }
        return values
    }

    /// `\pL`, `\p{Lu}`, `\p{^Lu}`, `\P{…}`, after the letter.
    mutating func parseProperty(negated: Bool, start: Int) throws(RegexSyntaxError) -> CharSet {
        var name = ""
        var negate = negated
        if peek == "{" {
            index += 1
            if peek == "^" { negate.toggle(); index += 1 }
            while let c = peek, c != "}" { name.unicodeScalars.append(c); index += 1 }
            guard peek == "}" else { throw error(.invalid("\\p{… is not closed by '}'"), at: start) }
            index += 1
        } else if let c = peek {
            name.unicodeScalars.append(c); index += 1
        }
        let property = try resolveProperty(name, start: start)
        let expr = CharSet.Expr.property(property)
        return CharSet(negate ? .not(expr) : expr, foldCase: options.contains(.caseInsensitive))
    }

    func resolveProperty(_ name: String, start: Int) throws(RegexSyntaxError) -> UnicodeProperty {
        switch UnicodeProperty.named(name) {
        case .success(let p): return p
        case .failure(.scriptOrBlock):
            throw error(.unsupported("the script or block property '\(name)'; use a range such as [\\x{0370}-\\x{03FF}]"), at: start)
        case .failure(.unknown):
            throw error(.invalid("unknown Unicode property '\(name)'"), at: start)
        }
    }
}
