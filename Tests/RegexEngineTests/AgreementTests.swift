import Foundation
import Testing
@testable import RegexEngine

/// The linear engine against ICU (NSRegularExpression, the engine definitions used before) on
/// every pattern both accept: whether there is a match, every match with its groups, and
/// replacement. NSRegularExpression appears here only, as the reference.
@Suite("LinearRegex agrees with NSRegularExpression")
struct AgreementTests {
    static let patterns: [String] = [
        // The old fast subset.
        "/^SKU-[0-9]{8}$/", "/abc/", "/^abc/", "/abc$/", "/a.c/", "/^a.*c$/", "/^a.+?c$/", "/colou?r/",
        "/^[a-z0-9_]+$/", "/^[^0-9]+$/", "/\\d{3}-\\d{4}/", "/^\\w+$/", "/\\s/", "/^\\S+$/", "/^\\D*$/", "/^\\W+$/",
        "/^(ab|cd)+$/", "/^(?:ab|cd){2,3}$/", "/^a{2,}$/", "/^a{0,2}b$/", "/x|y|z/", "/^$/", "/^\\.\\*\\+\\?$/",
        "/^[A-F0-9]{2}(:[A-F0-9]{2}){5}$/i", "/^hello world$/i", "/^[\\w.-]+@[\\w-]+\\.[a-z]{2,}$/i",
        "/^[-a]+$/", "/^[a-]+$/", "/^[\\d\\s]+$/", "/^[^\\s]+$/", "/é+/", "/^.$/", "/^..$/", "/^[à-ÿ]+$/",
        "/^(a|ab)(c|bcd)(d*)$/", "/^\\t\\x41$/", "/[.]/", "/^(?:a|)+$/",
        // What used to need the fallback.
        "/^abc$/m", "/^b/m", "/a$/m", "/^$/m", "/./s", "/^.+$/s", "/a.c/s", "/\\bword\\b/", "/\\Bor\\B/", "/\\b/",
        "/^\\p{L}+$/", "/\\p{Lu}/", "/\\P{L}/", "/[\\p{N}_]+/", "/[[:alpha:]]+/", "/[[:^digit:]]+/", "/[[:punct:]]/",
        "/é/i", "/É+/i", "/(?i)abc/", "/a(?i)b/", "/(?i:a)b/", "/(?s:.)/", "/(?m)^x/", "/(?x) a b c # comment\n/",
        "/a b/x", "/[a b]/x", "/a\\ b/x", "/\\Aab/", "/ab\\z/", "/ab\\Z/", "/\\x{1F600}/", "/\\u00e9/", "/\\0101/",
        "/\\cA/", "/\\Qa.b\\E+/", "/[a-z&&[^aeiou]]+/", "/[[a-z]--[b-y]]+/", "/[\\w--\\d]+/", "/\\h+/", "/\\v/", "/\\R/",
        "/(?<year>\\d{4})-(?<month>\\d\\d)/", "/(?#note)ab/", "/k/i", "/s/i", "/[k-l]/i", "/[^a]/i", "/\\p{Ll}/i",
        // Quantifiers, laziness, empty matches, leftmost-first choices.
        "/a*/", "/a*?/", "/a+?/", "/a??b/", "/(a|ab)(c|bcd)/", "/(a+)(b+)?/", "/(a*)+/", "/(a|b)*c/", "/x*/", "/a|/",
        "/|a/", "/(|a)+/", "/(a*)*/", "/a{2,3}?/", "/(a{0,2})(a*)/", "/(a.*b|a)/", "/(?:(a)|b)+/", "/(a)|(b)/",
        "/[^\\n]*\\n/", "/\\s+/", "/\\d+/", "/[aeiou]/i", "/(\\w+)@(\\w+)\\.com/",
        // Loops in loops whose bodies can match empty (found by the random test).
        "/c{1,3}[^a]*(a*\\b((a{0,2}\\b(x?)+|\\w?[^a]+))|$(x?)\\s??)*/", "/(([^a]{0,2}(x?)+|b^)*[^a]+).[^a]/",
        "/((a*)*b?)*c/", "/(?:(a|)+b?)*/",
        "/\\b\\w/", "/\\w\\b/", "/$/", "/^/", "/^/m", "/$/m", "/\\Z/", "/\\z/", "/$./", "/$\\s/m", "/\\Z\\n/",
    ]

    static let inputs: [String] = [
        "", "SKU-00000001", "SKU-0000001", "SKU-00000001\n", "xSKU-00000001", "abc", "xabcx", "ABC", "ac", "a-c", "a\nc",
        "aXYZc", "color", "colour", "snake_case_1", "no digits", "123-4567", "call 555-1234 now", "word", "two words",
        "tab\there", "abab", "abcd", "cdcdcd", "ababababab", "aa", "aaaa", "b", "ab", "aab", "aaab", "x", "nothing",
        ".*+?", "00:1A:2b:3C:4d:5E", "Hello World", "ada@example.com", "a-a-", "12 34", "é", "ééé", "àé", "ñ", "É",
        "abbcd", "\tA", "1.5", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac", "日本", "😀", "a😀b", "line1\nline2\n", "a\r\nb\r\n",
        "x\ny", "\n", "\r\n", "a\u{2028}b", "a\u{85}", "a\u{0B}b", "a\u{0C}", "password reset for bob@mail.com",
        "sword words", "ab\u{0301}c d", "Zoë", "Zoë1", "٣٤٥", "a_b", "K", "\u{212A}", "S", "\u{17F}", "Straße", "STRASSE",
        "a.b", "a.b.b", "\u{01}", "AB", "2024-01-31", "x\u{A0}y", "aaab!", "aaaa!", "bbbc", "aabab", "aaabaaab",
        "a b\tc\u{3000}d", "hello, world!", "(a)", "caab", "ab\nab", "a\n", "a\n\n",
    ]

    @Test("whether there is a match")
    func matches() throws {
        for pattern in Self.patterns {
            let (mine, icu) = try Self.compile(pattern)
            for input in Self.inputs {
                let expected = icu.firstMatch(in: input, range: NSRange(location: 0, length: input.utf16.count)) != nil
                #expect(mine.matches(input) == expected, "\(pattern) on \(input.debugDescription)")
            }
        }
    }

    @Test("every match with its groups")
    func matchRanges() throws {
        for pattern in Self.patterns {
            let (mine, icu) = try Self.compile(pattern)
            for input in Self.inputs {
                let expected = Self.icuRanges(icu, input)
                let got = mine.matchRanges(in: input)
                #expect(got == expected, "\(pattern) on \(input.debugDescription)")
            }
        }
    }

    @Test("replacement with groups")
    func replacement() throws {
        for pattern in Self.patterns {
            let (mine, icu) = try Self.compile(pattern)
            for raw in ["<$0>", "", "[$1]", "\\$1$", "-"] {
                let template = mine.groupCount == 0 ? raw.replacingOccurrences(of: "$1", with: "$0") : raw
                let compiled = try ReplacementTemplate(template, groupCount: mine.groupCount)
                for input in Self.inputs {
                    let expected = icu.stringByReplacingMatches(in: input, range: NSRange(location: 0, length: input.utf16.count), withTemplate: template)
                    #expect(mine.replacing(in: input, with: compiled) == expected, "\(pattern) with \(template) on \(input.debugDescription)")
                }
            }
        }
    }

    static func compile(_ text: String) throws -> (LinearRegex, NSRegularExpression) {
        guard case .success(let literal) = RegexLiteral.parse(text) else { throw Failure("\(text) is not a literal") }
        var options: NSRegularExpression.Options = []
        if literal.options.contains(.caseInsensitive) { options.insert(.caseInsensitive) }
        if literal.options.contains(.multiline) { options.insert(.anchorsMatchLines) }
        if literal.options.contains(.dotAll) { options.insert(.dotMatchesLineSeparators) }
        if literal.options.contains(.extended) { options.insert(.allowCommentsAndWhitespace) }
        let icu = try NSRegularExpression(pattern: literal.pattern, options: options)
        let mine = try LinearRegex(literal: literal)
        return (mine, icu)
    }

    /// ICU's matches as UTF-8 byte ranges.
    static func icuRanges(_ icu: NSRegularExpression, _ input: String) -> [[Range<Int>?]] {
        icu.matches(in: input, range: NSRange(location: 0, length: input.utf16.count)).map { m in
            (0..<m.numberOfRanges).map { g -> Range<Int>? in
                let r = m.range(at: g)
                guard r.location != NSNotFound else { return nil }
                // Through the UTF-16 view: `Range(_:in:)` refuses ranges inside a `\r\n` or a combining sequence.
                let u16 = input.utf16
                let lower = u16.index(u16.startIndex, offsetBy: r.location), upper = u16.index(lower, offsetBy: r.length)
                let start = input.utf8.distance(from: input.utf8.startIndex, to: lower)
                return start..<(start + input.utf8.distance(from: lower, to: upper))
            }
        }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }
}
