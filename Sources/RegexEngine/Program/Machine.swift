/// A finished `Program` laid out for the matchers: instructions, bitmaps and loop slots in
/// buffers of its own, so the hot loops read plain memory with no reference counting.
/// Immutable after `init`, hence safe to share between threads.
final class Machine: @unchecked Sendable {
    let code: UnsafeMutableBufferPointer<Program.Instruction>
    /// Two words per class: its ASCII members.
    let bitmaps: UnsafeMutableBufferPointer<UInt64>
    let loopSlots: UnsafeMutableBufferPointer<Int32>
    /// Per class: whether a scalar above ASCII can belong to it.
    let reachesBeyondASCII: [Bool]
    let classes: [CharSet]
    let slotCount: Int
    let anchoredAtStart: Bool
    let firstBytes: ByteSet?
    let isStraightLine: Bool

    init(_ p: Program) {
        code = .allocate(capacity: p.instructions.count)
        _ = code.initialize(from: p.instructions)
        bitmaps = .allocate(capacity: max(1, p.asciiBitmaps.count))
        _ = bitmaps.initialize(from: p.asciiBitmaps)
        loopSlots = .allocate(capacity: max(1, p.loopSlots.count))
        _ = loopSlots.initialize(from: p.loopSlots)
        reachesBeyondASCII = p.classReachesBeyondASCII
        classes = p.classes
        slotCount = p.slotCount
        anchoredAtStart = p.anchoredAtStart
        firstBytes = p.firstBytes
        isStraightLine = p.isStraightLine
    }

    deinit {
        code.deallocate(); bitmaps.deallocate(); loopSlots.deallocate()
    }

    /// Whether instruction `inst` (a consuming one) accepts scalar `c`.
    @inline(__always)
    func accepts(_ inst: Program.Instruction, _ c: UInt32) -> Bool {
        switch inst.op {
        case .char: return c == UInt32(bitPattern: inst.a)
        case .asciiSet:
            return c < 128 && (bitmaps[Int(inst.a) &* 2 &+ Int(c >> 6)] >> UInt64(c & 63)) & 1 == 1
        case .set:
            if c < 128 { return (bitmaps[Int(inst.a) &* 2 &+ Int(c >> 6)] >> UInt64(c & 63)) & 1 == 1 }
            return nonASCIIMember(Int(inst.a), c)
        case .any: return !Input.isLineTerminator(c)
        case .anyAll: return true
        case .crlfTail: return c == 0x0A
        case .assert, .save, .split, .jump, .progress, .match: return false
        }
    }

    @inline(never)
    func nonASCIIMember(_ index: Int, _ c: UInt32) -> Bool {
        reachesBeyondASCII[index] && classes[index].contains(c)
    }

    /// The next start position at or after `from` whose byte can begin a match; nil when none.
    @inline(__always)
    func nextCandidate(_ input: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard let fb = firstBytes else { return from }
        var i = from
        let n = input.count
        while i < n {
            if fb.contains(input[i]) { return i }
            i &+= 1
        }
        return nil
    }
}
