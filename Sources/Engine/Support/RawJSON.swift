import IngestSupport
/// JSON text that is already encoded and known to be one well-formed JSON value (RFC 8259, valid
/// UTF-8), to be copied into a larger document as it is.
///
/// Ingest stores row data, row errors and run summaries as JSON it wrote itself; a response that
/// embeds them copies these bytes instead of parsing them into ``JSONValue``s and writing them
/// out again, which was most of the CPU time of `GET /{id}`. The bytes are checked once, when
/// read from the database (``init(validating:)``, a single pass without allocation): text edited
/// by hand into something that is not JSON is refused there, so it can never reach a response.
package struct RawJSON: Sendable, Equatable {
    /// The JSON text, UTF-8.
    package let bytes: [UInt8]

    /// `bytes` if they hold exactly one JSON value (surrounding whitespace allowed) and are valid
    /// UTF-8; nil otherwise. With `requireObject`, the value must be an object.
    package init?(validating bytes: [UInt8], requireObject: Bool = false) {
        let valid = bytes.withUnsafeBufferPointer { JSONSyntaxValidator.isValid($0, requireObject: requireObject) }
        guard valid else { return nil }
        self.bytes = bytes
    }

    /// The compact text of `value`.
    package init(encoded value: JSONValue) {
        bytes = Array(value.text.utf8)
    }

    /// The value these bytes hold, parsed.
    package var value: JSONValue {
        // Validated at creation with the same grammar the parser accepts.
        (try? JSONValue.parse(bytes: bytes)) ?? .null
    }
}

/// A JSON syntax check over bytes: no values built, no allocation, nesting capped like the
/// parser's (512 levels).
enum JSONSyntaxValidator {
    static let maxDepth = 512

    static func isValid(_ b: UnsafeBufferPointer<UInt8>, requireObject: Bool) -> Bool {
        var i = 0
        skipWhitespace(b, &i)
        if requireObject && (i >= b.count || b[i] != UInt8(ascii: "{")) { return false }
        guard value(b, &i, depth: 0) else { return false }
        skipWhitespace(b, &i)
        return i == b.count
    }

    @inline(__always)
    private static func skipWhitespace(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int) {
        while i < b.count {
            switch b[i] {
            case 0x20, 0x09, 0x0A, 0x0D: i += 1
            default: return
            }
        }
    }

    private static func value(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int, depth: Int) -> Bool {
        guard i < b.count else { return false }
        switch b[i] {
        case UInt8(ascii: "\""): return string(b, &i)
        case UInt8(ascii: "{"):
            guard depth < maxDepth else { return false }
            i += 1
            skipWhitespace(b, &i)
            if i < b.count && b[i] == UInt8(ascii: "}") { i += 1; return true }
            while true {
                guard i < b.count, b[i] == UInt8(ascii: "\""), string(b, &i) else { return false }
                skipWhitespace(b, &i)
                guard i < b.count, b[i] == UInt8(ascii: ":") else { return false }
                i += 1
                skipWhitespace(b, &i)
                guard value(b, &i, depth: depth + 1) else { return false }
                skipWhitespace(b, &i)
                guard i < b.count else { return false }
                if b[i] == UInt8(ascii: "}") { i += 1; return true }
                guard b[i] == UInt8(ascii: ",") else { return false }
                i += 1
                skipWhitespace(b, &i)
            }
        case UInt8(ascii: "["):
            guard depth < maxDepth else { return false }
            i += 1
            skipWhitespace(b, &i)
            if i < b.count && b[i] == UInt8(ascii: "]") { i += 1; return true }
            while true {
                guard value(b, &i, depth: depth + 1) else { return false }
                skipWhitespace(b, &i)
                guard i < b.count else { return false }
                if b[i] == UInt8(ascii: "]") { i += 1; return true }
                guard b[i] == UInt8(ascii: ",") else { return false }
                i += 1
                skipWhitespace(b, &i)
            }
        case UInt8(ascii: "t"): return literal(b, &i, "true")
        case UInt8(ascii: "f"): return literal(b, &i, "false")
        case UInt8(ascii: "n"): return literal(b, &i, "null")
        default: return number(b, &i)
        }
    }

    private static func literal(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int, _ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard b.count - i >= n else { return false }
        let w = word.utf8Start
        for k in 0..<n where b[i + k] != w[k] { return false }
        i += n
        return true
    }

    private static func number(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> Bool {
        func digits(_ i: inout Int) -> Int {
            let start = i
            while i < b.count, b[i] >= UInt8(ascii: "0"), b[i] <= UInt8(ascii: "9") { i += 1 }
            return i - start
        }
        if i < b.count && b[i] == UInt8(ascii: "-") { i += 1 }
        guard i < b.count else { return false }
        if b[i] == UInt8(ascii: "0") {
            i += 1
        } else if digits(&i) == 0 {
            return false
        }
        if i < b.count && b[i] == UInt8(ascii: ".") {
            i += 1
            guard digits(&i) > 0 else { return false }
        }
        if i < b.count && (b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E")) {
            i += 1
            if i < b.count && (b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-")) { i += 1 }
            guard digits(&i) > 0 else { return false }
        }
        return true
    }

    /// A string starting at the quote at `i`: escapes as RFC 8259 allows (a `\u` escape names a
    /// scalar: surrogates only as a high-low pair), no raw control characters, valid UTF-8.
    private static func string(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> Bool {
        i += 1
        guard let base = b.baseAddress else { return false }
        while i < b.count {
            // Eight bytes at a time while none of them is special (most of a stored row).
            while b.count - i >= 8 && !hasSpecialByte(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)) { i += 8 }
            guard i < b.count else { return false }
            let c = b[i]
            if c == UInt8(ascii: "\"") { i += 1; return true }
            if c < 0x20 { return false }
            if c == UInt8(ascii: "\\") {
                i += 1
                guard i < b.count else { return false }
                switch b[i] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                     UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    i += 1
                case UInt8(ascii: "u"):
                    i += 1
                    guard let unit = hex4(b, &i) else { return false }
                    if unit >= 0xD800 && unit <= 0xDBFF {
                        guard b.count - i >= 2, b[i] == UInt8(ascii: "\\"), b[i + 1] == UInt8(ascii: "u") else { return false }
                        i += 2
                        guard let low = hex4(b, &i), low >= 0xDC00, low <= 0xDFFF else { return false }
                    } else if unit >= 0xDC00 && unit <= 0xDFFF {
                        return false
                    }
                default: return false
                }
                continue
            }
            if c < 0x80 { i += 1; continue }
            guard utf8Sequence(b, &i) else { return false }
        }
        return false
    }

    /// Whether any of the eight bytes in `word` is a quote, a backslash, a control character or
    /// not ASCII (SWAR; a false positive only sends the bytes to the byte-by-byte loop).
    @inline(__always)
    private static func hasSpecialByte(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let below20 = (word &- ones &* 0x20) & ~word
        let quoteZero = (quote &- ones) & ~quote
        let backslashZero = (backslash &- ones) & ~backslash
        return (word | below20 | quoteZero | backslashZero) & high != 0
    }

    private static func hex4(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> UInt32? {
        guard b.count - i >= 4 else { return nil }
        var unit: UInt32 = 0
        for _ in 0..<4 {
            let c = b[i]
            let digit: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = c - UInt8(ascii: "A") + 10
            default: return nil
            }
            unit = unit << 4 | UInt32(digit)
            i += 1
        }
        return unit
    }

    /// One multi-byte UTF-8 sequence at `i` (the lead byte is ≥ 0x80), as Unicode 15 table 3-7
    /// allows: no overlong forms, no surrogates, nothing above U+10FFFF.
    private static func utf8Sequence(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> Bool {
        guard let (count, low, high) = UTF8Lead.bounds(b[i]) else { return false }
        guard b.count - i >= count else { return false }
        let second = b[i + 1]
        guard second >= low && second <= high else { return false }
        for k in 2..<max(count, 2) where !(b[i + k] >= 0x80 && b[i + k] <= 0xBF) { return false }
        i += count
        return true
    }
}
