/// "Is there a match anywhere?" — the question `regex:` and `not_regex:` ask of every cell.
///
/// A Pike VM (Thompson's NFA simulation): all threads advance together one scalar at a time and
/// at most one thread sits on each instruction, so the work is at most (instructions × scalars)
/// whatever the pattern or the input — no backtracking, no blow-up. Straight-line programs
/// (`^SKU-[0-9]{8}$`) take a simpler pass per start position, which is bounded the same way.
/// Scratch space comes from the stack (the heap for large programs); nothing is shared between
/// calls, so one program serves many threads.
extension Program {
    func isMatch(_ input: UnsafeBufferPointer<UInt8>) -> Bool {
        isStraightLine ? straightLineMatch(input) : pikeMatch(input)
    }

    /// Whether instruction `inst` (a consuming one) accepts scalar `c`.
    @inline(__always)
    func accepts(_ inst: Instruction, _ c: UInt32, _ bitmaps: UnsafeBufferPointer<UInt64>) -> Bool {
        switch inst.op {
        case .char: return c == UInt32(bitPattern: inst.a)
        case .asciiSet:
            return c < 128 && (bitmaps[Int(inst.a) &* 2 &+ Int(c >> 6)] >> UInt64(c & 63)) & 1 == 1
        case .set: return classContains(Int(inst.a), c, bitmaps)
        case .any: return !Input.isLineTerminator(c)
        case .anyAll: return true
        case .crlfTail: return c == 0x0A
        case .assert, .save, .split, .jump, .progress, .match: return false
        }
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

    private func straightLineMatch(_ input: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = input.count
        return instructions.withUnsafeBufferPointer { prog in
            asciiBitmaps.withUnsafeBufferPointer { bitmaps in
                var start = 0
                while start <= n {
                    guard let candidate = nextCandidate(input, from: start) else { return false }
                    start = candidate
                    var pos = start
                    var pc = 0
                    attempt: while true {
                        let inst = prog[pc]
                        switch inst.op {
                        case .match: return true
                        case .save: break
                        case .crlfTail: if Input.isCRLFMiddle(input, pos) { pos &+= 1 }
                        case .assert:
                            guard Input.holds(inst.a, input, at: pos) else { break attempt }
                        default:
                            guard pos < n else { break attempt }
                            let b0 = input[pos]
                            let (c, length) = b0 < 0x80 ? (UInt32(b0), 1) : Input.decode(input, at: pos)
                            guard accepts(inst, c, bitmaps) else { break attempt }
                            pos &+= length
                        }
                        pc &+= 1
                    }
                    if anchoredAtStart || start == n { return false }
                    start &+= Input.length(input, at: start)
                }
                return false
            }
        }
    }

    private func pikeMatch(_ input: UnsafeBufferPointer<UInt8>) -> Bool {
        let m = instructions.count
        return withUnsafeTemporaryAllocation(of: Int32.self, capacity: 3 * m) { lists in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: m) { marks in
                marks.initialize(repeating: -1)
                return instructions.withUnsafeBufferPointer { prog in
                    asciiBitmaps.withUnsafeBufferPointer { bitmaps in
                        var vm = MatchVM(program: self, prog: prog, bitmaps: bitmaps, input: input,
                                         lists: lists.baseAddress!, marks: marks.baseAddress!, size: m)
                        return vm.run()
                    }
                }
            }
        }
    }
}

/// The state of one `pikeMatch` call: two thread lists and a stack, all of `size` entries.
private struct MatchVM {
    let program: Program
    let prog: UnsafeBufferPointer<Program.Instruction>
    let bitmaps: UnsafeBufferPointer<UInt64>
    let input: UnsafeBufferPointer<UInt8>
    var current: UnsafeMutablePointer<Int32>
    var next: UnsafeMutablePointer<Int32>
    let stack: UnsafeMutablePointer<Int32>
    /// Per instruction, the stamp of the list it was last added to (one stamp per position).
    let marks: UnsafeMutablePointer<Int>

    init(program: Program, prog: UnsafeBufferPointer<Program.Instruction>, bitmaps: UnsafeBufferPointer<UInt64>,
         input: UnsafeBufferPointer<UInt8>, lists: UnsafeMutablePointer<Int32>, marks: UnsafeMutablePointer<Int>, size: Int) {
        self.program = program; self.prog = prog; self.bitmaps = bitmaps; self.input = input
        self.current = lists; self.next = lists + size; self.stack = lists + 2 * size; self.marks = marks
    }

    mutating func run() -> Bool {
        let n = input.count
        var count = 0
        var pos = 0
        var stamp = 0
        if addClosure(0, at: 0, stamp: stamp, into: current, &count) { return true }
        while pos < n {
            if count == 0 {
                // Nothing alive: jump to the next byte a match can start with.
                if program.anchoredAtStart { return false }
                guard let candidate = program.nextCandidate(input, from: pos + Input.length(input, at: pos)) else { return false }
                pos = candidate
                stamp &+= 1
                if addClosure(0, at: pos, stamp: stamp, into: current, &count) { return true }
                if count == 0 { continue }
            }
            let b0 = input[pos]
            let (c, length) = b0 < 0x80 ? (UInt32(b0), 1) : Input.decode(input, at: pos)
            let after = pos &+ length
            stamp &+= 1
            var nextCount = 0
            for i in 0..<count {
                let pc = Int(current[i])
                if program.accepts(prog[pc], c, bitmaps), addClosure(Int32(pc + 1), at: after, stamp: stamp, into: next, &nextCount) {
                    return true
                }
            }
            swap(&current, &next)
            count = nextCount
            pos = after
            if !program.anchoredAtStart, addClosure(0, at: pos, stamp: stamp, into: current, &count) { return true }
        }
        return false
    }

    /// Adds the threads reachable from `start` without consuming input; true when one reaches `match`.
    @inline(__always)
    mutating func addClosure(_ start: Int32, at pos: Int, stamp: Int, into list: UnsafeMutablePointer<Int32>, _ count: inout Int) -> Bool {
        if marks[Int(start)] == stamp { return false }
        marks[Int(start)] = stamp
        var depth = 1
        stack[0] = start
        while depth > 0 {
            depth &-= 1
            var pc = Int(stack[depth])
            while true {
                let inst = prog[pc]
                var following: Int
                switch inst.op {
                case .match: return true
                case .jump: following = Int(inst.a)
                case .split:
                    let other = Int(inst.b)
                    if marks[other] != stamp {
                        marks[other] = stamp
                        stack[depth] = inst.b
                        depth &+= 1
                    }
                    following = Int(inst.a)
                case .save, .progress: following = pc &+ 1  // `progress` only appears with captures
                case .assert:
                    following = Input.holds(inst.a, input, at: pos) ? pc &+ 1 : -1
                case .crlfTail where !Input.isCRLFMiddle(input, pos):
                    following = pc &+ 1
                default:
                    list[count] = Int32(pc)
                    count &+= 1
                    following = -1
                }
                guard following >= 0, marks[following] != stamp else { break }
                marks[following] = stamp
                pc = following
            }
        }
        return false
    }
}
