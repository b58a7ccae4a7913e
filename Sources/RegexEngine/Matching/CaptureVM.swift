/// Every match with its groups, for `regex_replace`, in one pass over the input.
///
/// A Pike VM with capture slots gives each search its leftmost-first (PCRE/ICU) match. Finding
/// the matches one search after another can cost quadratic time, though: a search may have to
/// run far past its match to rule out a preferred alternative (`a.*b|a` on `aaaa…`), and the next
/// search would cover that stretch again. So searches overlap instead: the next search starts
/// (tentatively) as soon as the current one has a match, and all their threads share one list,
/// older searches first, at most one thread per instruction. A younger thread that meets an
/// instruction an older one holds is dropped: if that state can still reach a match, the older
/// search ends there or later and the younger search is restarted anyway; if it cannot, neither
/// thread would have matched. When an older search improves its match, younger ones restart
/// from its new end. Each position is therefore handled once per instruction: the work is at
/// most (instructions × slots × scalars).
///
/// Iteration follows ICU: after an empty match the next search starts one scalar later; after a
/// non-empty match it starts at its end and may match empty there.
extension Machine {
    /// Calls `body` with the slots (byte offsets, -1 when unset; slot 0 and 1 are the whole
    /// match) of each match in order, until it returns false: the search then stops there.
    func forEachMatch(_ input: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<Int>) -> Bool) {
        // Scratch in one block (on the stack when small), for k = instructions × states: two
        // thread lists of k entries (instruction, generation, slots each), k marks, 2k + 2
        // closure frames of two words, one slot set.
        let k = code.count * statesPerInstruction, s = slotCount
        let list = k * (2 + s)
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * list + k + 2 * (2 * k + 2) + s) { block in
            let base = block.baseAddress!
            var vm = CaptureVM(machine: self, input: input,
                               lists: (ThreadList(base, size: k, slotCount: s), ThreadList(base + list, size: k, slotCount: s)),
                               marks: base + 2 * list, frames: base + 2 * list + k, scratch: base + 2 * list + k + 2 * (2 * k + 2))
            vm.run(body)
        }
    }
}

/// Threads at one position: instruction, search generation and slots, in priority order.
private struct ThreadList {
    let pcs: UnsafeMutablePointer<Int>
    let gens: UnsafeMutablePointer<Int>
    let slots: UnsafeMutablePointer<Int>
    var count = 0

    /// Carves a list of `size` threads out of `base` (`size × (2 + slotCount)` words).
    init(_ base: UnsafeMutablePointer<Int>, size: Int, slotCount: Int) {
        pcs = base
        gens = base + size
        slots = base + 2 * size
    }
}

/// The searches under way, by generation: where each starts and the best match it has so far.
private struct Searches {
    let slotCount: Int
    /// Generation of `starts[0]`.
    var base = 0
    var starts: [Int] = []
    var matched: [Bool] = []
    var slots: [Int] = []

    var youngest: Int { base + starts.count - 1 }

    mutating func begin(at start: Int) {
        starts.append(start); matched.append(false)
        for _ in 0..<slotCount { slots.append(-1) }
    }

    func start(of gen: Int) -> Int { starts[gen - base] }
    func hasMatch(_ gen: Int) -> Bool { gen <= youngest && matched[gen - base] }

    mutating func record(_ gen: Int, _ from: UnsafeMutablePointer<Int>) {
        let k = gen - base
        matched[k] = true
        for s in 0..<slotCount { slots[k * slotCount + s] = from[s] }
    }

    /// Forgets generations younger than `gen`.
    mutating func discard(after gen: Int) {
        let keep = gen - base + 1
        guard keep < starts.count else { return }
        starts.removeSubrange(keep...); matched.removeSubrange(keep...)
        slots.removeSubrange((keep * slotCount)...)
    }

    /// Drops generations before `gen` once they are many, so memory follows the searches alive.
    mutating func compact(before gen: Int) {
        let drop = gen - base
        guard drop >= 1024, drop * 2 >= starts.count else { return }
        starts.removeFirst(drop); matched.removeFirst(drop); slots.removeFirst(drop * slotCount)
        base = gen
    }
}

private struct CaptureVM {
    let machine: Machine
    let code: UnsafeMutablePointer<Program.Instruction>
    let loopOf: UnsafeMutablePointer<Int32>
    let loopSlot: UnsafeMutablePointer<Int32>
    let loopParent: UnsafeMutablePointer<Int32>
    let states: Int
    let input: UnsafeBufferPointer<UInt8>
    let slotCount: Int
    var current: ThreadList
    var next: ThreadList
    let marks: UnsafeMutablePointer<Int>
    /// Closure frames: `(pc, 0)` to explore, `(-1 - slot, value)` to restore a slot.
    let frames: UnsafeMutablePointer<Int>
    let scratch: UnsafeMutablePointer<Int>
    var stamp = 0
    var searches: Searches
    /// Oldest generation not yet reported.
    var head = 0
    /// False once an empty match at the end leaves no room for another search.
    var searching = true

    init(machine: Machine, input: UnsafeBufferPointer<UInt8>, lists: (ThreadList, ThreadList),
         marks: UnsafeMutablePointer<Int>, frames: UnsafeMutablePointer<Int>, scratch: UnsafeMutablePointer<Int>) {
        self.machine = machine
        self.code = machine.code.baseAddress!
        self.loopOf = machine.loopOf.baseAddress!
        self.loopSlot = machine.loopSlot.baseAddress!
        self.loopParent = machine.loopParent.baseAddress!
        self.states = machine.statesPerInstruction
        self.input = input
        slotCount = machine.slotCount
        (current, next) = lists
        self.marks = marks
        marks.initialize(repeating: -1, count: machine.code.count * machine.statesPerInstruction)
        self.frames = frames
        self.scratch = scratch
        searches = Searches(slotCount: slotCount)
    }

    mutating func newStamp() -> Int { stamp &+= 1; return stamp }

    mutating func run(_ body: (UnsafeBufferPointer<Int>) -> Bool) {
        let n = input.count
        var pos = 0
        searches.begin(at: 0)
        var currentStamp = newStamp()
        seed(at: 0, stamp: currentStamp)
        while true {
            let (c, length) = pos < n ? Input.decode(input, at: pos) : (0, 0)
            let nextStamp = newStamp()
            next.count = 0
            step(at: pos, scalar: c, length: length, nextStamp: nextStamp, currentStamp: &currentStamp)
            guard report(body) else { return }
            if pos >= n { break }
            swap(&current, &next)
            currentStamp = nextStamp
            pos &+= length
            if current.count == 0 {
                // Nothing alive: every match so far is reported; jump to where the next one can start.
                guard searching, !machine.anchoredAtStart else { break }
                let from = max(pos, searches.start(of: searches.youngest))
                guard let candidate = machine.nextCandidate(input, from: from) else { break }
                pos = candidate
                currentStamp = newStamp()
            }
            seed(at: pos, stamp: currentStamp)
        }
        next.count = 0  // no thread is left: every recorded match is final
        _ = report(body)
    }

    /// Starts a thread of the youngest search at `pos` when it is still looking for a match.
    mutating func seed(at pos: Int, stamp: Int) {
        let gen = searches.youngest
        guard searching, !searches.hasMatch(gen), pos >= searches.start(of: gen),
              !machine.anchoredAtStart || pos == 0 else { return }
        for s in 0..<slotCount { scratch[s] = -1 }
        current.count = addClosure(0, gen: gen, at: pos, stamp: stamp, into: current)
    }

    /// Advances every thread of `current` over the scalar at `pos`; records matches on the way.
    mutating func step(at pos: Int, scalar c: UInt32, length: Int, nextStamp: Int, currentStamp: inout Int) {
        let n = input.count
        var i = 0
        while i < current.count {
            let pc = current.pcs[i]
            let gen = current.gens[i]
            let threadSlots = current.slots + i * slotCount
            let inst = code[pc]
            if inst.op == .match {
                searches.record(gen, threadSlots)
                searches.discard(after: gen)
                let start = threadSlots[0]
                // The next search: at the end of a non-empty match, one scalar later after an empty one.
                let following: Int? = pos > start ? pos : (pos < n ? pos + length : nil)
                if let following { searches.begin(at: following) } else { searching = false }
                // Lower-priority threads of this search and all younger ones are cut.
                current.count = i
                if following == pos {
                    currentStamp = newStamp()
                    for j in 0..<i {
                        marks[key(current.pcs[j], current.slots + j * slotCount, pos)] = currentStamp
                    }
                    seed(at: pos, stamp: currentStamp)
                }
                continue
            }
            if pos < n, machine.accepts(inst, c) {
                for s in 0..<slotCount { scratch[s] = threadSlots[s] }
                next.count = addClosure(pc + 1, gen: gen, at: pos + length, stamp: nextStamp, into: next)
            }
            i += 1
        }
    }

    /// Reports, in order, the searches whose match can no longer change (no thread left);
    /// false when `body` asked to stop.
    mutating func report(_ body: (UnsafeBufferPointer<Int>) -> Bool) -> Bool {
        while searches.hasMatch(head), next.count == 0 || next.gens[0] > head {
            let k = head - searches.base
            let goOn = searches.slots.withUnsafeBufferPointer { all in
                body(UnsafeBufferPointer(rebasing: all[(k * slotCount)..<((k + 1) * slotCount)]))
            }
            head += 1
            guard goOn else { return false }
        }
        searches.compact(before: head)
        return true
    }

    /// The dedup key of a thread at `pc` with `slots` at `pos`: its instruction and how many of
    /// the checked loops around it began their iteration at `pos`. Iterations nest, so those are
    /// always the innermost ones: the count says exactly which.
    @inline(__always)
    func key(_ pc: Int, _ slots: UnsafeMutablePointer<Int>, _ pos: Int) -> Int {
        var count = 0
        var loop = Int(loopOf[pc])
        while loop >= 0, count < states - 1, slots[Int(loopSlot[loop])] == pos {
            count += 1
            loop = Int(loopParent[loop])
        }
        return pc * states + count
    }

    /// Adds, in priority order, the threads reachable from `start` without consuming input,
    /// starting from the slots in `scratch`; returns the list's new count.
    func addClosure(_ start: Int, gen: Int, at pos: Int, stamp: Int, into list: ThreadList) -> Int {
        var count = list.count
        var depth = 1
        frames[0] = start; frames[1] = 0
        while depth > 0 {
            depth -= 1
            let tag = frames[2 * depth]
            if tag < 0 {
                scratch[-1 - tag] = frames[2 * depth + 1]
                continue
            }
            var pc = tag
            explore: while marks[key(pc, scratch, pos)] != stamp {
                marks[key(pc, scratch, pos)] = stamp
                let inst = code[pc]
                switch inst.op {
                case .jump:
                    pc = Int(inst.a)
                case .split:
                    frames[2 * depth] = Int(inst.b); frames[2 * depth + 1] = 0
                    depth += 1
                    pc = Int(inst.a)
                case .save:
                    let slot = Int(inst.a)
                    frames[2 * depth] = -1 - slot; frames[2 * depth + 1] = scratch[slot]
                    depth += 1
                    scratch[slot] = pos
                    pc += 1
                case .assert:
                    guard Input.holds(inst.a, input, at: pos) else { break explore }
                    pc += 1
                case .progress:
                    pc = scratch[Int(inst.a)] == pos ? Int(inst.b) : pc + 1
                case .crlfTail where !Input.isCRLFMiddle(input, pos):
                    pc += 1
                default:
                    list.pcs[count] = pc
                    list.gens[count] = gen
                    for s in 0..<slotCount { list.slots[count * slotCount + s] = scratch[s] }
                    count += 1
                    break explore
                }
            }
        }
        return count
    }
}
