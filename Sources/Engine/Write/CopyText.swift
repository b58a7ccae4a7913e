import Rules

/// Builds the body of a `COPY … FROM STDIN` in PostgreSQL's text format: one line per row,
/// columns separated by tabs, NULL as `\N`, and a text's backslash, tab, newline and carriage
/// return escaped, so every byte of a value reads back exactly.
struct CopyText {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 1 << 16) { bytes.reserveCapacity(capacity) }

    mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    /// Appends a column separator (before every column but a row's first).
    @inline(__always)
    mutating func separator() { bytes.append(0x09) }

    @inline(__always)
    mutating func endRow() { bytes.append(0x0A) }

    mutating func null() { bytes.append(0x5C); bytes.append(0x4E) }  // \N

    mutating func integer(_ value: Int64) { bytes.append(contentsOf: String(value).utf8) }

    /// A real as Swift prints it (the shortest text that reads back as the same double);
    /// infinities and NaN in the spelling PostgreSQL reads.
    mutating func real(_ value: Double) {
        if value.isNaN { bytes.append(contentsOf: "NaN".utf8); return }
        if value.isInfinite { bytes.append(contentsOf: (value < 0 ? "-Infinity" : "Infinity").utf8); return }
        bytes.append(contentsOf: String(value).utf8)
    }

    /// A text's UTF-8 bytes, escaped.
    mutating func text(_ utf8: UnsafeBufferPointer<UInt8>) {
        for b in utf8 {
            switch b {
            case 0x5C: bytes.append(0x5C); bytes.append(0x5C)  // \\
            case 0x09: bytes.append(0x5C); bytes.append(0x74)  // \t
            case 0x0A: bytes.append(0x5C); bytes.append(0x6E)  // \n
            case 0x0D: bytes.append(0x5C); bytes.append(0x72)  // \r
            default: bytes.append(b)
            }
        }
    }

    mutating func text(_ string: String) {
        var s = string
        s.withUTF8 { text($0) }
    }

    mutating func value(_ v: TypedValue) {
        switch v {
        case .null: null()
        case .integer(let i): integer(i)
        case .real(let d): real(d)
        case .text(let s): text(s)
        }
    }
}

/// PostgreSQL array literals for `= ANY(?)`: one parameter holding every value, each element
/// double-quoted with `"` and `\` escaped, so any text travels as itself.
enum PostgresArray {
    static func literal(_ texts: [String]) -> String {
        var out = "{"
        for (i, t) in texts.enumerated() {
            if i > 0 { out += "," }
            out += "\""
            for ch in t.unicodeScalars {
                if ch == "\"" || ch == "\\" { out += "\\" }
                out.unicodeScalars.append(ch)
            }
            out += "\""
        }
        return out + "}"
    }
}
