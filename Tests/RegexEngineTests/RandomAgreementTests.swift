import Foundation
import Testing
@testable import RegexEngine

@Suite("Random patterns agree with NSRegularExpression")
struct RandomAgreementTests {
    /// A small deterministic generator (SplitMix64), so failures reproduce.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E3779B97F4A7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
            z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    static func pattern(_ g: inout Generator, depth: Int = 0) -> String {
        let atoms = ["a", "b", "c", "A", "é", ".", "[ab]", "[^a]", "[a-cé]", "\\b", "\\B", "^", "$", "\\w", "\\s", "\\d",
                     "(x?)", "\\n", "\\r\\n", "\\p{Lu}", "[[:alpha:]]", "\\Z", "\\A", "k"]
        var out = ""
        for _ in 0..<(1 + g.below(3)) {
            var piece: String
            if depth < 3 && g.below(4) == 0 {
                let inner = pattern(&g, depth: depth + 1)
                let alt = g.below(2) == 0 ? "|" + pattern(&g, depth: depth + 1) : ""
                piece = (g.below(3) == 0 ? "(?:" : "(") + inner + alt + ")"
            } else {
                piece = atoms[g.below(atoms.count)]
            }
            if g.below(3) == 0 && !["\\b", "\\B", "^", "$", "\\Z", "\\A"].contains(piece) {
                piece += ["*", "+", "?", "{0,2}", "{1,3}", "{2}"][g.below(6)]
                if g.below(3) == 0 { piece += "?" }
            }
            out += piece
        }
        if depth == 0 && g.below(4) == 0 { out += "|" + pattern(&g, depth: 1) }
        return out
    }

    /// ICU gets lazy loops over bodies that can match empty wrong (`(x?)*?[ab]c*|\\s` finds
    /// nothing in " c"; `\\w(?:)+?\\s|b` nothing in "b"), so those are left out of the comparison.
    static func hasLazyNullableLoop(_ node: RegexNode) -> Bool {
        switch node {
        case .empty, .scalar, .set, .any, .assertion: return false
        case .group(let body, _): return hasLazyNullableLoop(body)
        case .concat(let items), .alternation(let items): return items.contains(where: hasLazyNullableLoop)
        case .repetition(let body, _, _, let greedy): return (!greedy && body.isNullable) || hasLazyNullableLoop(body)
        }
    }

    @Test("matches and groups on random patterns")
    func random() throws {
        var g = Generator(state: UInt64(ProcessInfo.processInfo.environment["RANDOM_REGEX_SEED"] ?? "42")!)
        let inputs = ["", "a", "b", "ab", "ba", "aab", "abab", "a b", "ca\nb", "bbaa", "abcab", "aaa", " c", "é a",
                      "A\r\nb\n", "ÉaK\u{212A}", "1a\n", "\nab\r\n", "aaaaaaab", "abcabc ab\nba c", "xxaxbxc"]
        let flags: [NSRegularExpression.Options] = [[], [.caseInsensitive], [.anchorsMatchLines], [.dotMatchesLineSeparators],
                                                    [.caseInsensitive, .anchorsMatchLines, .dotMatchesLineSeparators]]
        let ours: [RegexOptions] = [[], [.caseInsensitive], [.multiline], [.dotAll], [.caseInsensitive, .multiline, .dotAll]]
        var checked = 0
        for _ in 0..<Int(ProcessInfo.processInfo.environment["RANDOM_REGEX_COUNT"] ?? "300")! {
            let p = Self.pattern(&g)
            let f = g.below(flags.count)
            guard let icu = try? NSRegularExpression(pattern: p, options: flags[f]) else { continue }
            var parser = RegexParser(pattern: p, options: ours[f])
            guard !Self.hasLazyNullableLoop(try parser.parse()) else { continue }
            let mine = try LinearRegex(p, options: ours[f])
            // ICU's `^` under `m` matches between `\r` and `\n` inside larger patterns but not on
            // its own (its own TODO); ours never does, so that case is not compared.
            for input in inputs where !(ours[f].contains(.multiline) && input.contains("\r\n")) {
                let expected = AgreementTests.icuRanges(icu, input)
                #expect(mine.matchRanges(in: input) == expected, "\(p) \(ours[f]) on \(input.debugDescription)")
                #expect(mine.matches(input) == !expected.isEmpty, "\(p) \(ours[f]) on \(input.debugDescription)")
            }
            checked += 1
        }
        #expect(checked > 100)
    }
}
