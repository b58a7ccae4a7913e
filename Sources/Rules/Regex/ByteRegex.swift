/// A small backtracking regex matcher over UTF-8 bytes, for the hot path of `regex` rules.
///
/// NSRegularExpression costs microseconds per call (UTF-16 bridging, ICU setup); a validator
/// runs once per cell, so a pattern like `^SKU-[0-9]{8}$` must cost tens of nanoseconds.
/// `ByteRegex` supports the common subset — literals, `.`, classes with ranges and negation,
/// `\d \w \s \D \W \S`, escapes, `^ $`, groups `( )` `(?: )`, `|`, `* + ? {n} {n,} {n,m}`
/// (greedy or lazy) and the `i` flag for ASCII — and answers only "is there a match",
/// with ICU's semantics (the fallback's). `compile` returns nil for anything else
/// (back-references, lookaround, `\b`, possessive quantifiers, non-ASCII with `i`, …),
/// and the caller falls back to NSRegularExpression.
///
/// Backtracking is bounded: after a few thousand steps the matcher starts memoising failed
/// (instruction, position) states, which makes the worst case linear in pattern × input.
final class ByteRegex: Sendable {
    enum Op: UInt8, Sendable { case byte, asciiSet, set, any, begin, end, split, jump, match }

    struct Instruction: Sendable {
        var op: Op
        var a: Int32 = 0
        var b: Int32 = 0
    }

    let program: [Instruction]
    let classes: [ByteClass]
    /// The ASCII bitmaps of `classes`, as plain words: read per byte without reference counting.
    let asciiBitmaps: [UInt64]
    /// The pattern begins with `^`: only position 0 needs trying.
    let anchoredAtStart: Bool
    /// `$` only at the very end (PCRE `D`), not before a final line terminator.
    let dollarEndOnly: Bool
    /// A byte every match must start with, to skip start positions cheaply.
    let firstByte: UInt8?
    /// No alternation or repetition: one pass per start position, no backtracking stack.
    let isLinear: Bool

    init(program: [Instruction], classes: [ByteClass], anchoredAtStart: Bool, dollarEndOnly: Bool, firstByte: UInt8?) {
        self.program = program; self.classes = classes; self.anchoredAtStart = anchoredAtStart
        self.asciiBitmaps = classes.flatMap { [$0.low, $0.high] }
        self.isLinear = !program.contains { $0.op == .split || $0.op == .jump }
        self.dollarEndOnly = dollarEndOnly; self.firstByte = firstByte
    }

    /// Steps before memoisation starts; below it, matching allocates nothing.
    private static let memoAfterSteps = 4096
    /// Largest memo, in bits (4 MiB): beyond it matching continues without one.
    private static let maxMemoBits = 32 << 20

    /// Whether the pattern matches anywhere in `text`.
    func matches(_ text: String) -> Bool {
        FormatCheck.withBytes(text) { matches(bytes: $0) }
    }

    /// Whether the pattern matches anywhere in `bytes` (valid UTF-8).
    func matches(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if isLinear { return matchesLinear(bytes: bytes) }
        let n = bytes.count
        var stack: [Int] = []
        var memo: [UInt64] = []
        var memoOn = false
        var steps = 0
        let width = n + 1
        return program.withUnsafeBufferPointer { prog -> Bool in
          asciiBitmaps.withUnsafeBufferPointer { bitmaps -> Bool in
            var start = 0
            while start <= n {
                if start > 0 && start < n && bytes[start] & 0xC0 == 0x80 { start += 1; continue }
                if let fb = firstByte, start < n, bytes[start] != fb {
                    start += 1; continue
                } else if firstByte != nil && start == n {
                    return false
                }
                stack.append(start)  // pc 0
                while let packed = stack.popLast() {
                    var pc = packed >> 32
                    var pos = packed & 0xFFFF_FFFF
                    thread: while true {
                        if memoOn {
                            let bit = pc &* width &+ pos
                            let word = bit >> 6, mask = UInt64(1) << UInt64(bit & 63)
                            if memo[word] & mask != 0 { break thread }
                            memo[word] |= mask
                        } else {
                            steps &+= 1
                            if steps > ByteRegex.memoAfterSteps {
                                let bits = prog.count &* width
                                if bits <= ByteRegex.maxMemoBits {
                                    memo = [UInt64](repeating: 0, count: bits / 64 + 1)
                                    memoOn = true
                                } else {
                                    steps = Int.min  // too big to memoise: keep going without.
                                }
                            }
                        }
                        let inst = prog[pc]
                        switch inst.op {
                        case .byte:
                            guard pos < n, bytes[pos] == UInt8(truncatingIfNeeded: inst.a) else { break thread }
                            pos += 1; pc += 1
                        case .asciiSet:
                            guard pos < n else { break thread }
                            let byte = bytes[pos]
                            guard byte < 128 else { break thread }
                            let word = bitmaps[Int(inst.a) &* 2 &+ Int(byte >> 6)]
                            guard (word >> UInt64(byte & 63)) & 1 == 1 else { break thread }
                            pos += 1; pc += 1
                        case .set:
                            guard pos < n else { break thread }
                            let (scalar, length) = ByteRegex.decode(bytes, at: pos)
                            guard classes[Int(inst.a)].contains(scalar: scalar) else { break thread }
                            pos += length; pc += 1
                        case .any:
                            guard pos < n else { break thread }
                            let (scalar, length) = ByteRegex.decode(bytes, at: pos)
                            guard !ByteRegex.isLineTerminator(scalar) else { break thread }
                            pos += length; pc += 1
                        case .begin:
                            guard pos == 0 else { break thread }
                            pc += 1
                        case .end:
                            guard pos == n || (!dollarEndOnly && ByteRegex.isFinalLineTerminator(bytes, at: pos)) else {
                                break thread
                            }
                            pc += 1
                        case .split:
                            stack.append(Int(inst.b) << 32 | pos)
                            pc = Int(inst.a)
                        case .jump:
                            pc = Int(inst.a)
                        case .match:
                            return true
                        }
                    }
                }
                if anchoredAtStart { return false }
                start += 1
            }
            return false
          }
        }
    }

    /// The common validation shape (`^SKU-[0-9]{8}$`): a straight line of instructions.
    private func matchesLinear(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = bytes.count
        return program.withUnsafeBufferPointer { prog -> Bool in
            asciiBitmaps.withUnsafeBufferPointer { bitmaps -> Bool in
                var start = 0
                while start <= n {
                    if start > 0 && start < n && bytes[start] & 0xC0 == 0x80 { start += 1; continue }
                    var pos = start
                    var pc = 0
                    attempt: while true {
                        let inst = prog[pc]
                        switch inst.op {
                        case .byte:
                            guard pos < n, bytes[pos] == UInt8(truncatingIfNeeded: inst.a) else { break attempt }
                            pos += 1
                        case .asciiSet:
                            guard pos < n else { break attempt }
                            let byte = bytes[pos]
                            guard byte < 128 else { break attempt }
                            let word = bitmaps[Int(inst.a) &* 2 &+ Int(byte >> 6)]
                            guard (word >> UInt64(byte & 63)) & 1 == 1 else { break attempt }
                            pos += 1
                        case .set:
                            guard pos < n else { break attempt }
                            let (scalar, length) = ByteRegex.decode(bytes, at: pos)
                            guard classes[Int(inst.a)].contains(scalar: scalar) else { break attempt }
                            pos += length
                        case .any:
                            guard pos < n else { break attempt }
                            let (scalar, length) = ByteRegex.decode(bytes, at: pos)
                            guard !ByteRegex.isLineTerminator(scalar) else { break attempt }
                            pos += length
                        case .begin:
                            guard pos == 0 else { break attempt }
                        case .end:
                            guard pos == n || (!dollarEndOnly && ByteRegex.isFinalLineTerminator(bytes, at: pos)) else {
                                break attempt
                            }
                        case .match:
                            return true
                        case .split, .jump:
                            break attempt  // not in a linear program
                        }
                        pc += 1
                    }
                    if anchoredAtStart { return false }
                    start += 1
                }
                return false
            }
        }
    }

    /// Decodes the scalar at `i` (valid UTF-8 assumed; a stray byte counts as itself).
    @inline(__always)
    static func decode(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt32, Int) {
        let b0 = UInt32(b[i])
        if b0 < 0x80 { return (b0, 1) }
        let n = b.count
        if b0 & 0xE0 == 0xC0, i + 1 < n { return ((b0 & 0x1F) << 6 | UInt32(b[i + 1] & 0x3F), 2) }
        if b0 & 0xF0 == 0xE0, i + 2 < n {
            return ((b0 & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F), 3)
        }
        if b0 & 0xF8 == 0xF0, i + 3 < n {
            let v = (b0 & 0x07) << 18 | UInt32(b[i + 1] & 0x3F) << 12 | UInt32(b[i + 2] & 0x3F) << 6 | UInt32(b[i + 3] & 0x3F)
            return (v, 4)
        }
        return (b0, 1)
    }

    /// ICU line terminators: what `.` does not match and what `$` may precede.
    @inline(__always)
    static func isLineTerminator(_ s: UInt32) -> Bool {
        (s >= 0x0A && s <= 0x0D) || s == 0x85 || s == 0x2028 || s == 0x2029
    }

    /// ICU `$` without multiline: before one line terminator (or `\r\n`) that ends the input.
    static func isFinalLineTerminator(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        let rest = b.count - i
        if rest == 2 { return b[i] == 0x0D && b[i + 1] == 0x0A }
        guard rest >= 1 else { return false }
        let (scalar, length) = decode(b, at: i)
        return length == rest && isLineTerminator(scalar)
    }
}
