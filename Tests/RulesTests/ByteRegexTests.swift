import Foundation
import Testing
@testable import Rules

@Suite("ByteRegex agrees with NSRegularExpression")
struct ByteRegexTests {
    static let patterns: [String] = [
        "/^SKU-[0-9]{8}$/", "/abc/", "/^abc/", "/abc$/", "/a.c/", "/^a.*c$/", "/^a.+?c$/", "/colou?r/",
        "/^[a-z0-9_]+$/", "/^[^0-9]+$/", "/\\d{3}-\\d{4}/", "/^\\w+$/", "/\\s/", "/^\\S+$/", "/^\\D*$/", "/^\\W+$/",
        "/^(ab|cd)+$/", "/^(?:ab|cd){2,3}$/", "/^a{2,}$/", "/^a{0,2}b$/", "/x|y|z/", "/^$/", "/^\\.\\*\\+\\?$/",
        "/^[A-F0-9]{2}(:[A-F0-9]{2}){5}$/i", "/^hello world$/i", "/^[\\w.-]+@[\\w-]+\\.[a-z]{2,}$/i",
        "/^[-a]+$/", "/^[a-]+$/", "/^[\\d\\s]+$/", "/^[^\\s]+$/", "/é+/", "/^.$/", "/^..$/", "/^[à-ÿ]+$/",
        "/^(a|ab)(c|bcd)(d*)$/", "/^(a*)*b$/", "/^\\t\\x41$/", "/[.]/", "/^(?:a|)+$/",
    ]

    static let inputs: [String] = [
        "", "SKU-00000001", "SKU-0000001", "SKU-00000001\n", "xSKU-00000001", "abc", "xabcx", "ABC", "ac", "a-c", "a\nc",
        "aXYZc", "color", "colour", "snake_case_1", "no digits", "123-4567", "call 555-1234 now", "word", "two words",
        "tab\there", "abab", "abcd", "cdcdcd", "ababababab", "aa", "aaaa", "b", "ab", "aab", "aaab", "x", "nothing",
        ".*+?", "00:1A:2b:3C:4d:5E", "Hello World", "ada@example.com", "a-a-", "12 34", "é", "ééé", "àé", "ñ",
        "abcd", "abbcd", "\tA", "1.5", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac", "日本", "😀",
    ]

    @Test("the common subset compiles to ByteRegex")
    func compiles() throws {
        for pattern in ByteRegexTests.patterns.filter({ $0 != "/^(a*)*b$/" && $0 != "/^(?:a|)+$/" }) {
            guard case .success(let matcher) = PatternMatcher.compile(pattern) else {
                Issue.record("\(pattern) did not compile"); continue
            }
            #expect(matcher.usesByteRegex, "\(pattern) fell back")
        }
    }

    @Test("every pattern answers like NSRegularExpression on every input")
    func agreesWithICU() throws {
        for pattern in ByteRegexTests.patterns {
            guard case .success(let literal) = RegexLiteral.parse(pattern),
                  case .success(let icu) = FoundationRegex.compile(literal) else {
                Issue.record("\(pattern) is not a valid ICU pattern"); continue
            }
            guard let fast = ByteRegex.compile(literal) else { continue }  // a fallback pattern
            for input in ByteRegexTests.inputs {
                #expect(fast.matches(input) == icu.matches(input), "\(pattern) on \(input.debugDescription)")
            }
        }
    }

    @Test("unsupported constructs fall back to NSRegularExpression")
    func fallback() throws {
        for pattern in ["/(a)\\1/", "/a(?=b)/", "/\\bword\\b/", "/a++/", "/^\\p{L}+$/", "/^abc$/m", "/é/i", "/(?i)abc/"] {
            guard case .success(let literal) = RegexLiteral.parse(pattern) else { Issue.record("\(pattern)"); continue }
            #expect(ByteRegex.compile(literal) == nil, "\(pattern) should fall back")
            guard case .success(let matcher) = PatternMatcher.compile(pattern) else { Issue.record("\(pattern)"); continue }
            #expect(!matcher.usesByteRegex)
        }
        guard case .success(let m) = PatternMatcher.compile("/^\\p{L}+$/u") else { Issue.record("fallback failed"); return }
        #expect(m.matches("Zoë"))
        #expect(!m.matches("Zoë1"))
    }

    @Test("catastrophic patterns finish quickly thanks to memoisation")
    func noBlowUp() throws {
        guard case .success(let literal) = RegexLiteral.parse("/^(a|aa)+$/"), let fast = ByteRegex.compile(literal) else {
            Issue.record("did not compile"); return
        }
        let input = String(repeating: "a", count: 5000) + "b"
        #expect(!fast.matches(input))
        #expect(fast.matches(String(repeating: "a", count: 5000)))
    }

    @Test("delimiters and flags are read like PHP")
    func literals() {
        #expect(RegexLiteral.parse("#^a/b$#i") == .success(RegexLiteral(pattern: "^a/b$", caseInsensitive: true)))
        #expect(RegexLiteral.parse("{^a$}") == .success(RegexLiteral(pattern: "^a$")))
        #expect(RegexLiteral.parse("/a/q") == .failure(.unknownFlag("q")))
        #expect(RegexLiteral.parse("/abc") == .failure(.unterminated("/")))
    }
}
