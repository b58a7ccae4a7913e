import Testing
@testable import RegexEngine

/// `regex_replace`: ICU's iteration over matches (empty matches included) and NSRegularExpression's
/// template syntax, which definitions were written against.
@Suite("Replacement and templates")
struct ReplacementTests {
    func replace(_ pattern: String, _ input: String, _ template: String, options: RegexOptions = []) throws -> String {
        let regex = try LinearRegex(pattern, options: options)
        return regex.replacing(in: input, with: try ReplacementTemplate(template, groupCount: regex.groupCount))
    }

    @Test("empty matches: between every scalar, and right after a non-empty match")
    func emptyMatches() throws {
        #expect(try replace("x*", "abc", "-") == "-a-b-c-")
        #expect(try replace("x*", "xab", "-") == "--a-b-")
        #expect(try replace("a|", "baaac", "-") == "-b----c-")
        #expect(try replace("\\b", "ab cd", "|") == "|ab| |cd|")
        #expect(try replace("a*?", "aa", "-") == "-a-a-")
        #expect(try replace("", "日本😀", "/") == "/日/本/😀/")
        #expect(try replace("$", "a\n", "!") == "a!\n!")
        #expect(try replace("^", "a\nb", ">", options: .multiline) == ">a\n>b")
        #expect(try replace("x*", "", "-") == "-")
    }

    @Test("with a limit, the output stops growing past it and the result is nil; at or under it nothing changes")
    func limit() throws {
        let regex = try LinearRegex("x*")
        let template = try ReplacementTemplate("0123456789", groupCount: 0)
        // An empty match between every two of 10 MB of characters would make 110 MB.
        #expect(regex.replacing(in: String(repeating: "a", count: 10 << 20), with: template, limit: 1 << 20) == nil)
        #expect(regex.replacing(in: "ab", with: template, limit: 32) == "0123456789a0123456789b0123456789")
        #expect(regex.replacing(in: "ab", with: template, limit: 31) == nil)
        // Without a match the text is returned as it is, unless it is itself over the limit.
        let none = try LinearRegex("q")
        #expect(none.replacing(in: "abc", with: template, limit: 3) == "abc")
        #expect(none.replacing(in: "abcd", with: template, limit: 3) == nil)
    }

    @Test("the template: $n, digits while they name a group, \\ escapes, lone $")
    func templates() throws {
        #expect(try replace("(\\d+)-(\\d+)-(\\d+)", "2024-01-31", "$3.$2.$1") == "31.01.2024")
        #expect(try replace("(a)(b)", "ab", "$12") == "a2")
        #expect(try replace("(a)(b)", "ab", "$0$0") == "abab")
        #expect(try replace("(a)(b)", "ab", "\\$1 \\\\ \\1") == "$1 \\ 1")
        #expect(try replace("(a)(b)", "ab", "$ $x ${1}") == "$ $x ${1}")
        #expect(try replace("(a)", "a", "x\\") == "x")
        #expect(try replace("(a)(b)?", "a", "[$2]") == "[]")
        #expect(try replace("(?<y>\\d{4})", "in 2024", "<$1>") == "in <2024>")
        let twelve = "(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)(l)"
        #expect(try replace(twelve, "abcdefghijkl", "$12$11$10$1") == "lkja")
    }

    @Test("a template naming a group the pattern lacks is refused")
    func missingGroup() {
        #expect(throws: ReplacementTemplate.Problem(description: "the replacement refers to group $3, but the pattern has 2 groups (write \\$ for a literal '$')")) {
            try ReplacementTemplate("$3", groupCount: 2)
        }
        #expect(throws: ReplacementTemplate.Problem(description: "the replacement refers to group $1, but the pattern has no groups (write \\$ for a literal '$')")) {
            try ReplacementTemplate("$1", groupCount: 0)
        }
    }

    @Test("groups in loops keep their last iteration, an empty one included (as ICU)")
    func loopCaptures() throws {
        #expect(try LinearRegex("(a*)+").matchRanges(in: "ab").first == [0..<1, 1..<1])
        #expect(try LinearRegex("(?:(a)|b)+").matchRanges(in: "ab").first == [0..<2, 0..<1])
        #expect(try LinearRegex("(a|b)*c").matchRanges(in: "abc").first == [0..<3, 1..<2])
    }

    @Test("regex_replace patterns: /pattern/flags when they start with '/', bare otherwise")
    func literals() throws {
        #expect(RegexLiteral.parse("/^a\\/b$/i") == .success(RegexLiteral(pattern: "^a\\/b$", options: .caseInsensitive)))
        #expect(RegexLiteral.parse("/a/ms") == .success(RegexLiteral(pattern: "a", options: [.multiline, .dotAll])))
        #expect(RegexLiteral.parse("[^0-9]+") == .success(RegexLiteral(pattern: "[^0-9]+")))
        #expect(RegexLiteral.parse("(\\d+)-(\\d+)") == .success(RegexLiteral(pattern: "(\\d+)-(\\d+)")))
        #expect(RegexLiteral.parse("#a#i") == .success(RegexLiteral(pattern: "#a#i")))
        #expect(RegexLiteral.parse("/a/q") == .failure(.unknownFlag("q")))
        #expect(RegexLiteral.parse("/abc") == .failure(.unterminated))
        #expect(RegexLiteral.parse("") == .failure(.empty))
        guard case .success(let regex) = LinearRegex.compile(replacePattern: "/X/i") else { Issue.record("did not compile"); return }
        #expect(regex.replacing(in: "axbX", with: try ReplacementTemplate("-", groupCount: 0)) == "a-b-")
    }
}
