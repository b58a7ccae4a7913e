/// The byte-level pieces of reading JSON text (RFC 8259) that every parser of the package shares:
/// escapes, `\u` hex digits and surrogate pairs, UTF-8 encoding of a scalar, the number grammar.
///
/// Each parser keeps its own loop (positions for definitions, streaming for data files, speed
/// for stored rows) and its own error type; what a valid escape or number is, is decided here.
package enum JSONScanning {
    /// The byte a one-character escape stands for (`\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`);
    /// nil for `u` (four hex digits follow) and for anything that is not an escape.
    @inline(__always)
    package static func simpleEscape(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "\""): return 0x22
        case UInt8(ascii: "\\"): return 0x5C
        case UInt8(ascii: "/"): return 0x2F
        case UInt8(ascii: "b"): return 0x08
        case UInt8(ascii: "f"): return 0x0C
        case UInt8(ascii: "n"): return 0x0A
        case UInt8(ascii: "r"): return 0x0D
        case UInt8(ascii: "t"): return 0x09
        default: return nil
        }
    }

    /// The value of one hex digit, either case; nil otherwise.
    @inline(__always)
    package static func hexDigit(_ byte: UInt8) -> UInt32? {
        switch byte {
        case 0x30...0x39: return UInt32(byte - 0x30)
        case 0x41...0x46: return UInt32(byte - 0x41 + 10)
        case 0x61...0x66: return UInt32(byte - 0x61 + 10)
        default: return nil
        }
    }

    /// Whether a `\u` value is the first half of a surrogate pair.
    package static func isHighSurrogate(_ value: UInt32) -> Bool { (0xD800...0xDBFF).contains(value) }
    /// Whether a `\u` value is the second half of a surrogate pair.
    package static func isLowSurrogate(_ value: UInt32) -> Bool { (0xDC00...0xDFFF).contains(value) }

    /// The scalar a surrogate pair encodes (RFC 8259 §7).
    package static func combine(high: UInt32, low: UInt32) -> UInt32 {
        0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
    }

    /// Appends the UTF-8 encoding of `scalar` (a valid Unicode scalar value).
    package static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (scalar >> 6)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (scalar >> 12)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (scalar >> 18)))
            out.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }

    /// Whether `text` is exactly one JSON number: `-`? int (`.` digits)? (`e`|`E` (`+`|`-`)? digits)?,
    /// without leading zeros.
    @inlinable  // specialized where it is called: unspecialized, its nested function boxed `i` on every call
    package static func isValidNumber<C: RandomAccessCollection>(_ text: C) -> Bool where C.Element == UInt8, C.Index == Int {
        var i = text.startIndex
        let end = text.endIndex
        func digits() -> Int {
            let start = i
            while i < end && text[i] >= 0x30 && text[i] <= 0x39 { i += 1 }
            return i - start
        }
        if i < end && text[i] == 0x2D { i += 1 }
        guard i < end else { return false }
        if text[i] == 0x30 { i += 1 } else if digits() == 0 { return false }
        if i < end && text[i] == 0x2E {
            i += 1
            guard digits() > 0 else { return false }
        }
        if i < end && (text[i] == 0x65 || text[i] == 0x45) {
            i += 1
            if i < end && (text[i] == 0x2B || text[i] == 0x2D) { i += 1 }
            guard digits() > 0 else { return false }
        }
        return i == end
    }
}
