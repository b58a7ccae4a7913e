/// Facts about a finished program that let the matchers skip work: whether matches can only
/// start at offset 0, which bytes a match can start with, and whether it has no branches.
enum ProgramAnalysis {
    static func finish(_ program: inout Program) {
        program.isStraightLine = !program.instructions.contains { $0.op == .split || $0.op == .jump || $0.op == .progress }
        program.anchoredAtStart = anchored(program)
        program.firstBytes = firstBytes(program)
    }

    /// Every path from the start passes `\A` (or `^` without `m`) before consuming or matching.
    private static func anchored(_ p: Program) -> Bool {
        var seen = Set<Int>()
        var stack = [0]
        while let pc = stack.popLast() {
            guard seen.insert(pc).inserted else { continue }
            let inst = p.instructions[pc]
            switch inst.op {
            case .assert:
                if inst.a == RegexNode.Assertion.startOfText.rawValue { continue }
                stack.append(pc + 1)
            case .save, .crlfTail: stack.append(pc + 1)
            case .jump: stack.append(Int(inst.a))
            case .split, .progress: stack.append(Int(inst.b)); stack.append(inst.op == .split ? Int(inst.a) : pc + 1)
            case .char, .asciiSet, .set, .any, .anyAll, .match: return false
            }
        }
        return true
    }

    /// The possible first bytes of a match; nil when a match may be empty or start with any byte.
    private static func firstBytes(_ p: Program) -> ByteSet? {
        var set = ByteSet()
        var seen = Set<Int>()
        var stack = [0]
        while let pc = stack.popLast() {
            guard seen.insert(pc).inserted else { continue }
            let inst = p.instructions[pc]
            switch inst.op {
            case .assert, .save, .crlfTail: stack.append(pc + 1)
            case .jump: stack.append(Int(inst.a))
            case .split, .progress: stack.append(Int(inst.b)); stack.append(inst.op == .split ? Int(inst.a) : pc + 1)
            case .match, .any, .anyAll: return nil
            case .char:
                set.insert(leadByte(UInt32(inst.a)))
            case .asciiSet, .set:
                let k = Int(inst.a)
                for b in 0..<128 where (p.asciiBitmaps[2 * k + b / 64] >> UInt64(b % 64)) & 1 == 1 { set.insert(UInt8(b)) }
                if p.classReachesBeyondASCII[k] { for b in UInt8(0xC2)...0xF4 { set.insert(b) } }
            }
        }
        return set.isFull ? nil : set
    }

    /// The first UTF-8 byte of scalar `v`.
    static func leadByte(_ v: UInt32) -> UInt8 {
        switch v {
        case ..<0x80: return UInt8(v)
        case ..<0x800: return UInt8(0xC0 | (v >> 6))
        case ..<0x10000: return UInt8(0xE0 | (v >> 12))
        default: return UInt8(0xF0 | (v >> 18))
        }
    }
}
