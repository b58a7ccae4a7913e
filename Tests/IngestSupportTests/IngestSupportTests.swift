import Foundation
import Testing
import IngestSupport

@Suite("Shared helpers")
struct IngestSupportTests {
    @Test("JSON escaping writes RFC 8259 literals that JSONSerialization reads back")
    func escaping() throws {
        let samples = ["", "plain", "quote \" and \\ back", "line\nbreak\r\ttab", "\u{0}\u{1}\u{1F}", "Zoë 東京 🎉", "a/b"]
        for text in samples {
            let literal = JSONEscaping.quoted(text)
            let decoded = try JSONSerialization.jsonObject(with: Data("[\(literal)]".utf8)) as? [String]
            #expect(decoded == [text], "\(literal)")
        }
        #expect(JSONEscaping.quoted("a/b") == #""a/b""#)
        #expect(JSONEscaping.quoted("a/b", escapingSlash: true) == #""a\/b""#)
        #expect(JSONEscaping.quoted("\u{1}") == #""\u0001""#)
    }

    @Test("civil dates round-trip through day numbers, across eras and leap days")
    func civilDates() {
        for days in stride(from: -800_000, through: 800_000, by: 997) {
            let (y, m, d) = CivilDate.civil(days: days)
            #expect(CivilDate.isValid(year: y, month: m, day: d))
            #expect(CivilDate.days(year: y, month: m, day: d) == days)
        }
        #expect(CivilDate.days(year: 1970, month: 1, day: 1) == 0)
        #expect(CivilDate.days(year: 2000, month: 3, day: 1) - CivilDate.days(year: 2000, month: 2, day: 28) == 2)
        #expect(!CivilDate.isValid(year: 2021, month: 2, day: 29))
        #expect(CivilDate.isValid(year: 2024, month: 2, day: 29))
    }

    @Test("JSON pointers parse RFC 6901 tokens and refuse bad escapes")
    func pointers() {
        #expect(JSONPointer.tokens(of: "") == [])
        #expect(JSONPointer.tokens(of: "/a~1b/m~0n/1") == ["a/b", "m~n", "1"])
        #expect(JSONPointer.tokens(of: "/~01") == ["~1"])
        #expect(JSONPointer.tokens(of: "/a~2") == nil)
        #expect(JSONPointer.tokens(of: "a") == nil)
        #expect(JSONPointer.arrayIndex("0") == 0 && JSONPointer.arrayIndex("01") == nil && JSONPointer.arrayIndex("-1") == nil)
    }

    @Test("did you mean: edit distance up to 2, swaps, prefixes; nothing when far")
    func suggestions() {
        #expect(Suggestion.closest(to: "stauts", in: ["status", "runs"]) == "status")
        #expect(Suggestion.closest(to: "--dry-rn", in: ["--dry-run", "--json"]) == "--dry-run")
        #expect(Suggestion.closest(to: "zzzzzz", in: ["status", "runs"]) == nil)
    }

    @Test("durations convert to seconds, milliseconds and poll timeouts that never wake early")
    func durations() {
        #expect(Duration.milliseconds(1500).seconds == 1.5)
        #expect(Duration.milliseconds(1500).wholeMilliseconds == 1500)
        #expect(Duration.microseconds(1).pollMilliseconds == 1)
        #expect(Duration.zero.pollMilliseconds == 0)
        #expect(Duration.seconds(-3).pollMilliseconds == 0)
    }
}
