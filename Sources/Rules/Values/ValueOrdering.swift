import Definitions

/// How `update_if_newer` orders two values of its `newer_by` column: as the column's type,
/// whatever text form the stored value has. A stored `2026-03-15 12:00:00` is later than an
/// incoming `2026-03-15T09:00:00` (ISO `T` and space forms, offsets and the column's `formats`
/// are all read as instants); numbers compare as numbers, even when stored as text.
package struct ValueOrdering: Sendable {
    let type: ColumnType
    let coercion: Coercion

    /// Whether `incoming` is later (greater) than `stored`; nil when either cannot be read as
    /// the column's type, so the two cannot be compared.
    package func isNewer(_ incoming: TypedValue, than stored: TypedValue) -> Bool? {
        switch type {
        case .integer, .decimal:
            guard let a = number(incoming), let b = number(stored) else { return nil }
            return a > b
        case .date, .datetime:
            guard let a = instant(incoming), let b = instant(stored) else { return nil }
            return a.seconds != b.seconds ? a.seconds > b.seconds : a.nanoseconds > b.nanoseconds
        case .text, .boolean, .json:
            // As SQLite orders them: numbers before text, numbers by value, text by bytes.
            switch (number(incoming, textToo: false), number(stored, textToo: false)) {
            case (let a?, let b?): return a > b
            case (nil, .some): return true
            case (.some, nil): return false
            case (nil, nil):
                guard let a = incoming.textValue, let b = stored.textValue else { return nil }
                return Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8)) == false && a != b
            }
        }
    }

    private func number(_ v: TypedValue, textToo: Bool = true) -> Double? {
        switch v {
        case .null: return nil
        case .integer(let i): return Double(i)
        case .real(let d): return d
        case .text(let s):
            guard textToo else { return nil }
            return NumberText.parseDecimal(s, separators: coercion.separators)
                ?? NumberText.parseDecimal(s, separators: NumberText.Separators(decimal: nil, thousands: nil))
        }
    }

    private func instant(_ v: TypedValue) -> (seconds: Int, nanoseconds: UInt64)? {
        guard case .text(let raw) = v else { return nil }
        let s = TextOps.trim(raw)
        var parsed: DateParts?
        if case .success(let p) = DateFormat.parseISODateTime(s) { parsed = p }
        if parsed == nil, case .success(let p) = coercion.parseDate(s) { parsed = p }
        guard let p = parsed else { return nil }
        var nanos = p.fractionDigits
        for _ in p.fractionCount..<9 { nanos *= 10 }
        return (p.orderKey, nanos)
    }
}
