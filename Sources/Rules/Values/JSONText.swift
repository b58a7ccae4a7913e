import IngestSupport
/// Validates JSON text and prints it compactly, preserving key order and number spelling.
///
/// `json` columns store what was sent, minus insignificant whitespace; JSONSerialization would
/// reorder keys and reformat numbers, so this small recursive-descent reader is used instead.
enum JSONText {
    /// Deepest nesting accepted, in containers: deeper input is refused rather than risking the stack.
    static let maxDepth = 256

    /// The compact form of `text`, or nil when it is not one valid JSON value.
    static func compact(_ text: String) -> String? {
        var out: [UInt8] = []
        let ok: Bool = FormatCheck.withBytes(text) { b in
            out.reserveCapacity(b.count)
            var reader = Reader(b: b, out: [])
            reader.skipSpace()
            guard reader.value(depth: 0) else { return false }
            reader.skipSpace()
            guard reader.i == b.count else { return false }
            out = reader.out
            return true
        }
        return ok ? String(decoding: out, as: UTF8.self) : nil
    }

    /// A JSON string literal for `s` (used to print split lists).
    static func quote(_ s: String) -> String { JSONEscaping.quoted(s) }

    private struct Reader {
        let b: UnsafeBufferPointer<UInt8>
        var out: [UInt8]
        var i = 0

        init(b: UnsafeBufferPointer<UInt8>, out: [UInt8]) { self.b = b; self.out = out }

        mutating func skipSpace() {
            while i < b.count, b[i] == 32 || b[i] == 9 || b[i] == 10 || b[i] == 13 { i += 1 }
        }

        mutating func value(depth: Int) -> Bool {
            guard i < b.count, depth <= JSONText.maxDepth else { return false }
            switch b[i] {
            case UInt8(ascii: "{"):
                out.append(b[i]); i += 1; skipSpace()
                if i < b.count, b[i] == UInt8(ascii: "}") { out.append(b[i]); i += 1; return true }
                while true {
                    guard i < b.count, b[i] == UInt8(ascii: "\""), string() else { return false }
                    skipSpace()
                    guard i < b.count, b[i] == UInt8(ascii: ":") else { return false }
                    out.append(b[i]); i += 1; skipSpace()
                    guard value(depth: depth + 1) else { return false }
                    skipSpace()
                    guard i < b.count else { return false }
                    if b[i] == UInt8(ascii: ",") { out.append(b[i]); i += 1; skipSpace(); continue }
                    if b[i] == UInt8(ascii: "}") { out.append(b[i]); i += 1; return true }
                    return false
                }
            case UInt8(ascii: "["):
                out.append(b[i]); i += 1; skipSpace()
                if i < b.count, b[i] == UInt8(ascii: "]") { out.append(b[i]); i += 1; return true }
                while true {
                    guard value(depth: depth + 1) else { return false }
                    skipSpace()
                    guard i < b.count else { return false }
                    if b[i] == UInt8(ascii: ",") { out.append(b[i]); i += 1; skipSpace(); continue }
                    if b[i] == UInt8(ascii: "]") { out.append(b[i]); i += 1; return true }
                    return false
                }
            case UInt8(ascii: "\""):
                return string()
            case UInt8(ascii: "t"): return word("true")
            case UInt8(ascii: "f"): return word("false")
            case UInt8(ascii: "n"): return word("null")
            default:
                return number()
            }
        }

        mutating func word(_ w: StaticString) -> Bool {
            let n = w.utf8CodeUnitCount
            guard i + n <= b.count else { return false }
            let p = w.utf8Start
            for k in 0..<n where b[i + k] != p[k] { return false }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[i..<(i + n)]))
            i += n
            return true
        }

        mutating func string() -> Bool {
            let start = i
            i += 1
            while i < b.count {
                let c = b[i]
                if c == UInt8(ascii: "\"") {
                    i += 1
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: b[start..<i]))
                    return true
                }
                if c < 0x20 { return false }
                if c == UInt8(ascii: "\\") {
                    guard i + 1 < b.count else { return false }
                    switch b[i + 1] {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                         UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                        i += 2
                    case UInt8(ascii: "u"):
                        guard i + 6 <= b.count else { return false }
                        for k in 2..<6 where HexDigit.value(b[i + k]) == nil { return false }
                        i += 6
                    default:
                        return false
                    }
                    continue
                }
                i += 1
            }
            return false
        }

        mutating func number() -> Bool {
            let start = i
            if i < b.count, b[i] == UInt8(ascii: "-") { i += 1 }
            guard i < b.count, FormatCheck.isDigit(b[i]) else { return false }
            if b[i] == 48 { i += 1 } else { while i < b.count, FormatCheck.isDigit(b[i]) { i += 1 } }
            if i < b.count, b[i] == UInt8(ascii: ".") {
                i += 1
                guard i < b.count, FormatCheck.isDigit(b[i]) else { return false }
                while i < b.count, FormatCheck.isDigit(b[i]) { i += 1 }
            }
            if i < b.count, b[i] | 0x20 == UInt8(ascii: "e") {
                i += 1
                if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
                guard i < b.count, FormatCheck.isDigit(b[i]) else { return false }
                while i < b.count, FormatCheck.isDigit(b[i]) { i += 1 }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[start..<i]))
            return true
        }
    }
}
