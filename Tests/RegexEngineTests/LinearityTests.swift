import Testing
@testable import RegexEngine

/// Patterns that take exponential (or quadratic) time in a backtracking engine finish here and
/// give the right answer. No timing is asserted: with backtracking these inputs would not finish
/// in any reasonable time, so completing is the check.
@Suite("Pathological patterns run in linear time")
struct LinearityTests {
    static let threeMB = String(repeating: "a", count: 3_000_000)

    @Test("^(a+)+$ on a 3 MB cell of a's followed by '!'")
    func nestedPlusOnThreeMegabytes() throws {
        let regex = try LinearRegex("^(a+)+$")
        #expect(!regex.matches(Self.threeMB + "!"))
        #expect(regex.matches(String(repeating: "a", count: 30_000)))
        #expect(!regex.matches("!" + Self.threeMB))
    }

    @Test("(a+)+$|! with flag s on an 81-character cell, and on 3 MB")
    func alternativeAfterCatastrophe() throws {
        let regex = try LinearRegex("(a+)+$|!", options: .dotAll)
        let cell = String(repeating: "a", count: 80) + "!"
        #expect(regex.matches(cell))
        #expect(regex.matchRanges(in: cell) == [[80..<81, nil]])
        #expect(regex.matches(Self.threeMB + "!"))
        #expect(!regex.matches(String(repeating: "a", count: 30_000) + "b"))
        let long = String(repeating: "a", count: 20_000) + "!"
        #expect(regex.matchRanges(in: long) == [[20_000..<20_001, nil]])
    }

    @Test("more shapes that backtracking cannot survive")
    func otherShapes() throws {
        let aaaC = String(repeating: "a", count: 5000) + "c"
        #expect(!(try LinearRegex("^(a*)*b$").matches(aaaC)))
        #expect(!(try LinearRegex("^(a|aa)+$").matches(aaaC)))
        #expect(!(try LinearRegex("^(a|a?)+$").matches(aaaC)))
        #expect(!(try LinearRegex("(x+x+)+y").matches(String(repeating: "x", count: 20_000))))
        #expect(try LinearRegex("^(\\w+\\s?)*$").matches(String(repeating: "word ", count: 10_000)))
        #expect(!(try LinearRegex("^(\\w+\\s?)*$").matches(String(repeating: "word ", count: 10_000) + "!")))
        #expect(try LinearRegex("(?i)^(?:[a-z]+\\.)*[a-z]+$").matches(String(repeating: "Ab.", count: 10_000) + "c"))
    }

    @Test("replacing with a preferred alternative that fails late stays linear")
    func overlappingSearches() throws {
        // Each match is one 'a', but the preferred `a.*b` runs to the end of the input first:
        // searched one after another, that is quadratic (about 10^9 steps here).
        let input = String(repeating: "a", count: 30_000)
        let regex = try LinearRegex("(a.*b|a)")
        let out = regex.replacing(in: input, with: try ReplacementTemplate("<$1>", groupCount: 1))
        #expect(out.utf8.count == 3 * input.utf8.count)
        #expect(out.hasPrefix("<a><a>") && out.hasSuffix("<a><a>"))
        // A late 'b' makes the first alternative win once, from the first 'a' to that 'b'.
        let withB = input + "b" + "aa"
        #expect(regex.matchRanges(in: withB).map { $0[0] } == [0..<30_001, 30_001..<30_002, 30_002..<30_003])
    }

    @Test("replacing empty matches across a large cell")
    func emptyMatchesAtScale() throws {
        let input = String(repeating: "ab", count: 20_000)
        let out = try LinearRegex("x*").replacing(in: input, with: ReplacementTemplate("-", groupCount: 0))
        #expect(out.utf8.count == 2 * input.utf8.count + 1)
        #expect(out.hasPrefix("-a-b-a-b"))
    }

    @Test("counted repetitions are capped with a clear error")
    func programLimit() throws {
        #expect(throws: RegexSyntaxError.self) { try LinearRegex("a{10001}") }
        do {
            _ = try LinearRegex("(?:[a-z]{100}){200}")
            Issue.record("compiled a pattern past the limit")
        } catch {
            #expect(error.kind == .tooLarge(limit: LinearRegex.maxInstructions))
            #expect(error.description == "regular expression '(?:[a-z]{100}){200}' is too large: with its counted repetitions ({n,m}) expanded it needs more than 10000 instructions; use smaller counts")
        }
        // Large counts of nothing cost nothing; large but allowed counts work.
        #expect(try LinearRegex("(?:){100000}(?:(?:){9}){100000}x").matches("x"))
        let wide = try LinearRegex("^[A-Za-z0-9 ]{1,2000}$")
        #expect(wide.matches(String(repeating: "z", count: 2000)))
        #expect(!wide.matches(String(repeating: "z", count: 2001)))
        #expect(throws: RegexSyntaxError.self) { try LinearRegex("a{100001}") }
    }
}
