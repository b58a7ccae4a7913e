import Engine
import IngestSupport

/// Writes a `JSONValue` straight to UTF-8 bytes, byte for byte the same as `JSONValue.text`.
///
/// Response bodies are bytes; building a `String` scalar by scalar first (as `text` does) was
/// half the CPU time of `GET /{id}` in a profile. Here every string is copied as runs of UTF-8
/// bytes, and only the ASCII characters JSON requires escaped (plus `/`, escaped like PHP's
/// `json_encode` and `JSONValue.text`) are written one by one.
enum JSONBytesWriter {
    /// The compact JSON text of `value` as UTF-8.
    static func bytes(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        write(value, to: &out)
        return out
    }

    /// `{"data": value}`, the envelope of every resource, as UTF-8.
    static func resourceBytes(_ value: JSONValue) -> [UInt8] {
        bytes(.object([("data", value)]))
    }

    static func write(_ value: JSONValue, to out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let flag): out.append(contentsOf: (flag ? "true" : "false").utf8)
        case .integer(let number): out.append(contentsOf: String(number).utf8)
        case .number(let number):
            if !number.isFinite {
                out.append(contentsOf: "null".utf8)
            } else if number.rounded() == number && abs(number) < 1e15 {
                out.append(contentsOf: String(Int64(number)).utf8)
            } else {
                out.append(contentsOf: String(number).utf8)
            }
        case .string(let text): writeString(text, to: &out)
        case .raw(let raw): out.append(contentsOf: raw.bytes)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                write(item, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (index, (key, member)) in members.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                writeString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                write(member, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }


    static func writeString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            var runStart = 0
            for index in 0..<bytes.count where needsEscape(bytes[index]) {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                appendEscape(of: bytes[index], to: &out)
                runStart = index + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Control characters, quote, backslash and `/`; every other byte (UTF-8 included) is copied.
    @inline(__always)
    private static func needsEscape(_ byte: UInt8) -> Bool { JSONEscaping.needsEscape(byte, escapingSlash: true) }

    private static func appendEscape(of byte: UInt8, to out: inout [UInt8]) { JSONEscaping.appendEscape(of: byte, to: &out) }
}
