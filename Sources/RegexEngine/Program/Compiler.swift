/// Turns a `RegexNode` into a `Program`, expanding counted repetitions, within a size limit.
struct Compiler {
    /// Thrown when the program would exceed `limit` instructions.
    struct TooLarge: Error {}

    private(set) var program = Program()
    private let captures: Bool
    private let limit: Int
    /// The next hidden slot for a `progress` check (after the groups' slots).
    private var nextHiddenSlot: Int
    /// The checked loops being emitted, innermost last.
    private var loops: [Int32] = []
    private var classIndex: [CharSet: Int] = [:]

    /// `captures`: emit `save` instructions (for replacement); a match-only program leaves them out.
    init(captures: Bool, limit: Int, groupCount: Int) {
        self.captures = captures
        self.limit = limit
        self.nextHiddenSlot = 2 * (groupCount + 1)
    }

    /// Compiles `node` (with `groupCount` capturing groups) into a finished program.
    static func compile(_ node: RegexNode, groupCount: Int, captures: Bool, limit: Int) throws(TooLarge) -> Program {
        var c = Compiler(captures: captures, limit: limit, groupCount: groupCount)
        if captures { try c.append(.save, a: 0) }
        try c.emit(node)
        if captures { try c.append(.save, a: 1) }
        try c.append(.match)
        c.program.slotCount = captures ? c.nextHiddenSlot : 0
        ProgramAnalysis.finish(&c.program)
        return c.program
    }

    @discardableResult
    private mutating func append(_ op: Program.Op, a: Int32 = 0, b: Int32 = 0) throws(TooLarge) -> Int {
        guard program.instructions.count < limit else { throw TooLarge() }
        program.instructions.append(Program.Instruction(op: op, a: a, b: b))
        program.loopOf.append(loops.last ?? -1)
        return program.instructions.count - 1
    }

    private var next: Int32 { Int32(program.instructions.count) }

    private mutating func emit(_ node: RegexNode) throws(TooLarge) {
        switch node {
        case .empty: break
        case .scalar(let v): try append(.char, a: Int32(v))
        case .set(let set): try emitSet(set)
        case .any(let dotAll):
            if dotAll {
                try append(.anyAll)
                try append(.crlfTail)
            } else {
                try append(.any)
            }
        case .assertion(let kind): try append(.assert, a: kind.rawValue)
        case .group(let body, let index):
            if captures, let index { try append(.save, a: Int32(2 * index)) }
            try emit(body)
            if captures, let index { try append(.save, a: Int32(2 * index + 1)) }
        case .concat(let items):
            for item in items { try emit(item) }
        case .alternation(let branches):
            try emitAlternation(branches)
        case .repetition(let body, let min, let max, let greedy):
            try emitRepetition(body, min: min, max: max, greedy: greedy)
        }
    }

    private mutating func emitSet(_ set: CharSet) throws(TooLarge) {
        let index: Int
        if let known = classIndex[set] {
            index = known
        } else {
            index = program.classes.count
            classIndex[set] = index
            program.classes.append(set)
            var low: UInt64 = 0, high: UInt64 = 0
            for c in UInt32(0)..<128 where set.contains(c) {
                if c < 64 { low |= 1 << UInt64(c) } else { high |= 1 << UInt64(c - 64) }
            }
            program.asciiBitmaps += [low, high]
            program.classReachesBeyondASCII.append(set.reachesBeyondASCII)
        }
        try append(program.classReachesBeyondASCII[index] ? .set : .asciiSet, a: Int32(index))
    }

    /// `split L1, L2; L1: branch; jump end; L2: …`, preferring earlier branches.
    private mutating func emitAlternation(_ branches: [RegexNode]) throws(TooLarge) {
        var jumps: [Int] = []
        for (i, branch) in branches.enumerated() {
            if i == branches.count - 1 {
                try emit(branch)
                break
            }
            let split = try append(.split)
            program.instructions[split].a = next
            try emit(branch)
            jumps.append(try append(.jump))
            program.instructions[split].b = next
        }
        for j in jumps { program.instructions[j].a = next }
    }

    private mutating func emitRepetition(_ body: RegexNode, min: Int, max: Int?, greedy: Bool) throws(TooLarge) {
        if max == 0 { return }
        // A body that compiles to nothing (`(?:)`) repeats to nothing: stop before looping over counts.
        let before = program.instructions.count
        try emit(body)
        if program.instructions.count == before { return }
        program.instructions.removeSubrange(before...)
        program.loopOf.removeSubrange(before...)
        let required = max == nil && min > 0 ? min - 1 : min
        for _ in 0..<required { try emit(body) }
        guard let max else {
            // With captures, a body that can match empty gets a progress check (see `Program`).
            let loop: Int32? = captures && body.isNullable ? newCheckedLoop() : nil
            if min > 0 {
                // `x+`: L: x; split L, out.
                let start = next
                let progress = try emitIteration(body, loop: loop)
                let split = try append(.split)
                setSplit(split, preferred: start, other: next, greedy: greedy)
                if let progress { program.instructions[progress].b = next }
            } else {
                // `x*`: L: split body, out; body; jump L.
                let split = try append(.split)
                let progress = try emitIteration(body, loop: loop)
                try append(.jump, a: Int32(split))
                setSplit(split, preferred: Int32(split + 1), other: next, greedy: greedy)
                if let progress { program.instructions[progress].b = next }
            }
            return
        }
        // `x{min,max}`: the optional copies nest, each split leaving to the common end.
        var splits: [Int] = []
        for _ in min..<max {
            splits.append(try append(.split))
            try emit(body)
        }
        for s in splits { setSplit(s, preferred: Int32(s + 1), other: next, greedy: greedy) }
    }

    /// Registers a loop with a progress check, inside the loops being emitted; returns its index.
    private mutating func newCheckedLoop() -> Int32 {
        program.loopParent.append(loops.last ?? -1)
        program.loopSlot.append(Int32(nextHiddenSlot))
        nextHiddenSlot += 1
        program.loopDepth = Swift.max(program.loopDepth, loops.count + 1)
        return Int32(program.loopSlot.count - 1)
    }

    /// One iteration of an unbounded loop's body; with a checked `loop`, `save` its start first
    /// and end with `progress` (whose exit the caller sets). Only the body and the check count
    /// as inside the loop: the slot is fresh there, and stale before the `save`.
    private mutating func emitIteration(_ body: RegexNode, loop: Int32?) throws(TooLarge) -> Int? {
        guard let loop else {
            try emit(body)
            return nil
        }
        let slot = program.loopSlot[Int(loop)]
        try append(.save, a: slot)
        loops.append(loop)
        defer { loops.removeLast() }
        try emit(body)
        return try append(.progress, a: slot)
    }

    /// Greedy prefers `preferred` (another iteration); lazy prefers leaving.
    private mutating func setSplit(_ at: Int, preferred: Int32, other: Int32, greedy: Bool) {
        program.instructions[at].a = greedy ? preferred : other
        program.instructions[at].b = greedy ? other : preferred
    }
}
