import Definitions

/// Turns a transformed value into the column's type, or says why it cannot.
///
/// Numbers, booleans and dates are read from the UTF-8 bytes with the column's separators and
/// patterns; surrounding whitespace is tolerated for every type but text.
/// A final class: one instance per column, read per cell without copying its tables.
final class Coercion: Sendable {
    /// A value that does not fit the type: wrong shape, or a well-formed but impossible date.
    enum Failure: Error, Sendable, Equatable { case type, calendar }

    let type: ColumnType
    let separators: NumberText.Separators
    /// Date patterns tried in order; empty means ISO 8601.
    let formats: [DateFormat]
    /// Lower-cased custom boolean spellings; nil means the built-in lists.
    let trueWords: Set<String>?
    let falseWords: Set<String>?

    init(type: ColumnType, separators: NumberText.Separators, formats: [DateFormat], trueWords: Set<String>?, falseWords: Set<String>?) {
        self.type = type; self.separators = separators; self.formats = formats
        self.trueWords = trueWords; self.falseWords = falseWords
    }

    func coerce(_ value: CellValue) -> Result<TypedValue, Failure> {
        switch value {
        case .text(let s): return coerce(text: s)
        case .number(let d): return coerce(number: d)
        case .list(let items):
            var parts: [String] = []
            parts.reserveCapacity(items.count)
            for item in items {
                switch coerce(text: item) {
                case .success(let v): parts.append(Coercion.jsonElement(v, type: type))
                case .failure(let f): return .failure(f)
                }
            }
            return .success(.text("[" + parts.joined(separator: ",") + "]"))
        }
    }

    private static func jsonElement(_ v: TypedValue, type: ColumnType) -> String {
        switch v {
        case .null: return "null"
        case .integer(let i): return type == .boolean ? (i != 0 ? "true" : "false") : String(i)
        case .real(let d): return d.isFinite ? NumberText.render(d) : "null"
        case .text(let s): return type == .json ? s : JSONText.quote(s)
        }
    }

    func coerce(number d: Double) -> Result<TypedValue, Failure> {
        switch type {
        case .text, .date, .datetime: return type == .text ? .success(.text(NumberText.render(d))) : coerce(text: NumberText.render(d))
        case .integer:
            guard d.rounded() == d, abs(d) < 9.2e18 else { return .failure(.type) }
            return .success(.integer(Int64(d)))
        case .decimal: return .success(.real(d))
        case .boolean:
            if d == 1 { return .success(.integer(1)) }
            if d == 0 { return .success(.integer(0)) }
            return .failure(.type)
        case .json: return .success(.text(NumberText.render(d)))
        }
    }

    func coerce(text s: String) -> Result<TypedValue, Failure> {
        switch type {
        case .text:
            return .success(.text(s))
        case .integer:
            guard let i = NumberText.parseInteger(s, separators: separators) else { return .failure(.type) }
            return .success(.integer(i))
        case .decimal:
            guard let d = NumberText.parseDecimal(s, separators: separators) else { return .failure(.type) }
            return .success(.real(d))
        case .boolean:
            guard let b = parseBoolean(s) else { return .failure(.type) }
            return .success(.integer(b ? 1 : 0))
        case .date, .datetime:
            switch parseDate(s) {
            case .success(let parts):
                return .success(.text(type == .date ? parts.dateText : parts.normalizedToUTC().dateTimeText))
            case .failure(let f):
                return .failure(f == .calendar ? .calendar : .type)
            }
        case .json:
            guard let compact = JSONText.compact(s) else { return .failure(.type) }
            return .success(.text(compact))
        }
    }

    /// Parses with the column's patterns (ISO 8601 by default); a calendar failure wins over a
    /// shape failure so "2021-02-30" is reported as an invalid date, not a wrong format.
    func parseDate(_ s: String) -> Result<DateParts, DateFormat.Failure> {
        let trimmed = TextOps.trim(s)  // a no-op (no allocation) when already trimmed
        if formats.isEmpty {
            return type == .datetime ? DateFormat.parseISODateTime(trimmed) : DateFormat.isoDate.parse(trimmed)
        }
        var failure = DateFormat.Failure.shape
        for format in formats {
            switch format.parse(trimmed) {
            case .success(let p): return .success(p)
            case .failure(let f): if f == .calendar { failure = .calendar }
            }
        }
        return .failure(failure)
    }

    /// The built-in spellings, or the column's, case-insensitively.
    func parseBoolean(_ s: String) -> Bool? {
        if let trueWords, let falseWords {
            let key = TextOps.trim(s).lowercased()
            if trueWords.contains(key) { return true }
            if falseWords.contains(key) { return false }
            return nil
        }
        return Coercion.parseDefaultBoolean(s)
    }

    /// `true/false/yes/no/y/n/1/0/on/off`, any case, surrounding whitespace ignored; no allocation.
    static func parseDefaultBoolean(_ s: String) -> Bool? {
        FormatCheck.withBytes(s) { b in
            let (start, end) = NumberText.trimmedBounds(b)
            let n = end - start
            guard n >= 1, n <= 5 else { return nil }
            var word: UInt64 = 0
            for i in start..<end {
                var c = b[i]
                if c >= 65 && c <= 90 { c |= 0x20 }
                word = word << 8 | UInt64(c)
            }
            // The words packed big-endian into one integer: "yes" is 0x79_65_73.
            switch word {
            case 0x31, 0x74_72_75_65, 0x79_65_73, 0x79, 0x6F_6E: return true           // 1 true yes y on
            case 0x30, 0x66_61_6C_73_65, 0x6E_6F, 0x6E, 0x6F_66_66: return false       // 0 false no n off
            default: return nil
            }
        }
    }

}
