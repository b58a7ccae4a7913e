extension RegexParser {
    /// A group at `(`: capturing, `(?:…)`, `(?<name>…)`, flags, a comment, or a refused construct.
    mutating func parseGroup() throws(RegexSyntaxError) -> [RegexNode] {
        let start = index
        index += 1
        var capture: Int?
        var groupOptions = options
        if peek == "?" {
            index += 1
            switch try parseGroupKind(start: start) {
            case .nonCapturing(let o):
                groupOptions = o
            case .named(let name):
                captureCount += 1
                capture = captureCount
                groupNames[name] = captureCount
            case .setFlags(let o):
                options = o  // until the end of the enclosing group, which restores its own
                return []
            case .comment:
                return []
            }
        } else {
            captureCount += 1
            capture = captureCount
        }
        depth += 1
        guard depth <= RegexParser.maxDepth else {
            throw error(.invalid("groups and classes are nested more than \(RegexParser.maxDepth) deep"), at: start)
        }
        let saved = options
        options = groupOptions
        let body = try parseAlternation()
        options = saved
        depth -= 1
        guard peek == ")" else { throw error(.invalid("missing ')' to close the group opened at offset \(start)"), at: start) }
        index += 1
        return [.group(body, index: capture)]
    }

    enum GroupKind {
        case nonCapturing(RegexOptions)
        case named(String)
        case setFlags(RegexOptions)
        case comment
    }

    /// What follows `(?`; refuses lookaround, atomic groups, recursion and conditionals by name.
    mutating func parseGroupKind(start: Int) throws(RegexSyntaxError) -> GroupKind {
        guard let c = peek else { throw error(.invalid("missing ')' to close the group opened at offset \(start)"), at: start) }
        switch c {
        case ":":
            index += 1
            return .nonCapturing(options)
        case "#":
            while let d = peek, d != ")" { index += 1 }
            guard peek == ")" else { throw error(.invalid("the comment (?#… is not closed by ')'"), at: start) }
            index += 1
            return .comment
        case "=": throw error(.notLinear("a lookahead (?=…)"), at: start)
        case "!": throw error(.notLinear("a negative lookahead (?!…)"), at: start)
        case ">": throw error(.notLinear("an atomic group (?>…)"), at: start)
        case "(": throw error(.notLinear("a conditional (?(…)…)"), at: start)
        case "R", "&", "+", "0"..."9": throw error(.notLinear("recursion (?\(c)…)"), at: start)
        case "|": throw error(.unsupported("a branch reset group (?|…)"), at: start)
        case "<":
            if peek(1) == "=" { throw error(.notLinear("a lookbehind (?<=…)"), at: start) }
            if peek(1) == "!" { throw error(.notLinear("a negative lookbehind (?<!…)"), at: start) }
            index += 1
            return .named(try parseGroupName(start: start))
        case "P", "'":
            if c == "P", peek(1) == "=" { throw error(.notLinear("a backreference (?P=…)"), at: start) }
            if c == "P", peek(1) == ">" { throw error(.notLinear("recursion (?P>…)"), at: start) }
            throw error(.invalid("write a named group as (?<name>…)"), at: start)
        case "-" where peek(1).map { $0 >= "0" && $0 <= "9" } == true:
            throw error(.notLinear("recursion (?-…)"), at: start)
        default:
            return try parseFlagGroup(start: start)
        }
    }

    /// `(?<name>`: the name after `<`, ASCII letters and digits starting with a letter, then `>`.
    mutating func parseGroupName(start: Int) throws(RegexSyntaxError) -> String {
        var name = ""
        while let c = peek, c.isASCII, c.properties.isAlphabetic || (c >= "0" && c <= "9") {
            name.unicodeScalars.append(c)
            index += 1
        }
        guard peek == ">", let first = name.unicodeScalars.first, first.properties.isAlphabetic else {
            throw error(.invalid("a group name must be ASCII letters and digits starting with a letter, as in (?<year>…)"), at: start)
        }
        index += 1
        guard groupNames[name] == nil else { throw error(.invalid("the group name '\(name)' is used twice"), at: start) }
        return name
    }

    /// `(?imsx-imsx)` or `(?imsx-imsx:…)`.
    mutating func parseFlagGroup(start: Int) throws(RegexSyntaxError) -> GroupKind {
        var result = options
        var turningOff = false
        while let c = peek {
            index += 1
            switch c {
            case ")": return .setFlags(result)
            case ":": return .nonCapturing(result)
            case "-":
                guard !turningOff else { break }
                turningOff = true
                continue
            case "w":
                throw error(.unsupported("the (?w) flag (Unicode word boundaries)"), at: start)
            default:
                if let o = RegexOptions.option(for: Character(c)), c != "u" {
                    if turningOff { result.remove(o) } else { result.insert(o) }
                    continue
                }
            }
            throw error(.invalid("unknown group syntax '(?\(c)'; flags are i, m, s and x"), at: start)
        }
        throw error(.invalid("missing ')' to close the group opened at offset \(start)"), at: start)
    }
}
