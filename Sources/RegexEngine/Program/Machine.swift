/// A finished `Program` laid out for the matchers: instructions, bitmaps and loop slots in
/// buffers of its own, so the hot loops read plain memory with no reference counting.
/// Immutable after `init`, hence safe to share between threads.
final class Machine: @unchecked Sendable {
    let code: UnsafeMutableBufferPointer<Program.Instruction>
    /// Two words per class: its ASCII members.
    let bitmaps: UnsafeMutableBufferPointer<UInt64>
    /// See `Program.loopOf`, `loopSlot` and `loopParent`.
    let loopOf: UnsafeMutableBufferPointer<Int32>
    let loopSlot: UnsafeMutableBufferPointer<Int32>
    let loopParent: UnsafeMutableBufferPointer<Int32>
    /// States the capture VM tells apart per instruction: how many of the checked loops around
    /// it began their iteration at the current position (0…depth, the depth capped).
    let statesPerInstruction: Int
    /// Nesting beyond this many checked loops is not told apart (patterns that deep do not
    /// occur in practice; matching stays linear, only groups inside may then differ from ICU).
    static let maxLoopDepth = 16
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
        loopOf = .allocate(capacity: max(1, p.loopOf.count))
        _ = loopOf.initialize(from: p.loopOf)
        loopSlot = .allocate(capacity: max(1, p.loopSlot.count))
        _ = loopSlot.initialize(from: p.loopSlot)
        loopParent = .allocate(capacity: max(1, p.loopParent.count))
        _ = loopParent.initialize(from: p.loopParent)
        statesPerInstruction = min(p.loopDepth, Machine.maxLoopDepth) + 1
        reachesBeyondASCII = p.classReachesBeyondASCII
        classes = p.classes
        slotCount = p.slotCount
        anchoredAtStart = p.anchoredAtStart
        firstBytes = p.firstBytes
        isStraightLine = p.isStraightLine
    }

    deinit {
        code.deallocate(); bitmaps.deallocate(); loopOf.deallocate(); loopSlot.deallocate(); loopParent.deallocate()
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
