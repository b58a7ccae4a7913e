/// Writes RFC 4180 CSV: fields quoted when they hold a comma, quote, CR or LF; CRLF line ends.
package struct CSVWriter {
    /// Receives encoded bytes; called once per row.
    let sink: ([UInt8]) throws -> Void
    /// Guard against spreadsheet formula injection (OWASP "CSV injection").
    package var neutralizesFormulas: Bool

    package init(neutralizesFormulas: Bool = true, sink: @escaping ([UInt8]) throws -> Void) {
        self.sink = sink
        self.neutralizesFormulas = neutralizesFormulas
    }

    /// Writes one record.
    package func write(_ fields: [String]) throws {
        var out: [UInt8] = []
        out.reserveCapacity(fields.reduce(2) { $0 + $1.utf8.count + 3 })
        for (i, field) in fields.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            CSVWriter.append(neutralizesFormulas ? CSVWriter.neutralize(field) : field, to: &out)
        }
        out.append(0x0D); out.append(0x0A)
        try sink(out)
    }

    static func append(_ field: String, to out: inout [UInt8]) {
        let bytes = field.utf8
        let needsQuotes = bytes.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
        guard needsQuotes else { out.append(contentsOf: bytes); return }
        out.append(UInt8(ascii: "\""))
        for b in bytes {
            if b == UInt8(ascii: "\"") { out.append(b) }
            out.append(b)
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Prefixes `'` to a cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, TAB, CR first).
    ///
    /// Plain numbers such as `-3.00` or `+49` are left alone: a spreadsheet reads them as numbers,
    /// not formulas, and changing them would break the fix-and-re-upload round trip. So that
    /// ``restore(_:)`` can undo exactly what was added, a cell that already starts with `'`
    /// followed by what would be prefixed (`'=x`, `''@x`) gets one more `'` too: the mapping is
    /// one-to-one, and `restore(neutralize(x)) == x` for every `x`.
    package static func neutralize(_ field: String) -> String {
        needsPrefix(Substring(field)) ? "'" + field : field
    }

    /// The inverse of ``neutralize(_:)``: removes the `'` it added, and nothing else. Used when
    /// Ingest's own failed-rows CSV is imported again.
    package static func restore(_ field: String) -> String {
        guard field.utf8.first == UInt8(ascii: "'") else { return field }
        let rest = field.dropFirst()
        return needsPrefix(rest) ? String(rest) : field
    }

    /// Formula-like, or `'` followed by something that needs the prefix.
    private static func needsPrefix(_ field: Substring) -> Bool {
        var text = field
        while true {
            guard let first = text.utf8.first else { return false }
            switch first {
            case UInt8(ascii: "="), UInt8(ascii: "@"), 0x09, 0x0D:
                return true
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                return !isPlainNumber(String(text))
            case UInt8(ascii: "'"):
                text = text.dropFirst()
            default:
                return false
            }
        }
    }

    static func isPlainNumber(_ s: String) -> Bool {
        var sawDigit = false
        var sawDot = false
        for (i, b) in s.utf8.enumerated() {
            switch b {
            case UInt8(ascii: "+"), UInt8(ascii: "-"): if i != 0 { return false }
            case UInt8(ascii: "0")...UInt8(ascii: "9"): sawDigit = true
            case UInt8(ascii: "."): if sawDot { return false }; sawDot = true
            default: return false
            }
        }
        return sawDigit
    }
}
