/// "Did you mean …?" for misspelt keys, rule names, transform names and enum values.
package enum Suggestion {
    /// The closest candidate to `input`: the smallest Damerau–Levenshtein (optimal string
    /// alignment) distance up to 2, compared case-insensitively and never larger than the input
    /// itself, or else a candidate that `input` is a prefix of (or the other way round, for
    /// inputs of three characters or more). Nil when nothing is close.
    package static func closest(to input: String, in candidates: [String]) -> String? {
        let needle = Array(input.lowercased())
        guard !needle.isEmpty else { return nil }
        var best: (String, Int)?
        for candidate in candidates {
            let distance = Self.distance(needle, Array(candidate.lowercased()))
            guard distance <= 2 && distance < needle.count else { continue }
            if let current = best, current.1 <= distance { continue }
            best = (candidate, distance)
        }
        if let best { return best.0 }
        let lowered = input.lowercased()
        if let prefixed = candidates.first(where: { $0.lowercased().hasPrefix(lowered) }) { return prefixed }
        if needle.count >= 3,
           let longest = candidates.filter({ lowered.hasPrefix($0.lowercased()) }).max(by: { $0.count < $1.count }) {
            return longest
        }
        return nil
    }

    /// The nearest candidate for a name people type with more freedom, such as a file header
    /// (`Order No` → `Order Number`): `closest` first, then, comparing the forms `normalize`
    /// makes, the smallest edit distance up to half the longer form when the two share a prefix
    /// of at least three characters. Nil when nothing is near.
    package static func nearest(to input: String, in candidates: [String], normalize: (String) -> String = { $0.lowercased() }) -> String? {
        if let close = closest(to: input, in: candidates) { return close }
        let needle = Array(normalize(input))
        guard needle.count >= 3 else { return nil }
        var best: (String, Int, Int)?
        for candidate in candidates {
            let other = Array(normalize(candidate))
            var prefix = 0
            while prefix < min(needle.count, other.count) && needle[prefix] == other[prefix] { prefix += 1 }
            guard prefix >= 3 else { continue }
            let d = distance(needle, other)
            guard d <= max(needle.count, other.count) / 2 else { continue }
            if let current = best, current.1 < d || (current.1 == d && current.2 >= prefix) { continue }
            best = (candidate, d, prefix)
        }
        return best?.0
    }

    /// " (did you mean 'x'?)", or "" when nothing is close.
    package static func hint(for input: String, in candidates: [String]) -> String {
        guard let match = closest(to: input, in: candidates) else { return "" }
        return " (did you mean '\(match)'?)"
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps.
    package static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }
}
