import IngestSupport
/// The lexical layer of the streaming JSON reader (RFC 8259): whitespace, strings, numbers and
/// literals, pulled byte by byte from a `ByteCursor` so the document is never held in memory.
///
/// Numbers are returned as the exact text written (no Double round trip, so `1.0E+12` or
/// `12345678901234567890` survive). Strings are unescaped and validated as UTF-8.
struct JSONTokenizer {
    var cursor: ByteCursor
    /// Largest string or number, in bytes.
    let maxValueBytes: Int
    private var scratch: [UInt8] = []

    init(cursor: ByteCursor, maxValueBytes: Int) {
        self.cursor = cursor
        self.maxValueBytes = maxValueBytes
    }

    /// An error at the cursor's current offset.
    func error(_ message: String, at offset: Int64? = nil) -> TabularError {
        TabularError(.malformedJSON, message, byteOffset: offset ?? cursor.offset)
    }

    /// Skips whitespace and returns the next significant byte without consuming it (nil at end).
    mutating func peekSignificant() throws(TabularError) -> UInt8? {
        while let b = try cursor.peek() {
            if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 {
                cursor.advance()
            } else {
                return b
            }
        }
        return nil
    }

    /// Consumes `byte` after optional whitespace, or fails naming what was expected.
    mutating func expect(_ byte: UInt8, _ what: String) throws(TabularError) {
        guard let b = try peekSignificant() else { throw error("unexpected end of JSON, expected \(what)") }
        guard b == byte else { throw error("expected \(what), found \(Self.describe(b))") }
        cursor.advance()
    }

    /// Reads a string whose opening quote is the next byte.
    mutating func readString() throws(TabularError) -> String {
        try scanString()
        return String(decoding: scratch, as: UTF8.self)
    }

    /// Checks a string whose opening quote is the next byte and drops it (a value no one reads).
    mutating func skipString() throws(TabularError) {
        try scanString()
    }

    /// Consumes a string into `scratch`, unescaped and checked as UTF-8.
    private mutating func scanString() throws(TabularError) {
        let start = cursor.offset
        guard try cursor.next() == UInt8(ascii: "\"") else { throw error("expected a string") }
        scratch.removeAll(keepingCapacity: true)
        while true {
            let found = try cursor.collect(into: &scratch, limit: maxValueBytes) { $0 == 0x22 || $0 == 0x5C || $0 < 0x20 }
            guard found, let b = try cursor.next() else { throw error("unterminated string", at: start) }
            if b == 0x22 { break }
            if b < 0x20 { throw error("control character in string", at: cursor.offset - 1) }
            try readEscape()
            if scratch.count > maxValueBytes {
                throw TabularError(.limitExceeded, "value larger than \(maxValueBytes) bytes (maxFieldBytes)", byteOffset: start)
            }
        }
        var multibyte = false
        let outcome = scratch.withUnsafeBufferPointer { buffer -> UTF8Validation.Outcome in
            guard let base = buffer.baseAddress else { return .valid }
            return UTF8Validation.validate(base, buffer.count, sawMultibyte: &multibyte)
        }
        guard outcome == .valid else {
            throw TabularError(.invalidEncoding, "invalid UTF-8 in string", byteOffset: start)
        }
    }

    private mutating func readEscape() throws(TabularError) {
        guard let e = try cursor.next() else { throw error("unterminated escape") }
        if let simple = JSONScanning.simpleEscape(e) {
            scratch.append(simple)
            return
        }
        switch e {
        case UInt8(ascii: "u"):
            let at = cursor.offset - 2
            var scalar = try readHex4()
            if JSONScanning.isHighSurrogate(scalar) {
                guard try cursor.next() == UInt8(ascii: "\\"), try cursor.next() == UInt8(ascii: "u") else {
                    throw error("invalid \\u escape: lone surrogate", at: at)
                }
                let low = try readHex4()
                guard JSONScanning.isLowSurrogate(low) else { throw error("invalid \\u escape: lone surrogate", at: at) }
                scalar = JSONScanning.combine(high: scalar, low: low)
            } else if JSONScanning.isLowSurrogate(scalar) {
                throw error("invalid \\u escape: lone surrogate", at: at)
            }
            JSONScanning.appendUTF8(scalar, to: &scratch)
        default:
            throw error("invalid escape \\\(Self.describe(e))", at: cursor.offset - 2)
        }
    }

    private mutating func readHex4() throws(TabularError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let h = try cursor.next() else { throw error("unterminated \\u escape") }
            guard let digit = JSONScanning.hexDigit(h) else { throw error("invalid hex digit in \\u escape", at: cursor.offset - 1) }
            value = value << 4 | digit
        }
        return value
    }

    /// Reads a number and returns it exactly as written, after checking the RFC 8259 grammar.
    mutating func readNumber() throws(TabularError) -> String {
        try scanNumber()
        return String(decoding: scratch, as: UTF8.self)
    }

    /// Checks a number and drops it.
    mutating func skipNumber() throws(TabularError) {
        try scanNumber()
    }

    /// Consumes a number into `scratch`, checked against the RFC 8259 grammar.
    private mutating func scanNumber() throws(TabularError) {
        let start = cursor.offset
        scratch.removeAll(keepingCapacity: true)
        _ = try cursor.collect(into: &scratch, limit: maxValueBytes) {
            !(($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x2B || $0 == 0x2E || $0 == 0x65 || $0 == 0x45)
        }
        guard Self.isValidNumber(scratch) else {
            throw error("invalid number \(String(decoding: scratch.prefix(40), as: UTF8.self))", at: start)
        }
    }

    /// Reads `true`, `false` or `null`.
    mutating func readLiteral() throws(TabularError) -> String {
        let start = cursor.offset
        scratch.removeAll(keepingCapacity: true)
        do throws(TabularError) {
            _ = try cursor.collect(into: &scratch, limit: 16) { !($0 >= 0x61 && $0 <= 0x7A) }
        } catch {
            // A word this long is no literal; it is a syntax error, not a value over a limit.
            if error.kind == .limitExceeded { throw self.error("invalid literal: a word of more than 16 letters", at: start) }
            throw error
        }
        switch scratch {
        case Array("true".utf8): return "true"
        case Array("false".utf8): return "false"
        case Array("null".utf8): return "null"
        default:
            if scratch.isEmpty, let b = try cursor.peek() {
                throw error("unexpected \(Self.describe(b))", at: start)
            }
            throw error("invalid literal \(String(decoding: scratch.prefix(16), as: UTF8.self))", at: start)
        }
    }

    static func isValidNumber(_ text: [UInt8]) -> Bool { JSONScanning.isValidNumber(text) }

    static func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x\(String(byte, radix: 16, uppercase: true))"
    }
}
