import Foundation

/// ISO 8601 UTC timestamps with microseconds, as Laravel renders them: `2023-10-27T10:00:00.000000Z`.
///
/// Written by hand with `gmtime_r` because ISO8601DateFormatter cannot print microseconds.
package enum Timestamp {
    /// Now, formatted.
    package static func now() -> String { format(Date()) }

    package static func format(_ date: Date) -> String {
        let interval = date.timeIntervalSince1970
        var seconds = time_t(interval.rounded(.down))
        let micros = Int(((interval - Double(seconds)) * 1_000_000).rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ",
                      Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
                      Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), micros)
    }

    /// Parses what `format` wrote.
    package static func parse(_ text: String) -> Date? {
        let b = Array(text.utf8)
        guard b.count >= 20 else { return nil }
        func num(_ from: Int, _ len: Int) -> Int? {
            var v = 0
            for i in from..<(from + len) {
                guard i < b.count, b[i] >= 48, b[i] <= 57 else { return nil }
                v = v * 10 + Int(b[i] - 48)
            }
            return v
        }
        guard let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2), let h = num(11, 2), let mi = num(14, 2), let s = num(17, 2) else { return nil }
        var parts = tm()
        parts.tm_year = Int32(y - 1900); parts.tm_mon = Int32(mo - 1); parts.tm_mday = Int32(d)
        parts.tm_hour = Int32(h); parts.tm_min = Int32(mi); parts.tm_sec = Int32(s)
        let secs = timegm(&parts)
        var fraction = 0.0
        if b.count > 20, b[19] == UInt8(ascii: "."), let f = num(20, min(6, b.count - 21)) {
            fraction = Double(f) / pow(10, Double(min(6, b.count - 21)))
        }
        return Date(timeIntervalSince1970: Double(secs) + fraction)
    }
}
