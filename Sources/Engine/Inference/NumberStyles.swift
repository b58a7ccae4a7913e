/// Which number spellings a column's values share: the decimal separator, the thousands
/// separator, and whether every value is an integer, over a whole file, value by value.
///
/// The grammar is a strict subset of what a column with those separators accepts
/// (`Rules/Values/NumberText`), so a column inferred numeric imports every value it saw:
/// an optional sign, digits, a thousands separator only between groups of exactly three digits
/// (the first group 1 to 3), one decimal separator followed by digits, an optional exponent of
/// one or two digits. A value whose integer part has a leading zero (`01400`) fits no style:
/// it is a code, not a number. Decimals keep at most 15 significant digits and integers at most
/// 18 digits, so nothing is rounded when stored.
///
/// Each value is reduced to a signature (its runs of digits, classed 1, 2, 3 or more, and the
/// separator after each); what every style makes of a signature is computed once and cached.
struct NumberStyles {
    /// A decimal separator and an optional thousands separator.
    struct Style: Equatable {
        let decimal: Character
        let thousands: Character?
    }

    /// Separator characters, by code 1…6.
    static let separators: [Character] = [".", ",", " ", "\u{A0}", "\u{202F}", "'"]

    /// Every style considered: English conventions first, then continental ones.
    static let all: [Style] = [
        .init(decimal: ".", thousands: nil), .init(decimal: ".", thousands: ","), .init(decimal: ",", thousands: nil),
        .init(decimal: ",", thousands: "."), .init(decimal: ".", thousands: " "), .init(decimal: ",", thousands: " "),
        .init(decimal: ".", thousands: "\u{A0}"), .init(decimal: ",", thousands: "\u{A0}"),
        .init(decimal: ".", thousands: "\u{202F}"), .init(decimal: ",", thousands: "\u{202F}"),
        .init(decimal: ".", thousands: "'"), .init(decimal: ",", thousands: "'"),
    ]

    /// The order styles are preferred in when several read every value: `all`'s, or the
    /// decimal-comma styles first (a `;`-delimited file).
    static func preference(continental: Bool) -> [Int] {
        continental ? all.indices.filter { all[$0].decimal == "," } + all.indices.filter { all[$0].decimal == "." } : Array(all.indices)
    }

    private static func code(_ c: Character?) -> UInt64 {
        guard let c, let i = separators.firstIndex(of: c) else { return 0 }
        return UInt64(i + 1)
    }

    private static let codes: [(decimal: UInt64, thousands: UInt64)] = all.map { (code($0.decimal), code($0.thousands)) }

    /// Per style (bit i): still reads every value, used its decimal / thousands separator, read
    /// every value as an integer, read every value exactly.
    private(set) var alive: UInt16 = (1 << UInt16(all.count)) - 1
    private(set) var usedDecimal: UInt16 = 0
    private(set) var usedThousands: UInt16 = 0
    private(set) var allInteger: UInt16 = (1 << UInt16(all.count)) - 1
    private(set) var allExact: UInt16 = (1 << UInt16(all.count)) - 1
    private var cache: [UInt64: Readings] = [:]

    var anyAlive: Bool { alive != 0 }

    /// What each style makes of one signature.
    private struct Readings {
        var fits: UInt16 = 0, decimal: UInt16 = 0, thousands: UInt16 = 0, integer: UInt16 = 0
    }

    /// Reads one non-empty value.
    mutating func add(_ raw: String) {
        guard alive != 0 else { return }
        var raw = raw
        guard let (signature, runs, digits, significant) = raw.withUTF8({ Self.signature($0) }) else { alive = 0; return }
        let readings: Readings
        if let known = cache[signature] {
            readings = known
        } else {
            readings = Self.read(signature, runs: runs)
            if cache.count < 4096 { cache[signature] = readings }
        }
        alive &= readings.fits
        usedDecimal |= readings.decimal & alive
        usedThousands |= readings.thousands & alive
        allInteger &= digits > 18 ? 0 : readings.integer | ~readings.fits
        if significant > 15 { allExact = 0 }
    }

    /// Bits 0…1: digits class of the first run (0: 1 digit, 1: 2, 2: 3, 3: more); then 3 bits of
    /// separator code and 2 bits of digits class per further run; bit 60: an exponent; bit 61:
    /// the first digit is 0 and more digits follow in its run; bit 62: the first digit is 0.
    /// Nil when the value is no number in any style.
    private static func signature(_ b: UnsafeBufferPointer<UInt8>) -> (UInt64, Int, Int, Int)? {
        var i = 0, end = b.count
        while i < end, b[i] == 32 || (b[i] >= 9 && b[i] <= 13) { i += 1 }
        while end > i, b[end - 1] == 32 || (b[end - 1] >= 9 && b[end - 1] <= 13) { end -= 1 }
        if i < end, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") { i += 1 }
        guard i < end else { return nil }
        var sig: UInt64 = 0
        var shift: UInt64 = 0
        var runs = 0
        var runDigits = 0
        var digits = 0
        var significant = 0
        var firstZero = false
        func closeRun() { sig |= UInt64(min(runDigits, 4) - 1) << shift; shift += 2; runs += 1 }
        while i < end {
            let c = b[i]
            if c >= 48 && c <= 57 {
                if digits == 0 { firstZero = c == 48; if firstZero { sig |= 1 << 62 } }
                if significant > 0 || c != 48 { significant += 1 }
                if runs == 0 && runDigits == 1 && firstZero { sig |= 1 << 61 }
                runDigits += 1; digits += 1; i += 1
                continue
            }
            if (c == UInt8(ascii: "e") || c == UInt8(ascii: "E")) && runDigits > 0 {
                var j = i + 1
                if j < end, b[j] == UInt8(ascii: "-") || b[j] == UInt8(ascii: "+") { j += 1 }
                guard end - j >= 1, end - j <= 2, (j..<end).allSatisfy({ b[$0] >= 48 && b[$0] <= 57 }) else { return nil }
                closeRun()
                return (sig | 1 << 60, runs, digits, significant)
            }
            var code: UInt64 = 0
            var width = 1
            switch c {
            case UInt8(ascii: "."): code = 1
            case UInt8(ascii: ","): code = 2
            case 32: code = 3
            case 0xC2 where i + 1 < end && b[i + 1] == 0xA0: code = 4; width = 2
            case 0xE2 where i + 2 < end && b[i + 1] == 0x80 && b[i + 2] == 0xAF: code = 5; width = 3
            case UInt8(ascii: "'"): code = 6
            default: return nil
            }
            guard runDigits > 0, runs < 10 else { return nil }
            closeRun()
            sig |= code << shift
            shift += 3
            runDigits = 0
            i += width
        }
        guard runDigits > 0 else { return nil }
        closeRun()
        return (sig, runs, digits, significant)
    }

    /// What every style makes of a signature.
    private static func read(_ sig: UInt64, runs: Int) -> Readings {
        var out = Readings()
        let exponent = sig & (1 << 60) != 0
        let leadingZero = sig & (1 << 61) != 0
        let firstDigitZero = sig & (1 << 62) != 0
        for (s, style) in codes.enumerated() {
            var shift: UInt64 = 0
            var inFraction = false
            var usedDecimal = false, usedThousands = false
            var fits = !leadingZero
            var previousSeparator: UInt64 = 0
            for k in 0..<runs where fits {
                let digitsClass = (sig >> shift) & 3
                shift += 2
                if inFraction {
                    if k != runs - 1 { fits = false }
                } else if k > 0 {
                    if previousSeparator == style.thousands && digitsClass != 2 { fits = false }
                } else if runs > 1 {
                    let separator = (sig >> shift) & 7
                    if separator == style.thousands && (digitsClass == 3 || firstDigitZero) { fits = false }
                }
                guard fits, k < runs - 1 else { break }
                let separator = (sig >> shift) & 7
                shift += 3
                previousSeparator = separator
                if separator == style.decimal && !inFraction {
                    inFraction = true; usedDecimal = true
                } else if separator == style.thousands && style.thousands != 0 && !inFraction {
                    usedThousands = true
                } else {
                    fits = false
                }
            }
            guard fits else { continue }
            let bit: UInt16 = 1 << UInt16(s)
            out.fits |= bit
            if usedDecimal { out.decimal |= bit }
            if usedThousands { out.thousands |= bit }
            if !inFraction && !exponent { out.integer |= bit }
        }
        return out
    }

    /// The chosen reading: integer or decimal, with the separators the values used.
    struct Choice: Equatable {
        var integer: Bool
        var decimalSeparator: String?
        var thousandsSeparator: String?
    }

    private func has(_ mask: UInt16, _ i: Int) -> Bool { mask & (1 << UInt16(i)) != 0 }

    /// The first style of the preference that reads every value as an integer or an exact
    /// decimal; nil when none does.
    func choice(continental: Bool) -> Choice? {
        for i in Self.preference(continental: continental) where has(alive, i) && (has(allInteger, i) || has(allExact, i)) {
            let style = Self.all[i]
            let thousands = has(usedThousands, i) ? style.thousands.map(String.init) : nil
            // A decimal comma is written when used, and always beside a "." thousands
            // separator (which would otherwise imply it anyway).
            let decimal = style.decimal == "," && (has(usedDecimal, i) || thousands == ".") ? "," : nil
            return Choice(integer: has(allInteger, i), decimalSeparator: decimal, thousandsSeparator: thousands)
        }
        return nil
    }

    /// Whether styles that read the values differently (`1,234` as 1234 or as 1.234) both
    /// read every value: the choice then rests on the preference.
    func isAmbiguous() -> Bool {
        let viable = Self.all.indices.filter { has(alive, $0) && (has(allInteger, $0) || has(allExact, $0)) && (has(usedDecimal, $0) || has(usedThousands, $0)) }
        let readings = Set(viable.map { i -> String in
            let s = Self.all[i]
            return (has(usedDecimal, i) ? "d\(s.decimal)" : "") + (has(usedThousands, i) ? "t\(s.thousands.map(String.init) ?? "")" : "")
        })
        return readings.count > 1
    }
}
