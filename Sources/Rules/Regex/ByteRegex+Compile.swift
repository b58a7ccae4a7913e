extension ByteRegex {
    /// The parsed shape of a pattern, before it becomes a program.
    indirect enum Node {
        case empty
        case byte(UInt8)
        case set(ByteClass)
        case any
        case begin
        case end
        case concat([Node])
        case alternation([Node])
        case repetition(Node, min: Int, max: Int?)

        /// Whether the node can match without consuming input (a loop over it would spin).
        var isNullable: Bool {
            switch self {
            case .empty, .begin, .end: return true
            case .byte, .set, .any: return false
            case .concat(let nodes): return nodes.allSatisfy(\.isNullable)
            case .alternation(let nodes): return nodes.contains(where: \.isNullable)
            case .repetition(let node, let min, _): return min == 0 || node.isNullable
            }
        }
    }

    /// Largest program, in instructions; bigger patterns (huge `{n,m}`) go to the fallback.
    static let maxProgramLength = 20_000

    /// Compiles `literal`, or returns nil when it uses anything outside the supported subset.
    static func compile(_ literal: RegexLiteral) -> ByteRegex? {
        guard !literal.multiline, !literal.dotAll, !literal.extended else { return nil }
        var parser = Parser(bytes: Array(literal.pattern.utf8), caseInsensitive: literal.caseInsensitive)
        guard let node = parser.parseAlternation(), parser.index == parser.bytes.count else { return nil }
        var emitter = Emitter()
        guard emitter.emit(node) else { return nil }
        emitter.program.append(Instruction(op: .match))
        guard emitter.program.count <= maxProgramLength else { return nil }
        let first = emitter.program[0]
        return ByteRegex(
            program: emitter.program, classes: emitter.classes,
            anchoredAtStart: first.op == .begin, dollarEndOnly: literal.dollarEndOnly,
            firstByte: first.op == .byte ? UInt8(truncatingIfNeeded: first.a) : nil)
    }

    /// Recursive-descent parser over the pattern's UTF-8; nil means "unsupported here".
    struct Parser {
        let bytes: [UInt8]
        let caseInsensitive: Bool
        var index = 0
        var depth = 0

        init(bytes: [UInt8], caseInsensitive: Bool) { self.bytes = bytes; self.caseInsensitive = caseInsensitive }

        var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func parseAlternation() -> Node? {
            var branches: [Node] = []
            guard let first = parseConcat() else { return nil }
            branches.append(first)
            while peek == UInt8(ascii: "|") {
                index += 1
                guard let next = parseConcat() else { return nil }
                branches.append(next)
            }
            return branches.count == 1 ? branches[0] : .alternation(branches)
        }

        mutating func parseConcat() -> Node? {
            var items: [Node] = []
            while let c = peek, c != UInt8(ascii: "|"), c != UInt8(ascii: ")") {
                guard let atom = parseAtom() else { return nil }
                guard let quantified = parseQuantifier(atom) else { return nil }
                items.append(contentsOf: quantified)
            }
            if items.isEmpty { return .empty }
            return items.count == 1 ? items[0] : .concat(items)
        }

        /// An atom may expand to several nodes (a multi-byte literal), hence the array.
        mutating func parseAtom() -> [Node]? {
            guard let c = peek else { return nil }
            switch c {
            case UInt8(ascii: "("):
                index += 1
                if peek == UInt8(ascii: "?") {
                    guard index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: ":") else { return nil }
                    index += 2
                }
                depth += 1
                guard depth < 200, let inner = parseAlternation(), peek == UInt8(ascii: ")") else { return nil }
                depth -= 1
                index += 1
                return [inner]
            case UInt8(ascii: "["):
                index += 1
                guard let set = parseClass() else { return nil }
                return [.set(set)]
            case UInt8(ascii: "."):
                index += 1; return [.any]
            case UInt8(ascii: "^"):
                index += 1; return [.begin]
            case UInt8(ascii: "$"):
                index += 1; return [.end]
            case UInt8(ascii: "\\"):
                index += 1
                return parseEscape()
            case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"), UInt8(ascii: "{"):
                return nil  // a quantifier with nothing to repeat, or a brace ICU reads differently.
            default:
                if c < 0x80 {
                    index += 1
                    return [literal(c)]
                }
                guard !caseInsensitive else { return nil }  // Unicode case folding: leave it to ICU.
                let length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2
                guard index + length <= bytes.count else { return nil }
                let scalarBytes = bytes[index..<(index + length)]
                index += length
                // One scalar: grouped so a following quantifier repeats all of its bytes.
                return [.concat(scalarBytes.map { .byte($0) })]
            }
        }

        func literal(_ c: UInt8) -> Node {
            if caseInsensitive, let other = ByteRegex.otherCase(c) {
                var set = ByteClass(); set.insert(c); set.insert(other)
                return .set(set)
            }
            return .byte(c)
        }

        mutating func parseEscape() -> [Node]? {
            guard let c = peek else { return nil }
            index += 1
            switch c {
            case UInt8(ascii: "d"): return [.set(ByteClass.digits)]
            case UInt8(ascii: "w"): return [.set(ByteClass.word)]
            case UInt8(ascii: "s"): return [.set(ByteClass.space)]
            case UInt8(ascii: "D"): var s = ByteClass.digits; s.negated = true; return [.set(s)]
            case UInt8(ascii: "W"): var s = ByteClass.word; s.negated = true; return [.set(s)]
            case UInt8(ascii: "S"): var s = ByteClass.space; s.negated = true; return [.set(s)]
            default:
                guard let byte = escapedByte(c) else { return nil }
                return [literal(byte)]
            }
        }

        /// The byte an escape stands for, for escapes that mean one literal character.
        mutating func escapedByte(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "t"): return 0x09
            case UInt8(ascii: "n"): return 0x0A
            case UInt8(ascii: "r"): return 0x0D
            case UInt8(ascii: "f"): return 0x0C
            case UInt8(ascii: "e"): return 0x1B
            case UInt8(ascii: "x"):
                guard index + 2 <= bytes.count, let hi = ByteRegex.hexValue(bytes[index]),
                      let lo = ByteRegex.hexValue(bytes[index + 1]), hi < 8 else { return nil }
                index += 2
                return hi << 4 | lo
            default:
                // Escaped ASCII punctuation is itself; escaped letters and digits have meanings
                // (`\b`, `\1`, `\p`, `\v` …) that belong to the fallback.
                let isAlnum = (c >= 48 && c <= 57) || (c | 0x20 >= 97 && c | 0x20 <= 122)
                return c < 0x80 && !isAlnum ? c : nil
            }
        }

        mutating func parseClass() -> ByteClass? {
            var set = ByteClass()
            if peek == UInt8(ascii: "^") { set.negated = true; index += 1 }
            if peek == UInt8(ascii: "]") { return nil }  // ICU and PCRE disagree on a leading `]`.
            while true {
                guard let c = peek else { return nil }
                if c == UInt8(ascii: "]") { index += 1; break }
                if c == UInt8(ascii: "[") { return nil }  // nested sets / POSIX classes: fallback.
                if c == UInt8(ascii: "&"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "&") { return nil }
                guard let low = parseClassMember(into: &set) else { return nil }
                guard let lowValue = low else { continue }  // a shorthand like `\d` was merged.
                if peek == UInt8(ascii: "-"), index + 1 < bytes.count, bytes[index + 1] != UInt8(ascii: "]") {
                    index += 1
                    guard let high = parseClassMember(into: &set), let highValue = high, highValue >= lowValue else {
                        return nil
                    }
                    guard addRange(lowValue...highValue, to: &set) else { return nil }
                } else {
                    guard addRange(lowValue...lowValue, to: &set) else { return nil }
                }
            }
            return set
        }

        func addRange(_ range: ClosedRange<UInt32>, to set: inout ByteClass) -> Bool {
            if caseInsensitive {
                guard range.upperBound < 128 else { return false }
                for v in range { if let o = ByteRegex.otherCase(UInt8(v)) { set.insert(o) } }
            }
            set.insert(range: range)
            return true
        }

        /// One class member: `.some(scalar)` for a character, `.some(nil)` when a shorthand was merged.
        mutating func parseClassMember(into set: inout ByteClass) -> UInt32?? {
            guard let c = peek else { return nil }
            if c == UInt8(ascii: "\\") {
                index += 1
                guard let e = peek else { return nil }
                index += 1
                func merge(_ other: ByteClass, negatedUnicode: Bool) {
                    if negatedUnicode {
                        set.low |= ~other.low; set.high |= ~other.high
                        set.notUnicodeDigit = set.notUnicodeDigit || other.unicodeDigit
                        set.notUnicodeWord = set.notUnicodeWord || other.unicodeWord
                        set.notUnicodeSpace = set.notUnicodeSpace || other.unicodeSpace
                    } else {
                        set.low |= other.low; set.high |= other.high
                        set.unicodeDigit = set.unicodeDigit || other.unicodeDigit
                        set.unicodeWord = set.unicodeWord || other.unicodeWord
                        set.unicodeSpace = set.unicodeSpace || other.unicodeSpace
                    }
                }
                switch e {
                case UInt8(ascii: "d"): merge(.digits, negatedUnicode: false); return .some(nil)
                case UInt8(ascii: "w"): merge(.word, negatedUnicode: false); return .some(nil)
                case UInt8(ascii: "s"): merge(.space, negatedUnicode: false); return .some(nil)
                case UInt8(ascii: "D"): merge(.digits, negatedUnicode: true); return .some(nil)
                case UInt8(ascii: "W"): merge(.word, negatedUnicode: true); return .some(nil)
                case UInt8(ascii: "S"): merge(.space, negatedUnicode: true); return .some(nil)
                default:
                    guard let byte = escapedByte(e) else { return nil }
                    return .some(UInt32(byte))
                }
            }
            if c < 0x80 { index += 1; return .some(UInt32(c)) }
            let length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2
            guard index + length <= bytes.count else { return nil }
            let scalar = bytes[index..<(index + length)].withContiguousStorageIfAvailable {
                ByteRegex.decode($0, at: 0).0
            }
            index += length
            guard let s = scalar else { return nil }
            return .some(s)
        }

        mutating func parseQuantifier(_ atom: [Node]) -> [Node]? {
            guard let c = peek else { return atom }
            var min = 0, max: Int? = nil
            switch c {
            case UInt8(ascii: "*"): index += 1
            case UInt8(ascii: "+"): index += 1; min = 1
            case UInt8(ascii: "?"): index += 1; max = 1
            case UInt8(ascii: "{"):
                index += 1
                guard let low = parseNumber() else { return nil }
                min = low
                if peek == UInt8(ascii: ",") {
                    index += 1
                    if peek == UInt8(ascii: "}") { max = nil } else {
                        guard let high = parseNumber(), high >= low else { return nil }
                        max = high
                    }
                } else {
                    max = low
                }
                guard peek == UInt8(ascii: "}") else { return nil }
                index += 1
            default:
                return atom
            }
            if peek == UInt8(ascii: "?") { index += 1 }           // lazy: same answer to "is there a match".
            else if peek == UInt8(ascii: "+") { return nil }      // possessive: changes the answer; fallback.
            guard atom.count == 1 else { return nil }
            let node = atom[0]
            switch node { case .begin, .end: return nil; default: break }
            if let next = peek, next == UInt8(ascii: "*") || next == UInt8(ascii: "+") || next == UInt8(ascii: "{") {
                return nil  // stacked quantifiers: leave the exotic meanings to ICU.
            }
            return [.repetition(node, min: min, max: max)]
        }

        mutating func parseNumber() -> Int? {
            var value = 0, digits = 0
            while let c = peek, c >= 48, c <= 57 {
                value = value * 10 + Int(c - 48); digits += 1; index += 1
                if value > 100_000 { return nil }
            }
            return digits > 0 ? value : nil
        }
    }

    /// Turns nodes into a program for the backtracking machine.
    struct Emitter {
        var program: [Instruction] = []
        var classes: [ByteClass] = []

        mutating func emit(_ node: Node) -> Bool {
            guard program.count <= ByteRegex.maxProgramLength else { return false }
            switch node {
            case .empty: return true
            case .byte(let b): program.append(Instruction(op: .byte, a: Int32(b)))
            case .set(let set):
                classes.append(set)
                program.append(Instruction(op: set.isASCIIOnly ? .asciiSet : .set, a: Int32(classes.count - 1)))
            case .any: program.append(Instruction(op: .any))
            case .begin: program.append(Instruction(op: .begin))
            case .end: program.append(Instruction(op: .end))
            case .concat(let nodes):
                for n in nodes { guard emit(n) else { return false } }
            case .alternation(let branches):
                var jumps: [Int] = []
                for (i, branch) in branches.enumerated() {
                    if i < branches.count - 1 {
                        let split = program.count
                        program.append(Instruction(op: .split))
                        program[split].a = Int32(program.count)
                        guard emit(branch) else { return false }
                        jumps.append(program.count)
                        program.append(Instruction(op: .jump))
                        program[split].b = Int32(program.count)
                    } else {
                        guard emit(branch) else { return false }
                    }
                }
                for j in jumps { program[j].a = Int32(program.count) }
            case .repetition(let inner, let min, let max):
                if inner.isNullable && max == nil { return false }  // a loop that can spin: fallback.
                for _ in 0..<min { guard emit(inner) else { return false } }
                if let max {
                    var splits: [Int] = []
                    for _ in min..<max {
                        splits.append(program.count)
                        program.append(Instruction(op: .split))
                        program[splits[splits.count - 1]].a = Int32(program.count)
                        guard emit(inner) else { return false }
                    }
                    for s in splits { program[s].b = Int32(program.count) }
                } else {
                    let loop = program.count
                    program.append(Instruction(op: .split, a: Int32(loop + 1)))
                    guard emit(inner) else { return false }
                    program.append(Instruction(op: .jump, a: Int32(loop)))
                    program[loop].b = Int32(program.count)
                }
            }
            return true
        }
    }

    static func otherCase(_ c: UInt8) -> UInt8? {
        if c >= 65 && c <= 90 { return c + 32 }
        if c >= 97 && c <= 122 { return c - 32 }
        return nil
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: return c - 48
        case 65...70: return c - 55
        case 97...102: return c - 87
        default: return nil
        }
    }
}
