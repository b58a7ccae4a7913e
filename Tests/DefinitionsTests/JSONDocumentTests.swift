import Testing
@testable import Definitions
import IngestSupport

@Suite("JSON documents with positions")
struct JSONDocumentTests {
    private func parse(_ text: String) throws(JSONSyntaxError) -> JSONDocument {
        try JSONDocument(bytes: Array(text.utf8))
    }

    private func syntaxError(_ text: String) -> JSONSyntaxError? {
        do throws(JSONSyntaxError) {
            _ = try parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test("records line, column and offset of every node and key")
    func positions() throws {
        let document = try parse("{\n  \"a\": [1, 2.5],\n  \"é\": {\"b\": null}\n}")
        guard case .object(let members) = document.root.value else { Issue.record("not an object"); return }
        #expect(members.map(\.key) == ["a", "é"])
        #expect(members[0].keyPosition == SourcePosition(offset: 4, line: 2, column: 3))
        #expect(members[0].value.position == SourcePosition(offset: 9, line: 2, column: 8))
        let second = try #require(document.node(at: "/a/1"))
        #expect(second.value == .number(2.5))
        #expect(second.position.line == 2 && second.position.column == 12)
        // Columns count Unicode scalars: "é" is two bytes but one column.
        let b = try #require(document.node(at: "/é/b"))
        #expect(b.position.line == 3 && b.position.column == 14)
        #expect(b.position.offset == 33)
    }

    @Test("keeps object keys in the order they were written")
    func keyOrder() throws {
        let document = try parse(#"{"z": 1, "a": 2, "m": 3}"#)
        guard case .object(let members) = document.root.value else { Issue.record("not an object"); return }
        #expect(members.map(\.key) == ["z", "a", "m"])
    }

    @Test("keeps integers that fit 64 bits as integers and everything else as numbers")
    func numbers() throws {
        let document = try parse("[0, -0, 42, -9223372036854775808, 9223372036854775808, 1.0, 1e2, -2.5E-3]")
        guard case .array(let items) = document.root.value else { Issue.record("not an array"); return }
        #expect(items.map(\.value) == [
            .integer(0), .integer(0), .integer(42), .integer(Int64.min), .number(9223372036854775808),
            .number(1), .number(100), .number(-0.0025),
        ])
    }

    @Test("decodes escapes and surrogate pairs")
    func strings() throws {
        let document = try parse(#"["a\"b\\c\/d\b\f\n\r\t", "\u00e9\ud83d\ude00", "plain"]"#)
        #expect(document.node(at: "/0")?.value == .string("a\"b\\c/d\u{08}\u{0C}\n\r\t"))
        #expect(document.node(at: "/1")?.value == .string("é😀"))
        #expect(document.node(at: "/2")?.isVerbatim == true)
        #expect(document.node(at: "/0")?.isVerbatim == false)
    }

    @Test("skips a leading UTF-8 byte order mark")
    func byteOrderMark() throws {
        let document = try JSONDocument(bytes: [0xEF, 0xBB, 0xBF] + Array("{\"a\": 1}".utf8))
        #expect(document.node(at: "/a")?.value == .integer(1))
        #expect(document.node(at: "/a")?.position.column == 7)
    }

    @Test("resolves RFC 6901 pointers with escapes")
    func pointers() throws {
        let document = try parse(#"{"a/b": {"m~n": [10, 20]}, "": 1}"#)
        #expect(document.node(at: "/a~1b/m~0n/1")?.value == .integer(20))
        #expect(document.node(at: "/")?.value == .integer(1))
        #expect(document.node(at: "")?.position.offset == 0)
        #expect(document.node(at: "/a~1b/m~0n/01") == nil)
        #expect(document.node(at: "/a~2b") == nil)
        #expect(document.node(at: "a") == nil)
        #expect(JSONPointer.isValid("/data/items"))
        #expect(JSONPointer.isValid(""))
        #expect(!JSONPointer.isValid("data"))
        #expect(!JSONPointer.isValid("/a~"))
        #expect(JSONPointer.appending("/columns", "a/b~c") == "/columns/a~1b~0c")
    }

    @Test("rejects non-RFC 8259 input with line and column", arguments: [
        ("", "1:1: the document is empty; expected a JSON value"),
        ("{\"a\": 1,}", "1:9: trailing comma before '}'"),
        ("[1, 2,]", "1:7: trailing comma before ']'"),
        ("{\n  'a': 1\n}", "2:3: expected a string key in double quotes, found '''"),
        ("{\"a\" 1}", "1:6: expected ':' after key 'a', found '1'"),
        ("{\"a\": 1 \"b\": 2}", "1:9: expected ',' or '}' after an object member, found '\"'"),
        ("[01]", "1:2: invalid number: leading zeros are not allowed"),
        ("[1.]", "1:2: invalid number: expected a digit after '.'"),
        ("[-]", "1:2: invalid number: expected a digit after '-'"),
        ("[1e]", "1:2: invalid number: expected a digit in the exponent"),
        ("[1e999]", "1:2: number 1e999 is out of range"),
        ("[tru]", "1:2: invalid literal; expected 'true'"),
        ("[nullx]", "1:2: invalid literal; expected 'null'"),
        ("[NaN]", "1:2: unexpected 'N'; expected a JSON value"),
        ("\"abc", "1:1: unterminated string"),
        ("\"a\tb\"", "1:3: control character byte 0x9 in a string; escape it (\\n, \\t, \\u00XX)"),
        ("\"\\x\"", "1:2: invalid escape '\\x'"),
        ("\"\\ud800\"", "1:2: unpaired high surrogate \\uD800"),
        ("\"\\udc00\"", "1:2: unpaired low surrogate \\uDC00"),
        ("{} {}", "1:4: unexpected '{' after the JSON value"),
        ("// comment\n{}", "1:1: unexpected '/'; expected a JSON value"),
        ("{\"a\": 1, \"a\": 2}", "1:10: duplicate key 'a' (first at 1:2)"),
    ])
    func rejects(text: String, expected: String) {
        #expect(syntaxError(text)?.description == expected)
    }

    @Test("rejects invalid UTF-8")
    func invalidUTF8() {
        for bytes: [UInt8] in [[0x22, 0xC3, 0x22], [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xFF, 0x22]] {
            #expect(throws: JSONSyntaxError.self) { try JSONDocument(bytes: bytes) }
        }
    }

    @Test("refuses nesting deeper than the limit instead of overflowing the stack")
    func depth() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(syntaxError(deep)?.message == "nesting deeper than 512 levels")
        let fine = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(syntaxError(fine) == nil)
    }
}
