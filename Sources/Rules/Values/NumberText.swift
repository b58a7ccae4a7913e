/// Parsing and printing numbers over UTF-8 bytes, without Foundation or locale.
///
/// Runs once per numeric cell, so it works on the bytes and allocates nothing in the common
/// case; only unusual inputs (exponents, very long mantissas) go through `Double(String)`.
enum NumberText {
    /// Separators a column declared; the decimal separator defaults to ".".
    ///
    /// Plain data (up to 4 UTF-8 bytes each, one scalar) so passing it per cell costs nothing.
    struct Separators: Sendable, Equatable {
        var decimal = Separator(".")
        var thousands = Separator("")

        init(decimal: String? = nil, thousands: String? = nil) {
            if let d = decimal, !d.isEmpty { self.decimal = Separator(d) }
            if let t = thousands, !t.isEmpty { self.thousands = Separator(t) }
        }

        /// Whether both fit (at most 4 UTF-8 bytes each).
        var isValid: Bool { decimal.count > 0 && decimal.count <= 4 && thousands.count <= 4 }
    }

    /// A separator of at most 4 bytes, packed into one word.
    struct Separator: Sendable, Equatable {
        let packed: UInt32
        let count: Int

        init(_ text: String) {
            var p: UInt32 = 0
            for (i, b) in text.utf8.prefix(4).enumerated() { p |= UInt32(b) << (8 * UInt32(i)) }
            packed = p
            count = text.utf8.count
        }
    }

    /// Exact powers of ten a Double holds (10^0 … 10^22).
    private static let powersOfTen: [Double] = (0...22).map { e in
        var v = 1.0
        for _ in 0..<e { v *= 10 }
        return v
    }

    /// Prints a Double as a person would write it: `12`, `12.5`, never `12.0`.
    static func render(_ d: Double) -> String {
        if d.rounded() == d, abs(d) < 1e15 { return String(Int64(d)) }
        return String(d)
    }

    @inline(__always)
    static func isSpace(_ b: UInt8) -> Bool { b == 32 || (b >= 9 && b <= 13) }

    @inline(__always)
    private static func matches(_ sep: Separator, _ b: UnsafeBufferPointer<UInt8>, at i: Int, end: Int) -> Bool {
        let n = sep.count
        guard n > 0, n <= 4, i + n <= end else { return false }
        var k = 0
        while k < n {
            if b[i + k] != UInt8(truncatingIfNeeded: sep.packed >> (8 * UInt32(k))) { return false }
            k += 1
        }
        return true
    }

    /// Trims ASCII whitespace: numbers tolerate the padding spreadsheets add.
    @inline(__always)
    static func trimmedBounds(_ b: UnsafeBufferPointer<UInt8>) -> (Int, Int) {
        var s = 0, e = b.count
        while s < e, isSpace(b[s]) { s += 1 }
        while e > s, isSpace(b[e - 1]) { e -= 1 }
        return (s, e)
    }

    /// An integer: optional sign, digits, thousands separators between digits. "1.0" is not one.
    static func parseInteger(_ text: String, separators: Separators) -> Int64? {
        FormatCheck.withBytes(text) { parseInteger(bytes: $0, separators: separators) }
    }

    static func parseInteger(bytes b: UnsafeBufferPointer<UInt8>, separators: Separators) -> Int64? {
        var (i, end) = trimmedBounds(b)
        guard i < end else { return nil }
        var negative = false
        if b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") { negative = b[i] == UInt8(ascii: "-"); i += 1 }
        var value: Int64 = 0
        var digits = 0
        var lastWasDigit = false
        while i < end {
            let c = b[i]
            if c >= 48 && c <= 57 {
                let (m, o1) = value.multipliedReportingOverflow(by: 10)
                let (a, o2) = negative ? m.subtractingReportingOverflow(Int64(c - 48)) : m.addingReportingOverflow(Int64(c - 48))
                guard !o1, !o2 else { return nil }
                value = a; digits += 1; lastWasDigit = true; i += 1
            } else if lastWasDigit, matches(separators.thousands, b, at: i, end: end) {
                i += separators.thousands.count; lastWasDigit = false
            } else {
                return nil
            }
        }
        return digits > 0 && lastWasDigit ? value : nil
    }

    /// A decimal number: sign, digits with thousands separators, the decimal separator, an
    /// optional exponent. Accepts `.5` and `5.` like PHP's `is_numeric`; rejects inf/nan.
    static func parseDecimal(_ text: String, separators: Separators) -> Double? {
        FormatCheck.withBytes(text) { parseDecimal(bytes: $0, separators: separators) }
    }

    static func parseDecimal(bytes b: UnsafeBufferPointer<UInt8>, separators: Separators) -> Double? {
        var (i, end) = trimmedBounds(b)
        guard i < end else { return nil }
        var negative = false
        if b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") { negative = b[i] == UInt8(ascii: "-"); i += 1 }
        var mantissa: UInt64 = 0
        var significant = 0      // digits folded into mantissa
        var digits = 0
        var fractionDigits = 0
        var inFraction = false
        var lastWasDigit = false
        var exact = true
        var exponentStart = -1
        while i < end {
            let c = b[i]
            if c >= 48 && c <= 57 {
                if significant < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(c - 48)
                    if mantissa != 0 { significant += 1 }
                    if inFraction { fractionDigits += 1 }
                } else {
                    exact = false
                }
                digits += 1; lastWasDigit = true; i += 1
            } else if !inFraction, matches(separators.decimal, b, at: i, end: end) {
                inFraction = true; i += separators.decimal.count; lastWasDigit = false
            } else if !inFraction, lastWasDigit, matches(separators.thousands, b, at: i, end: end) {
                i += separators.thousands.count; lastWasDigit = false
                guard i < end, b[i] >= 48, b[i] <= 57 else { return nil }
            } else if (c == UInt8(ascii: "e") || c == UInt8(ascii: "E")) && digits > 0 {
                exponentStart = i; break
            } else {
                return nil
            }
        }
        guard digits > 0 else { return nil }
        if exponentStart < 0 && exact && mantissa < (1 << 53) && fractionDigits <= 22 {
            let v = Double(mantissa) / powersOfTen[fractionDigits]
            return negative ? -v : v
        }
        // Rare shapes: rebuild a plain ASCII number and let the standard library round it.
        var ascii: [UInt8] = negative ? [UInt8(ascii: "-")] : []
        var k = trimmedBounds(b).0
        if b[k] == UInt8(ascii: "-") || b[k] == UInt8(ascii: "+") { k += 1 }
        var sawDecimal = false
        while k < end {
            if k == exponentStart {
                var j = k + 1
                ascii.append(UInt8(ascii: "e"))
                if j < end, b[j] == UInt8(ascii: "-") || b[j] == UInt8(ascii: "+") { ascii.append(b[j]); j += 1 }
                guard j < end else { return nil }
                while j < end { guard b[j] >= 48, b[j] <= 57 else { return nil }; ascii.append(b[j]); j += 1 }
                break
            }
            if b[k] >= 48 && b[k] <= 57 { ascii.append(b[k]); k += 1 }
            else if !sawDecimal, matches(separators.decimal, b, at: k, end: end) {
                ascii.append(UInt8(ascii: ".")); sawDecimal = true; k += separators.decimal.count
            } else { k += max(1, separators.thousands.count) }
        }
        guard let v = Double(String(decoding: ascii, as: UTF8.self)), v.isFinite else { return nil }
        return v
    }
}
