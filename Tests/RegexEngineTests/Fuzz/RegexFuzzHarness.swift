// The fuzz harness for the regex compiler and matcher, shared by the libFuzzer target under
// `Fuzz/` (which compiles this file next to its entry point) and by `FuzzCorpusTests`, which
// replays the committed corpus through it on every `swift test`. Keep this file free of `Testing`.
@testable import RegexEngine

/// One input: an options byte (its low four bits are `i m s x`), the pattern up to the first NUL,
/// then the text. Compiling must not crash and must give the same answer twice; a compiled
/// pattern must agree with itself across `matches`, `matchRanges` and `replacing`.
enum RegexFuzz {
    static func check(_ bytes: [UInt8]) -> [String] {
        guard let first = bytes.first else { return [] }
        let options = RegexOptions(rawValue: first & 0x0F)
        let rest = bytes.dropFirst()
        let split = rest.firstIndex(of: 0) ?? rest.endIndex
        let pattern = String(decoding: rest[rest.startIndex..<split], as: UTF8.self)
        let text = split < rest.endIndex ? String(decoding: rest[(split + 1)...], as: UTF8.self) : ""
        let compiled: LinearRegex
        do {
            compiled = try LinearRegex(pattern, options: options)
        } catch {
            return compilesAgainFailing(pattern, options: options, error: error)
        }
        var found: [String] = []
        if (try? LinearRegex(pattern, options: options)) == nil { found.append("compiled once, refused the second time") }
        found += checkMatches(compiled, text: text)
        found += checkReplacement(compiled, text: text)
        return found
    }

    private static func compilesAgainFailing(_ pattern: String, options: RegexOptions, error: RegexSyntaxError) -> [String] {
        var found: [String] = []
        if error.description.isEmpty { found.append("empty error message") }
        do {
            _ = try LinearRegex(pattern, options: options)
            found.append("refused once (\(error)), compiled the second time")
        } catch {
            if error.description != error.description { found.append("different errors") }
        }
        return found
    }

    /// Whole matches in order, not overlapping, on scalar boundaries; groups inside the text.
    private static func checkMatches(_ regex: LinearRegex, text: String) -> [String] {
        var found: [String] = []
        let utf8 = Array(text.utf8)
        let all = regex.matchRanges(in: text)
        if regex.matches(text) != !all.isEmpty {
            found.append("matches says \(regex.matches(text)), matchRanges found \(all.count)")
        }
        var end = 0
        for match in all {
            guard match.count == regex.groupCount + 1 else { found.append("wrong group count"); break }
            guard let whole = match[0] else { found.append("a match without its whole range"); break }
            if whole.lowerBound < end { found.append("matches overlap or go back: \(whole) after \(end)") }
            end = max(end, whole.upperBound)
            for range in match.compactMap({ $0 }) {
                if range.lowerBound < 0 || range.upperBound > utf8.count {
                    found.append("range \(range) outside \(utf8.count) bytes")
                } else if !onBoundary(utf8, range.lowerBound) || !onBoundary(utf8, range.upperBound) {
                    found.append("range \(range) splits a scalar")
                }
            }
        }
        return found
    }

    /// `$0` puts every match back, so replacing with it gives the text unchanged; a limit below
    /// the text's size gives nil when something matched.
    private static func checkReplacement(_ regex: LinearRegex, text: String) -> [String] {
        var found: [String] = []
        guard let identity = try? ReplacementTemplate("$0", groupCount: regex.groupCount) else {
            return ["template $0 refused"]
        }
        if regex.replacing(in: text, with: identity) != text { found.append("replacing with $0 changed the text") }
        if let empty = try? ReplacementTemplate("", groupCount: regex.groupCount) {
            let removed = regex.replacing(in: text, with: empty)
            if removed.utf8.count > text.utf8.count { found.append("removing matches made the text longer") }
        }
        let limit = text.utf8.count / 2
        if let limited = regex.replacing(in: text, with: identity, limit: limit), limited.utf8.count > limit {
            found.append("replacement of \(limited.utf8.count) bytes passed the limit \(limit)")
        }
        return found
    }

    private static func onBoundary(_ utf8: [UInt8], _ offset: Int) -> Bool {
        offset == utf8.count || utf8[offset] & 0xC0 != 0x80
    }
}
