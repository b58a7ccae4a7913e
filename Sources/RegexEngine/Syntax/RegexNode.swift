/// The parsed shape of a pattern, before it becomes a program. Flags are already applied:
/// a case-insensitive literal is a folded `set`, `$` under `m` is `endOfLine`, and so on.
indirect enum RegexNode: Sendable, Equatable {
    case empty
    /// One literal scalar, matched exactly.
    case scalar(UInt32)
    case set(CharSet)
    /// `.`: any scalar but a line terminator, or any scalar at all under `s`.
    case any(dotAll: Bool)
    case assertion(Assertion)
    /// A group; `index` is its capture number (1-based), nil for `(?:…)` and flag groups.
    case group(RegexNode, index: Int?)
    case concat([RegexNode])
    case alternation([RegexNode])
    /// `max` nil means unbounded; `greedy` false for the lazy forms (`*?`, `{2,5}?`).
    case repetition(RegexNode, min: Int, max: Int?, greedy: Bool)

    /// Whether the node can match without consuming input.
    var isNullable: Bool {
        switch self {
        case .empty, .assertion: return true
        case .scalar, .set, .any: return false
        case .group(let body, _): return body.isNullable
        case .concat(let items): return items.allSatisfy(\.isNullable)
        case .alternation(let branches): return branches.contains(where: \.isNullable)
        case .repetition(let body, let min, _, _): return min == 0 || body.isNullable
        }
    }

    /// Zero-width conditions on the position.
    enum Assertion: Int32, Sendable {
        /// `\A`, and `^` without `m`.
        case startOfText
        /// `\z`.
        case endOfText
        /// `\Z`, and `$` without `m`: at the end, or before a line terminator that ends the text.
        case endOfTextOrFinalTerminator
        /// `^` under `m`: at the start, or after a line terminator that does not end the text.
        case startOfLine
        /// `$` under `m`: at the end, or before a line terminator.
        case endOfLine
        /// `\b`.
        case wordBoundary
        /// `\B`.
        case notWordBoundary
    }
}
