/// "Is there a match anywhere?" — the question `regex:` and `not_regex:` ask of every cell.
///
/// A Pike VM (Thompson's NFA simulation): all threads advance together one scalar at a time and
/// at most one thread sits on each instruction, so the work is at most (instructions × scalars)
/// whatever the pattern or the input — no backtracking, no blow-up. Straight-line programs
/// (`^SKU-[0-9]{8}$`) take a simpler pass per start position, which is bounded the same way.
/// Scratch space comes from the stack (the heap for large programs); nothing is shared between
/// calls, so one machine serves many threads.
extension Machine {
    func isMatch(_ input: UnsafeBufferPointer<UInt8>) -> Bool {
        isStraightLine ? straightLineMatch(input) : pikeMatch(input)
    }

    private func straightLineMatch(_ input: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = input.count
        let code = UnsafeBufferPointer(self.code)
        let bitmaps = UnsafeBufferPointer(self.bitmaps)
        var start = 0
        while start <= n {
            guard let candidate = nextCandidate(input, from: start) else { return false }
            start = candidate
            var pos = start
            var pc = 0
            attempt: while true {
                let inst = code[pc]
                switch inst.op {
                case .match: return true
                case .save: break
                case .char where inst.a < 0x80:
                    guard pos < n, input[pos] == UInt8(truncatingIfNeeded: inst.a) else { break attempt }
                    pos &+= 1
                case .asciiSet:
                    guard pos < n else { break attempt }
                    let byte = input[pos]
                    guard byte < 0x80, (bitmaps[Int(inst.a) &* 2 &+ Int(byte >> 6)] >> UInt64(byte & 63)) & 1 == 1 else {
                        break attempt
                    }
                    pos &+= 1
                case .crlfTail: if Input.isCRLFMiddle(input, pos) { pos &+= 1 }
                case .assert:
                    guard Input.holds(inst.a, input, at: pos) else { break attempt }
                default:
                    guard pos < n else { break attempt }
                    let b0 = input[pos]
                    let (c, length) = b0 < 0x80 ? (UInt32(b0), 1) : Input.decode(input, at: pos)
                    guard accepts(inst, c) else { break attempt }
                    pos &+= length
                }
                pc &+= 1
            }
            if anchoredAtStart || start == n { return false }
            start &+= Input.length(input, at: start)
        }
        return false
    }

    private func pikeMatch(_ input: UnsafeBufferPointer<UInt8>) -> Bool {
        let m = code.count
        // Per instruction: the stamp it was last added with, then two thread lists and a stack.
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 4 * m) { scratch in
            let base = scratch.baseAddress!
            base.initialize(repeating: -1, count: m)
            var vm = MatchVM(machine: self, input: input, marks: base, lists: base + m, size: m)
            return vm.run()
        }
    }
}

/// The state of one `pikeMatch` call.
private struct MatchVM {
    let machine: Machine
    let code: UnsafeMutablePointer<Program.Instruction>
    let input: UnsafeBufferPointer<UInt8>
    var current: UnsafeMutablePointer<Int>
    var next: UnsafeMutablePointer<Int>
    let stack: UnsafeMutablePointer<Int>
    /// Per instruction, the stamp of the list it was last added to (one stamp per position).
    let marks: UnsafeMutablePointer<Int>
    let anchored: Bool

    init(machine: Machine, input: UnsafeBufferPointer<UInt8>, marks: UnsafeMutablePointer<Int>,
         lists: UnsafeMutablePointer<Int>, size: Int) {
        self.machine = machine
        self.code = machine.code.baseAddress!
        self.input = input
        self.marks = marks
        self.current = lists; self.next = lists + size; self.stack = lists + 2 * size
        self.anchored = machine.anchoredAtStart
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
                if anchored { return false }
                guard let candidate = machine.nextCandidate(input, from: pos + Input.length(input, at: pos)) else { return false }
                pos = candidate
                stamp &+= 1
                if addClosure(0, at: pos, stamp: stamp, into: current, &count) { return true }
                if count == 0 || pos == n { continue }  // at the end nothing can be consumed
            }
            let b0 = input[pos]
            let (c, length) = b0 < 0x80 ? (UInt32(b0), 1) : Input.decode(input, at: pos)
            let after = pos &+ length
            stamp &+= 1
            var nextCount = 0
            for i in 0..<count {
                let pc = current[i]
                if machine.accepts(code[pc], c), addClosure(pc &+ 1, at: after, stamp: stamp, into: next, &nextCount) {
                    return true
                }
            }
            swap(&current, &next)
            count = nextCount
            pos = after
            if !anchored, addClosure(0, at: pos, stamp: stamp, into: current, &count) { return true }
        }
        return false
    }

    /// Adds the threads reachable from `start` without consuming input; true when one reaches `match`.
    @inline(__always)
    func addClosure(_ start: Int, at pos: Int, stamp: Int, into list: UnsafeMutablePointer<Int>, _ count: inout Int) -> Bool {
        if marks[start] == stamp { return false }
        marks[start] = stamp
        var depth = 1
        stack[0] = start
        while depth > 0 {
            depth &-= 1
            var pc = stack[depth]
            while true {
                let inst = code[pc]
                var following: Int
                switch inst.op {
                case .match: return true
                case .jump: following = Int(inst.a)
                case .split:
                    let other = Int(inst.b)
                    if marks[other] != stamp {
                        marks[other] = stamp
                        stack[depth] = other
                        depth &+= 1
                    }
                    following = Int(inst.a)
                case .save, .progress: following = pc &+ 1  // `progress` only appears with captures
                case .assert:
                    following = Input.holds(inst.a, input, at: pos) ? pc &+ 1 : -1
                case .crlfTail where !Input.isCRLFMiddle(input, pos):
                    following = pc &+ 1
                default:
                    list[count] = pc
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
