import Testing
@testable import Postgres

@Suite("PGCopyEncoder: COPY text format")
struct CopyEncoderTests {
    @Test("fields are tab-separated, rows newline-terminated, NULL is \\N")
    func layout() {
        var encoder = PGCopyEncoder()
        encoder.appendRow([.integer(1), .text("a"), .null, .real(1.5)])
        encoder.appendRow([.integer(-2), .text(""), .blob([0, 255]), .real(.infinity)])
        #expect(String(decoding: encoder.bytes, as: UTF8.self) == "1\ta\t\\N\t1.5\n-2\t\t\\\\x00ff\tInfinity\n")
        encoder.reset()
        #expect(encoder.bytes.isEmpty)
    }

    @Test("backslash, tab, newline and carriage return are escaped; the text \\N stays text")
    func escaping() {
        var encoder = PGCopyEncoder()
        encoder.appendRow([.text("a\\b\tc\nd\re"), .text("\\N")])
        #expect(String(decoding: encoder.bytes, as: UTF8.self) == "a\\\\b\\tc\\nd\\re\t\\\\N\n")
    }

    @Test("appendText escapes raw UTF-8 the same way")
    func rawText() {
        var encoder = PGCopyEncoder()
        Array("x\ty".utf8).withUnsafeBufferPointer { encoder.appendText($0) }
        encoder.append(.text("é"))
        encoder.endRow()
        #expect(String(decoding: encoder.bytes, as: UTF8.self) == "x\\ty\té\n")
    }
}
