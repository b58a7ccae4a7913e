/// A character class of a `ByteRegex`: an ASCII bitmap plus rules for non-ASCII scalars.
///
/// ASCII is decided by two words of bits, so the common case (`[A-Z0-9_]`, `\d`) costs one
/// shift and mask. Non-ASCII scalars are matched by explicit ranges or by the Unicode
/// properties ICU gives `\d`, `\w`, `\s`, because the fallback engine and the tests use ICU.
struct ByteClass: Sendable, Equatable {
    var low: UInt64 = 0
    var high: UInt64 = 0
    /// Non-ASCII scalar ranges that belong to the class.
    var ranges: [ClosedRange<UInt32>] = []
    /// Unicode classes (`\d \w \s`) included for non-ASCII scalars, and their negations (`\D \W \S`).
    var unicodeDigit = false, unicodeWord = false, unicodeSpace = false
    var notUnicodeDigit = false, notUnicodeWord = false, notUnicodeSpace = false
    var negated = false

    mutating func insert(_ byte: UInt8) {
        if byte < 64 { low |= 1 << UInt64(byte) } else if byte < 128 { high |= 1 << UInt64(byte - 64) }
    }

    mutating func insert(range: ClosedRange<UInt32>) {
        let asciiEnd = min(range.upperBound, 127)
        if range.lowerBound <= asciiEnd {
            for b in range.lowerBound...asciiEnd { insert(UInt8(b)) }
        }
        if range.upperBound >= 128 { ranges.append(max(range.lowerBound, 128)...range.upperBound) }
    }

    func containsASCII(_ byte: UInt8) -> Bool {
        byte < 64 ? (low >> UInt64(byte)) & 1 == 1 : (high >> UInt64(byte &- 64)) & 1 == 1
    }

    /// Whether the class only ever matches single ASCII bytes (so the matcher can skip decoding).
    var isASCIIOnly: Bool {
        !negated && ranges.isEmpty && !unicodeDigit && !unicodeWord && !unicodeSpace
            && !notUnicodeDigit && !notUnicodeWord && !notUnicodeSpace
    }

    func contains(scalar: UInt32) -> Bool {
        let inside: Bool
        if scalar < 128 {
            inside = containsASCII(UInt8(scalar))
        } else if ranges.contains(where: { $0.contains(scalar) }) {
            inside = true
        } else if let s = Unicode.Scalar(scalar) {
            let digit = ByteClass.isUnicodeDigit(s), word = ByteClass.isUnicodeWord(s), space = s.properties.isWhitespace
            inside = (unicodeDigit && digit) || (unicodeWord && word) || (unicodeSpace && space)
                || (notUnicodeDigit && !digit) || (notUnicodeWord && !word) || (notUnicodeSpace && !space)
        } else {
            inside = false
        }
        return inside != negated
    }

    /// ICU `\d`: `\p{Nd}`.
    static func isUnicodeDigit(_ s: Unicode.Scalar) -> Bool {
        s.properties.generalCategory == .decimalNumber
    }

    /// ICU `\w`: `[\p{Alphabetic}\p{Mark}\p{Decimal_Number}\p{Connector_Punctuation}\u200c\u200d]`.
    static func isUnicodeWord(_ s: Unicode.Scalar) -> Bool {
        let p = s.properties
        switch p.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation: return true
        default: return p.isAlphabetic || s.value == 0x200C || s.value == 0x200D
        }
    }

    static let digits: ByteClass = {
        var c = ByteClass(); c.insert(range: 48...57); c.unicodeDigit = true; return c
    }()
    static let word: ByteClass = {
        var c = ByteClass(); c.insert(range: 48...57); c.insert(range: 65...90); c.insert(range: 97...122)
        c.insert(UInt8(ascii: "_")); c.unicodeWord = true; return c
    }()
    static let space: ByteClass = {
        var c = ByteClass(); for b: UInt8 in [9, 10, 11, 12, 13, 32] { c.insert(b) }
        c.unicodeSpace = true; return c
    }()
}
