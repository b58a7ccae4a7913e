/// JSON string literals (RFC 8259 §7): the one escaping every module writes JSON with.
///
/// Escapes `"`, `\` and the C0 controls (`\n`, `\r`, `\t` by name, the rest as `\u00XX`);
/// optionally `/` too, as PHP's `json_encode` does (safe inside `<script>`). Everything else,
/// non-ASCII included, is written as it is (UTF-8).
package enum JSONEscaping {
    /// Whether `byte` must be escaped.
    @inline(__always)
    package static func needsEscape(_ byte: UInt8, escapingSlash: Bool) -> Bool {
        byte < 0x20 || byte == 0x22 || byte == 0x5C || (escapingSlash && byte == 0x2F)
    }

    /// Appends the escaped form of `byte` (which ``needsEscape(_:escapingSlash:)`` said needs it).
    package static func appendEscape(of byte: UInt8, to out: inout [UInt8]) {
        switch byte {
        case 0x22: out += [0x5C, 0x22]
        case 0x5C: out += [0x5C, 0x5C]
        case 0x2F: out += [0x5C, 0x2F]
        case 0x0A: out += [0x5C, UInt8(ascii: "n")]
        case 0x0D: out += [0x5C, UInt8(ascii: "r")]
        case 0x09: out += [0x5C, UInt8(ascii: "t")]
        default:
            let hex: [UInt8] = Array("0123456789abcdef".utf8)
            out += [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
        }
    }

    /// Appends `text`'s UTF-8 bytes, escaped, without quotes.
    package static func appendEscaped<S: Sequence>(_ utf8: S, to out: inout [UInt8], escapingSlash: Bool = false) where S.Element == UInt8 {
        for byte in utf8 {
            if needsEscape(byte, escapingSlash: escapingSlash) { appendEscape(of: byte, to: &out) } else { out.append(byte) }
        }
    }

    /// `text` as a quoted JSON string literal.
    package static func quoted(_ text: String, escapingSlash: Bool = false) -> String {
        if !text.utf8.contains(where: { needsEscape($0, escapingSlash: escapingSlash) }) { return "\"" + text + "\"" }
        var out: [UInt8] = [0x22]
        out.reserveCapacity(text.utf8.count + 8)
        appendEscaped(text.utf8, to: &out, escapingSlash: escapingSlash)
        out.append(0x22)
        return String(decoding: out, as: UTF8.self)
    }
}
