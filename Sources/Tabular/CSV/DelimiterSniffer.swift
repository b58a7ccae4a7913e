/// Guesses the field delimiter of delimited text from its first lines.
///
/// For each candidate (`,` TAB `;` `|`) it counts occurrences outside quotes on every line and
/// prefers the candidate that appears the same, non-zero number of times on the most lines
/// (a table has a constant column count); ties go to the earlier candidate, and comma wins
/// when nothing is conclusive.
enum DelimiterSniffer {
    /// Candidates in order of preference.
    static let candidates: [UInt8] = [UInt8(ascii: ","), 0x09, UInt8(ascii: ";"), UInt8(ascii: "|")]

    /// Most lines looked at, in lines.
    static let maxLines = 50

    /// Sniffs from a prefix of the (UTF-8) text. `complete` says whether the prefix is the whole
    /// file; if not, its last line may be cut and is ignored.
    static func sniff(_ bytes: UnsafeBufferPointer<UInt8>, quote: UInt8, complete: Bool) -> UInt8 {
        var lines: [[Int]] = []
        var counts = [Int](repeating: 0, count: candidates.count)
        var inQuotes = false
        var lineHasContent = false
        var finishedLines = 0
        for b in bytes {
            if b == quote {
                inQuotes.toggle()
                lineHasContent = true
                continue
            }
            if inQuotes { continue }
            if b == 0x0A || b == 0x0D {
                if lineHasContent {
                    lines.append(counts)
                    finishedLines += 1
                    if finishedLines >= maxLines { break }
                }
                counts = [Int](repeating: 0, count: candidates.count)
                lineHasContent = false
                continue
            }
            lineHasContent = true
            if let k = candidates.firstIndex(of: b) { counts[k] += 1 }
        }
        if lineHasContent && complete && finishedLines < maxLines { lines.append(counts) }
        guard !lines.isEmpty else { return candidates[0] }

        var best = candidates[0]
        var bestScore = (0, 0)
        for (k, candidate) in candidates.enumerated() {
            var frequency: [Int: Int] = [:]
            for line in lines where line[k] > 0 { frequency[line[k], default: 0] += 1 }
            // The most common non-zero count, preferring the higher count on ties.
            guard let mode = frequency.max(by: { ($0.value, $0.key) < ($1.value, $1.key) }) else { continue }
            let score = (mode.value, mode.key)
            if score > bestScore {
                bestScore = score
                best = candidate
            }
        }
        return best
    }
}
