import Engine
import Testing
@testable import API

@Suite("Writing JSON straight to bytes")
struct JSONBytesWriterTests {
    @Test("the bytes are exactly JSONValue.text's, escapes and non-ASCII included")
    func matchesText() {
        let value: JSONValue = .object([
            ("plain", "Desk lamp"),
            ("escapes", .string("quote \" backslash \\ slash / nl \n cr \r tab \t bell \u{7} nul \u{0} us \u{1F}")),
            ("unicode", "Zoë — 東京 🎉"),
            ("numbers", .array([.integer(-42), .number(12.5), .number(3), .number(.infinity), .number(1e20)])),
            ("flags", .array([true, false, .null])),
            ("empty", .object([])),
            ("nested", .object([("list", .array([])), ("url", "http://127.0.0.1:8080/api/v1/ingest?page=2")])),
            ("", ""),
        ])
        #expect(JSONBytesWriter.bytes(value) == Array(value.text.utf8))
        #expect((try? JSONValue.parse(bytes: JSONBytesWriter.bytes(value)))?["unicode"] == "Zoë — 東京 🎉")
    }
}
