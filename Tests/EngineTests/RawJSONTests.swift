import Engine
import Testing

@Suite("Stored JSON checked in one pass and copied as it is")
struct RawJSONTests {
    /// Documents both the validator and the parser must accept, and ones both must refuse.
    static let valid = [
        "{}", "[]", "0", "-0", "12.5e-3", "1E+9", "true", "false", "null", "\"\"", " {\"a\" : [1, 2, {\"b\": null}] } ",
        "{\"k\":\"quote \\\" backslash \\\\ slash \\/ \\b\\f\\n\\r\\t \\u0001 \\u00e9 \\ud83d\\ude80\"}",
        "\"Zoë — 東京 🎉\"", "[\"\\u2028\"]", "{\"\":\"\"}", "[-1.0e10, 0.5, 1e308]",
    ]
    static let invalid = [
        "", " ", "{", "}", "[1,]", "{\"a\":1,}", "{a:1}", "01", "1.", ".5", "-", "1e", "+1", "tru", "nul", "[1] [2]",
        "\"unterminated", "\"raw \u{1} control\"", "\"bad \\x escape\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00\"",
        "\"\\ud800\\u0041\"", "{\"a\" 1}", "[1 2]", "NaN", "'single'",
    ]

    @Test("the validator accepts exactly what the parser accepts")
    func agreesWithParser() {
        for text in RawJSONTests.valid {
            #expect(RawJSON(validating: Array(text.utf8)) != nil, "\(text)")
            #expect((try? JSONValue.parse(text)) != nil, "\(text)")
        }
        for text in RawJSONTests.invalid {
            #expect(RawJSON(validating: Array(text.utf8)) == nil, "\(text)")
            #expect((try? JSONValue.parse(text)) == nil, "\(text)")
        }
    }

    @Test("invalid UTF-8, overlong forms, surrogates and deep nesting are refused")
    func bytesAndDepth() {
        let quoted: ([UInt8]) -> [UInt8] = { [UInt8(ascii: "\"")] + $0 + [UInt8(ascii: "\"")] }
        for bad: [UInt8] in [[0xFF], [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC3], [0xE2, 0x82]] {
            #expect(RawJSON(validating: quoted(bad)) == nil, "\(bad)")
        }
        #expect(RawJSON(validating: quoted([0xC3, 0xA9, 0xF0, 0x9F, 0x9A, 0x80])) != nil)
        #expect(RawJSON(validating: Array((String(repeating: "[", count: 512) + String(repeating: "]", count: 512)).utf8)) != nil)
        #expect(RawJSON(validating: Array((String(repeating: "[", count: 513) + String(repeating: "]", count: 513)).utf8)) == nil)
    }

    @Test("a special byte is found at every position of a long string (the eight-byte fast path)")
    func specialAtEveryPosition() {
        let specials = ["\"", "\\", "\\n", "\\u00e9", "\u{1}", "\u{1F}", "é", "🚀", "\u{7F}", " ", "~", "\\q", "\\u12"]
        for special in specials {
            for position in 0..<20 {
                let text = "[\"" + String(repeating: "a", count: position) + special + String(repeating: "b", count: 19 - position) + "\"]"
                let parsed = (try? JSONValue.parse(text)) != nil
                #expect((RawJSON(validating: Array(text.utf8)) != nil) == parsed, "\(text)")
            }
        }
        var bytes = Array("[\"\(String(repeating: "x", count: 16))\"]".utf8)
        for position in 2..<18 {
            for bad: UInt8 in [0x80, 0xFF, 0x00, 0x1F] {
                let original = bytes[position]
                bytes[position] = bad
                #expect(RawJSON(validating: bytes) == nil, "\(bad) at \(position)")
                bytes[position] = original
            }
        }
    }

    @Test("requireObject takes only an object")
    func objectsOnly() {
        #expect(RawJSON(validating: Array(" {\"a\":1}".utf8), requireObject: true) != nil)
        for text in ["[1]", "\"a\"", "1", "null"] {
            #expect(RawJSON(validating: Array(text.utf8), requireObject: true) == nil, "\(text)")
        }
    }

    @Test("a raw value writes its bytes, compares as the value it holds, and pretty-prints like it")
    func rawValue() throws {
        let text = "{\"name\":\"a\\/b \\\"q\\\" é\",\"n\":[1,2.5,null,true]}"
        let raw = try #require(RawJSON(validating: Array(text.utf8)))
        let parsed = try JSONValue.parse(text)
        #expect(JSONValue.object([("x", .raw(raw))]).text == "{\"x\":" + text + "}")
        #expect(JSONValue.raw(raw) == parsed)
        #expect(parsed == .raw(raw))
        #expect(JSONValue.raw(raw)["name"]?.stringValue == "a/b \"q\" é")
        #expect(JSONValue.object([("x", .raw(raw))]).prettyText == JSONValue.object([("x", parsed)]).prettyText)
    }
}
