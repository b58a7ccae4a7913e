/// A set of scalars as a pattern describes it: `[a-z]`, `\d`, `[\p{L}&&[^a-z]]`, a case-folded
/// literal. Kept as an expression and evaluated per scalar, so Unicode properties need no tables.
struct CharSet: Sendable, Hashable {
    indirect enum Expr: Sendable, Hashable {
        /// Scalar ranges, inclusive.
        case ranges([ClosedRange<UInt32>])
        case property(UnicodeProperty)
        case union([Expr])
        case intersection(Expr, Expr)
        case subtraction(Expr, Expr)
        case not(Expr)
    }

    var expr: Expr
    /// Under the `i` flag a leaf also holds the scalars case-equivalent to its members; negation
    /// applies after that, so `[^a]` with `i` matches neither `a` nor `A` (as in ICU and PCRE).
    var foldCase: Bool

    init(_ expr: Expr, foldCase: Bool = false) { self.expr = expr; self.foldCase = foldCase }

    static func scalar(_ v: UInt32, foldCase: Bool = false) -> CharSet {
        CharSet(.ranges([v...v]), foldCase: foldCase)
    }

    func contains(_ v: UInt32) -> Bool { CharSet.evaluate(expr, v, foldCase) }

    private static func evaluate(_ e: Expr, _ v: UInt32, _ fold: Bool) -> Bool {
        switch e {
        case .ranges, .property:
            if leaf(e, v) { return true }
            return fold && CaseFolding.others(of: v).contains { leaf(e, $0) }
        case .union(let items): return items.contains { evaluate($0, v, fold) }
        case .intersection(let a, let b): return evaluate(a, v, fold) && evaluate(b, v, fold)
        case .subtraction(let a, let b): return evaluate(a, v, fold) && !evaluate(b, v, fold)
        case .not(let inner): return !evaluate(inner, v, fold)
        }
    }

    private static func leaf(_ e: Expr, _ v: UInt32) -> Bool {
        switch e {
        case .ranges(let rs): return rs.contains { $0.contains(v) }
        case .property(let p): return p.contains(v)
        default: return false
        }
    }

    /// False when no scalar above ASCII can belong to the set (then the matcher never decodes for it).
    var reachesBeyondASCII: Bool { CharSet.reaches(expr, foldCase) }

    private static func reaches(_ e: Expr, _ fold: Bool) -> Bool {
        switch e {
        case .ranges(let rs):
            return rs.contains { r in
                r.upperBound >= 128 || (fold && (r.lowerBound...min(r.upperBound, 127)).contains(where: CaseFolding.hasNonASCIIEquivalent))
            }
        case .property(let p): return p.reachesBeyondASCII
        case .union(let items): return items.contains { reaches($0, fold) }
        case .intersection(let a, let b): return reaches(a, fold) && reaches(b, fold)
        case .subtraction(let a, _): return reaches(a, fold)
        case .not: return true
        }
    }

    /// The classes behind the shorthand escapes.
    static let digit = CharSet(.property(.generalCategories([.Nd])))
    static let word = CharSet(.property(.word))
    static let space = CharSet(.property(.whiteSpace))
    static let horizontalSpace = CharSet(.property(.horizontalSpace))
    static let verticalSpace = CharSet(.property(.verticalSpace))
}
