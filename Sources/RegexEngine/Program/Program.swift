/// A compiled pattern: instructions for the Pike VM, one step per input scalar.
///
/// Each instruction either consumes one scalar (`char`, `asciiSet`, `set`, `any`, `anyAll`) or
/// is an epsilon move (`split`, `jump`, `save`, `assert`, `progress`). `split` prefers `a` over
/// `b`, which is what gives leftmost-first (PCRE/ICU) results. `crlfTail` follows `anyAll`: as in
/// ICU, a dot under `s` that took a `\r` also takes the `\n` after it; anywhere else it is a no-op.
/// `progress` ends a loop whose body can match empty once an iteration took no input (ICU's
/// rule), so its groups keep that last, empty iteration; it reads the slot `a` saved at the start
/// of the iteration and leaves to `b`.
struct Program: Sendable {
    enum Op: UInt8, Sendable {
        case char, asciiSet, set, any, anyAll, crlfTail, assert, save, split, jump, progress, match
    }

    struct Instruction: Sendable {
        var op: Op
        var a: Int32 = 0
        var b: Int32 = 0
    }

    var instructions: [Instruction] = []
    var classes: [CharSet] = []
    /// Two words per class: its ASCII members as a bitmap (bit `c` of word `c >> 6`).
    var asciiBitmaps: [UInt64] = []
    /// Per class: whether any scalar above ASCII can belong to it.
    var classReachesBeyondASCII: [Bool] = []
    /// Capture slots (two per group, the whole match included, then one per `progress` check);
    /// zero for a match-only program.
    var slotCount = 0
    /// Per instruction, the innermost loop with a `progress` check around it, or -1. Whether
    /// such loops began their current iteration at the current position changes what a thread
    /// can do, so the capture VM keeps those cases apart (see `CaptureVM`).
    var loopOf: [Int32] = []
    /// Per checked loop: the slot its iterations start in, and the loop around it (or -1).
    var loopSlot: [Int32] = []
    var loopParent: [Int32] = []
    /// Deepest nesting of checked loops.
    var loopDepth = 0
    /// Every match starts at offset 0 (`\A`, or `^` without `m`).
    var anchoredAtStart = false
    /// The bytes a match can start with, when that is not every byte; nil means no filter.
    var firstBytes: ByteSet?
    /// No `split` or `jump`: a match is one straight pass from a start position.
    var isStraightLine = false
}

/// A set of bytes, as four words of bits.
struct ByteSet: Sendable, Equatable {
    var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    mutating func insert(_ b: UInt8) {
        let bit = UInt64(1) << UInt64(b & 63)
        switch b >> 6 {
        case 0: words.0 |= bit
        case 1: words.1 |= bit
        case 2: words.2 |= bit
        default: words.3 |= bit
        }
    }

    @inline(__always)
    func contains(_ b: UInt8) -> Bool {
        let w: UInt64
        switch b >> 6 {
        case 0: w = words.0
        case 1: w = words.1
        case 2: w = words.2
        default: w = words.3
        }
        return (w >> UInt64(b & 63)) & 1 == 1
    }

    var isFull: Bool { words.0 == .max && words.1 == .max && words.2 == .max && words.3 == .max }

    static func == (l: ByteSet, r: ByteSet) -> Bool { l.words == r.words }
}
