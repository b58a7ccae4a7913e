import IngestSupport
/// A parsed date or date-time, before it is printed as ISO 8601 text.
struct DateParts: Sendable, Equatable {
    var year = 0, month = 1, day = 1
    var hour = 0, minute = 0, second = 0
    /// Fraction-of-second digits as written, without trailing zeros (.250 is digits 25, count 2),
    /// kept as plain numbers so a parsed date costs no allocation.
    var fractionDigits: UInt64 = 0
    var fractionCount = 0
    /// Seconds east of UTC, when the text carried an offset or `Z`.
    var offsetSeconds: Int?
    var hasTime = false

    /// Sets the fraction from digits as written, dropping trailing zeros; at most 9 digits count.
    mutating func setFraction<C: Collection>(_ digits: C) where C.Element == UInt8 {
        var value: UInt64 = 0, count = 0
        for d in digits.prefix(9) { value = value * 10 + UInt64(d - 48); count += 1 }
        while count > 0 && value % 10 == 0 { value /= 10; count -= 1 }
        fractionDigits = value; fractionCount = count
    }

    /// Shifts to UTC when an offset was given, so stored values compare as text.
    func normalizedToUTC() -> DateParts {
        guard let offset = offsetSeconds, offset != 0 else {
            var p = self; p.offsetSeconds = nil; return p
        }
        var total = CivilDate.days(year: year, month: month, day: day) * 86_400
            + hour * 3600 + minute * 60 + second - offset
        var p = self
        p.offsetSeconds = nil
        let days = total >= 0 ? total / 86_400 : (total - 86_399) / 86_400
        total -= days * 86_400
        (p.year, p.month, p.day) = CivilDate.civil(days: days)
        p.hour = total / 3600; p.minute = total % 3600 / 60; p.second = total % 60
        return p
    }

    /// Seconds since 1970 (UTC when an offset was given): the order `before`/`after` use.
    var orderKey: Int {
        CivilDate.days(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second
            - (offsetSeconds ?? 0)
    }

    /// `yyyy-MM-dd`. Built in place: ten bytes make a small string, so no heap allocation.
    var dateText: String {
        String(unsafeUninitializedCapacity: 10) { buf in writeDate(into: buf) }
    }

    /// `yyyy-MM-ddTHH:mm:ss`, with `.fraction` only when one was given.
    var dateTimeText: String {
        String(unsafeUninitializedCapacity: 20 + fractionCount) { buf in
            var i = writeDate(into: buf)
            func put2(_ v: Int) { buf[i] = UInt8(48 + v / 10 % 10); buf[i + 1] = UInt8(48 + v % 10); i += 2 }
            buf[i] = UInt8(ascii: "T"); i += 1
            put2(hour); buf[i] = UInt8(ascii: ":"); i += 1
            put2(minute); buf[i] = UInt8(ascii: ":"); i += 1
            put2(second)
            if fractionCount > 0 {
                buf[i] = UInt8(ascii: "."); i += 1
                var divisor: UInt64 = 1
                for _ in 1..<fractionCount { divisor *= 10 }
                var rest = fractionDigits
                while divisor > 0 { buf[i] = UInt8(48 + rest / divisor); rest %= divisor; divisor /= 10; i += 1 }
            }
            return i
        }
    }

    private func writeDate(into buf: UnsafeMutableBufferPointer<UInt8>) -> Int {
        let y = max(0, min(9999, year))
        buf[0] = UInt8(48 + y / 1000); buf[1] = UInt8(48 + y / 100 % 10)
        buf[2] = UInt8(48 + y / 10 % 10); buf[3] = UInt8(48 + y % 10)
        buf[4] = UInt8(ascii: "-"); buf[5] = UInt8(48 + month / 10 % 10); buf[6] = UInt8(48 + month % 10)
        buf[7] = UInt8(ascii: "-"); buf[8] = UInt8(48 + day / 10 % 10); buf[9] = UInt8(48 + day % 10)
        return 10
    }
}
