import IngestSupport
/// A compiled date pattern (`yyyy-MM-dd`, `dd.MM.yyyy HH:mm`, `M/d/yy h:mm a`) that parses
/// UTF-8 bytes directly.
///
/// Foundation's DateFormatter costs microseconds per call and depends on locale and time
/// zone; a date column is parsed once per row. Patterns use the ICU letters people know from
/// spreadsheets and Java; PHP's letters (`Y-m-d`) are translated for the `date_format:` rule
/// (as Laravel reads it) and for `formats` entries written `php:d.m.Y`. No pattern is guessed.
final class DateFormat: Sendable {
    /// Plain data (literals packed into a word) so walking the tokens costs no reference counting.
    enum Token: Sendable, Equatable {
        /// Up to 8 bytes, little-endian; longer literals are split into several tokens.
        case literal(packed: UInt64, count: Int)
        /// A number of `min...max` digits stored into a field.
        case number(Field, min: Int, max: Int)
        case fraction(digits: Int)
        case monthName(long: Bool)
        case amPm
        /// `Z`, `+hh:mm`, `+hhmm` or `+hh`.
        case offset
        case iso8601Tail
    }

    enum Field: Sendable, Equatable { case year, twoDigitYear, month, day, hour, hour12, minute, second }

    let tokens: [Token]
    /// The pattern as written, for messages.
    let pattern: String
    let hasTime: Bool

    init(tokens: [Token], pattern: String, hasTime: Bool) {
        self.tokens = tokens; self.pattern = pattern; self.hasTime = hasTime
    }

    /// Literal tokens for `bytes`, 8 bytes per token.
    static func literalTokens(_ bytes: [UInt8]) -> [Token] {
        stride(from: 0, to: bytes.count, by: 8).map { start in
            let chunk = bytes[start..<min(start + 8, bytes.count)]
            var packed: UInt64 = 0
            for (k, b) in chunk.enumerated() { packed |= UInt64(b) << (8 * UInt64(k)) }
            return .literal(packed: packed, count: chunk.count)
        }
    }

    /// The ISO 8601 date a `date` column accepts by default.
    static let isoDate = DateFormat(tokens: [
        .number(.year, min: 4, max: 4), .literal(packed: 45, count: 1), .number(.month, min: 2, max: 2), .literal(packed: 45, count: 1),
        .number(.day, min: 2, max: 2), .iso8601Tail,
    ], pattern: "yyyy-MM-dd", hasTime: false)

    /// Why a value did not parse: wrong shape, or the right shape naming an impossible date.
    enum Failure: Error, Sendable, Equatable { case shape, calendar }

    /// Which letters a pattern is written with.
    enum Syntax: Sendable { case icu, php }

    /// A `formats` entry: ICU letters, or PHP letters after the `php:` prefix.
    static func compileFormatsEntry(_ pattern: String) -> Result<DateFormat, PatternError> {
        let prefix = "php:"
        if pattern.hasPrefix(prefix) { return compile(String(pattern.dropFirst(prefix.count)), syntax: .php) }
        return compile(pattern, syntax: .icu)
    }

    /// Compiles a pattern written with ICU letters, or with PHP's (`syntax: .php`).
    static func compile(_ pattern: String, syntax: Syntax = .icu) -> Result<DateFormat, PatternError> {
        let icu = syntax == .php ? translatePHP(pattern) : .success(pattern)
        guard case .success(let text) = icu else {
            if case .failure(let e) = icu { return .failure(e) }
            return .failure(PatternError(message: "invalid date pattern"))
        }
        let bytes = Array(text.utf8)
        var tokens: [Token] = []
        var literal: [UInt8] = []
        var hasTime = false, hasHour12 = false, hasAmPm = false
        var i = 0
        func flush() { if !literal.isEmpty { tokens.append(contentsOf: literalTokens(literal)); literal = [] } }
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "'") {
                if i + 1 < bytes.count, bytes[i + 1] == c { literal.append(c); i += 2; continue }
                var j = i + 1
                while j < bytes.count, bytes[j] != c { literal.append(bytes[j]); j += 1 }
                guard j < bytes.count else { return .failure(PatternError(message: "unterminated quote in date pattern '\(pattern)'")) }
                i = j + 1
                continue
            }
            let isLetter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
            guard isLetter else { literal.append(c); i += 1; continue }
            var run = 1
            while i + run < bytes.count, bytes[i + run] == c { run += 1 }
            i += run
            flush()
            switch (c, run) {
            case (UInt8(ascii: "y"), 2): tokens.append(.number(.twoDigitYear, min: 2, max: 2))
            case (UInt8(ascii: "y"), 4): tokens.append(.number(.year, min: 4, max: 4))
            case (UInt8(ascii: "y"), _): tokens.append(.number(.year, min: 1, max: 4))
            case (UInt8(ascii: "M"), 1): tokens.append(.number(.month, min: 1, max: 2))
            case (UInt8(ascii: "M"), 2): tokens.append(.number(.month, min: 2, max: 2))
            case (UInt8(ascii: "M"), 3): tokens.append(.monthName(long: false))
            case (UInt8(ascii: "M"), 4): tokens.append(.monthName(long: true))
            case (UInt8(ascii: "d"), 1...2): tokens.append(.number(.day, min: run, max: 2))
            case (UInt8(ascii: "H"), 1...2): tokens.append(.number(.hour, min: run, max: 2)); hasTime = true
            case (UInt8(ascii: "h"), 1...2): tokens.append(.number(.hour12, min: run, max: 2)); hasTime = true; hasHour12 = true
            case (UInt8(ascii: "m"), 1...2): tokens.append(.number(.minute, min: run, max: 2)); hasTime = true
            case (UInt8(ascii: "s"), 1...2): tokens.append(.number(.second, min: run, max: 2)); hasTime = true
            case (UInt8(ascii: "S"), 1...9): tokens.append(.fraction(digits: run)); hasTime = true
            case (UInt8(ascii: "a"), 1): tokens.append(.amPm); hasAmPm = true
            case (UInt8(ascii: "X"), 1...3), (UInt8(ascii: "Z"), 1...3), (UInt8(ascii: "x"), 1...3):
                tokens.append(.offset); hasTime = true
            default:
                let letter = String(repeating: String(UnicodeScalar(c)), count: run)
                return .failure(PatternError(message: "unsupported date pattern letters '\(letter)' in '\(pattern)'"))
            }
        }
        flush()
        guard tokens.contains(where: { if case .number(.year, _, _) = $0 { return true }; if case .number(.twoDigitYear, _, _) = $0 { return true }; return false }),
              tokens.contains(where: { if case .number(.month, _, _) = $0 { return true }; if case .monthName = $0 { return true }; return false }),
              tokens.contains(where: { if case .number(.day, _, _) = $0 { return true }; return false }) else {
            return .failure(PatternError(message: "date pattern '\(pattern)' needs a year, a month and a day"))
        }
        if hasHour12 != hasAmPm {
            return .failure(PatternError(message: "date pattern '\(pattern)' uses 'h' and 'a' together (12-hour clock)"))
        }
        return .success(DateFormat(tokens: tokens, pattern: pattern, hasTime: hasTime))
    }

    /// PHP `date_format` letters → ICU letters; unknown letters are errors, `\x` is a literal.
    static func translatePHP(_ pattern: String) -> Result<String, PatternError> {
        var out = ""
        var escaped = false
        for ch in pattern {
            if escaped { out += ch == "'" ? "''" : "'\(ch)'"; escaped = false; continue }
            switch ch {
            case "\\": escaped = true
            case "Y": out += "yyyy"
            case "y": out += "yy"
            case "m": out += "MM"
            case "n": out += "M"
            case "M": out += "MMM"
            case "F": out += "MMMM"
            case "d": out += "dd"
            case "j": out += "d"
            case "H": out += "HH"
            case "G": out += "H"
            case "h": out += "hh"
            case "g": out += "h"
            case "i": out += "mm"
            case "s": out += "ss"
            case "v": out += "SSS"
            case "u": out += "SSSSSS"
            case "A", "a": out += "a"
            case "P", "p", "O": out += "XXX"
            case "'": out += "''"
            default:
                if ch.isLetter { return .failure(PatternError(message: "unsupported PHP date letter '\(ch)' in '\(pattern)'")) }
                out.append(ch)
            }
        }
        return .success(out)
    }

    /// Parses `text` entirely; the failure tells shape from calendar.
    func parse(_ text: String) -> Result<DateParts, Failure> {
        FormatCheck.withBytes(text) { parse(bytes: $0) }
    }

    func parse(bytes b: UnsafeBufferPointer<UInt8>) -> Result<DateParts, Failure> {
        var p = DateParts()
        p.hasTime = hasTime
        var i = 0
        let n = b.count
        var pm: Bool?
        var hour12 = 0
        for token in tokens {
            switch token {
            case .literal(let packed, let count):
                guard i + count <= n else { return .failure(.shape) }
                for k in 0..<count where b[i + k] != UInt8(truncatingIfNeeded: packed >> (8 * UInt64(k))) {
                    return .failure(.shape)
                }
                i += count
            case .number(let field, let minDigits, let maxDigits):
                var value = 0, count = 0
                while count < maxDigits, i < n, b[i] >= 48, b[i] <= 57 {
                    value = value * 10 + Int(b[i] - 48); i += 1; count += 1
                }
                guard count >= minDigits else { return .failure(.shape) }
                switch field {
                case .year: p.year = value
                case .twoDigitYear: p.year = 2000 + value
                case .month: p.month = value
                case .day: p.day = value
                case .hour: p.hour = value
                case .hour12: hour12 = value
                case .minute: p.minute = value
                case .second: p.second = value
                }
            case .fraction(let digits):
                guard i + digits <= n else { return .failure(.shape) }
                for k in 0..<digits where b[i + k] < 48 || b[i + k] > 57 { return .failure(.shape) }
                p.setFraction(UnsafeBufferPointer(rebasing: b[i..<(i + digits)]))
                i += digits
            case .monthName(let long):
                guard let (month, length) = DateFormat.monthName(b, at: i, long: long) else { return .failure(.shape) }
                p.month = month; i += length
            case .amPm:
                guard i + 2 <= n, b[i + 1] | 0x20 == UInt8(ascii: "m") else { return .failure(.shape) }
                switch b[i] | 0x20 {
                case UInt8(ascii: "a"): pm = false
                case UInt8(ascii: "p"): pm = true
                default: return .failure(.shape)
                }
                i += 2
            case .offset:
                guard let (offset, length) = DateFormat.offset(b, at: i) else { return .failure(.shape) }
                p.offsetSeconds = offset; i += length
            case .iso8601Tail:
                // A date column also takes an ISO date-time at midnight (what XLSX readers emit).
                if i < n {
                    guard let (time, length) = DateFormat.isoTime(b, at: i + 1), b[i] == UInt8(ascii: "T") || b[i] == 32,
                          i + 1 + length == n, time.hour == 0, time.minute == 0, time.second == 0,
                          time.fractionCount == 0, (time.offsetSeconds ?? 0) == 0 else { return .failure(.shape) }
                    i = n
                }
            }
        }
        guard i == n else { return .failure(.shape) }
        if let pm {
            guard hour12 >= 1 && hour12 <= 12 else { return .failure(.calendar) }
            p.hour = hour12 % 12 + (pm ? 12 : 0)
        }
        guard CivilDate.isValid(year: p.year, month: p.month, day: p.day),
              p.hour <= 23, p.minute <= 59, p.second <= 59 else { return .failure(.calendar) }
        if let o = p.offsetSeconds, abs(o) > 18 * 3600 { return .failure(.calendar) }
        return .success(p)
    }

    /// ISO 8601 date-time: `yyyy-MM-dd[T| ]HH:mm[:ss[.f…]][Z|±hh[:mm]]`, or a bare date (midnight).
    static func parseISODateTime(_ text: String) -> Result<DateParts, Failure> {
        FormatCheck.withBytes(text) { parseISODateTime(bytes: $0) }
    }

    static func parseISODateTime(bytes b: UnsafeBufferPointer<UInt8>) -> Result<DateParts, Failure> {
        let n = b.count
        guard n >= 10 else { return .failure(.shape) }
        let datePart = UnsafeBufferPointer(rebasing: b[0..<10])
        var parts: DateParts
        switch isoDate.parse(bytes: datePart) {
        case .success(let p): parts = p
        case .failure(let f): return .failure(f)
        }
        parts.hasTime = true
        if n == 10 { return .success(parts) }
        guard b[10] == UInt8(ascii: "T") || b[10] == 32 || b[10] == UInt8(ascii: "t"),
              let (time, length) = isoTime(b, at: 11), 11 + length == n else { return .failure(.shape) }
        guard time.hour <= 23, time.minute <= 59, time.second <= 59, abs(time.offsetSeconds ?? 0) <= 18 * 3600 else {
            return .failure(.calendar)
        }
        parts.hour = time.hour; parts.minute = time.minute; parts.second = time.second
        parts.fractionDigits = time.fractionDigits; parts.fractionCount = time.fractionCount
        parts.offsetSeconds = time.offsetSeconds
        return .success(parts)
    }

    /// `HH:mm[:ss[.f…]][Z|±hh[:mm]]` at `i`: the parts and the length read.
    static func isoTime(_ b: UnsafeBufferPointer<UInt8>, at start: Int) -> (DateParts, Int)? {
        let n = b.count
        var i = start
        func two() -> Int? {
            guard i + 2 <= n, b[i] >= 48, b[i] <= 57, b[i + 1] >= 48, b[i + 1] <= 57 else { return nil }
            defer { i += 2 }
            return Int(b[i] - 48) * 10 + Int(b[i + 1] - 48)
        }
        var p = DateParts()
        guard let h = two(), i < n, b[i] == UInt8(ascii: ":") else { return nil }
        i += 1
        guard let m = two() else { return nil }
        p.hour = h; p.minute = m
        if i < n, b[i] == UInt8(ascii: ":") {
            i += 1
            guard let s = two() else { return nil }
            p.second = s
            if i < n, b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ",") {
                i += 1
                let start = i
                while i < n, b[i] >= 48, b[i] <= 57 { i += 1 }
                guard i > start else { return nil }
                p.setFraction(UnsafeBufferPointer(rebasing: b[start..<i]))
            }
        }
        if i < n {
            guard let (offset, length) = offset(b, at: i) else { return nil }
            p.offsetSeconds = offset; i += length
        }
        return (p, i - start)
    }

    /// `Z`, `±hh:mm`, `±hhmm`, `±hh` at `i`: seconds east of UTC and the length read.
    static func offset(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> (Int, Int)? {
        let n = b.count
        guard i < n else { return nil }
        if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") { return (0, 1) }
        guard b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") else { return nil }
        let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
        func digit(_ k: Int) -> Int? { k < n && b[k] >= 48 && b[k] <= 57 ? Int(b[k] - 48) : nil }
        guard let h1 = digit(i + 1), let h2 = digit(i + 2) else { return nil }
        let hours = h1 * 10 + h2
        if let m1 = digit(i + 3), let m2 = digit(i + 4) { return (sign * (hours * 3600 + (m1 * 10 + m2) * 60), 5) }
        if i + 3 < n, b[i + 3] == UInt8(ascii: ":"), let m1 = digit(i + 4), let m2 = digit(i + 5) {
            return (sign * (hours * 3600 + (m1 * 10 + m2) * 60), 6)
        }
        return (sign * hours * 3600, 3)
    }

    private static let monthNames: [[UInt8]] = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september",
        "october", "november", "december",
    ].map { Array($0.utf8) }

    /// English month names, case-insensitive: `Jan` / `January`.
    static func monthName(_ b: UnsafeBufferPointer<UInt8>, at i: Int, long: Bool) -> (Int, Int)? {
        for (index, name) in monthNames.enumerated() {
            let length = long ? name.count : 3
            guard i + length <= b.count else { continue }
            var ok = true
            for k in 0..<length where b[i + k] | 0x20 != name[k] { ok = false; break }
            if ok { return (index + 1, length) }
        }
        return nil
    }
}
