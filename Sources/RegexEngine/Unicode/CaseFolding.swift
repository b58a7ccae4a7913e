/// Case-insensitive equivalence of scalars (Unicode simple case folding), for the `i` flag.
///
/// Two scalars are equivalent when they fold to the same scalar: `k`, `K` and KELVIN SIGN;
/// `s`, `S` and LONG S; `ß` and `ẞ`. Foldings to several scalars (`ß` → `ss`) are not used, as in
/// simple folding. The table is built once, on first use, from the runtime's case mappings.
enum CaseFolding {
    /// The scalars equivalent to `value`, itself excluded; empty for scalars without case.
    static func others(of value: UInt32) -> [UInt32] {
        if value < 128 {
            let lower = value | 0x20
            guard lower >= 97 && lower <= 122 else { return [] }
            return table.ascii[Int(lower - 97)].filter { $0 != value }
        }
        guard let index = table.orbitIndex[value] else { return [] }
        return table.orbits[index].filter { $0 != value }
    }

    /// Whether some scalar outside ASCII is equivalent to the ASCII `value` (`k`, `s`).
    static func hasNonASCIIEquivalent(_ value: UInt32) -> Bool {
        others(of: value).contains { $0 >= 128 }
    }

    private struct Table: Sendable {
        var orbits: [[UInt32]] = []
        var orbitIndex: [UInt32: Int] = [:]
        /// Orbits of `a`…`z`.
        var ascii: [[UInt32]] = []
    }

    /// Cased scalars all lie below U+20000.
    private static let table: Table = {
        var byFold: [UInt32: [UInt32]] = [:]
        for v in UInt32(0)..<0x20000 {
            guard let s = Unicode.Scalar(v) else { continue }
            let p = s.properties
            guard p.changesWhenCaseMapped || p.changesWhenCaseFolded else { continue }
            byFold[fold(s).value, default: []].append(v)
        }
        var t = Table()
        for (key, members) in byFold {
            var orbit = members
            if !orbit.contains(key) { orbit.append(key) }
            guard orbit.count > 1 else { continue }
            orbit.sort()
            for m in orbit { t.orbitIndex[m] = t.orbits.count }
            t.orbits.append(orbit)
        }
        t.ascii = (UInt32(97)...122).map { v in t.orbitIndex[v].map { t.orbits[$0] } ?? [v, v - 32] }
        return t
    }()

    /// An approximation of the simple case folding of `s` from the mappings the runtime exposes:
    /// the first single-scalar candidate that folding leaves unchanged.
    private static func fold(_ s: Unicode.Scalar) -> Unicode.Scalar {
        let p = s.properties
        guard p.changesWhenCaseFolded else { return s }
        let lower = single(p.lowercaseMapping)
        var candidates: [Unicode.Scalar] = []
        if let lower { candidates.append(lower) }
        if let upper = single(p.uppercaseMapping) {
            if let l = single(upper.properties.lowercaseMapping) { candidates.append(l) }
            candidates.append(upper)
        }
        if let stable = candidates.first(where: { !$0.properties.changesWhenCaseFolded }) { return stable }
        if let lower, lower != s { return lower }
        return s
    }

    private static func single(_ text: String) -> Unicode.Scalar? {
        var it = text.unicodeScalars.makeIterator()
        guard let first = it.next(), it.next() == nil else { return nil }
        return first
    }
}
