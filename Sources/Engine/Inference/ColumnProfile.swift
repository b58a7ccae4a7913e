import Foundation
import Definitions
import Rules

/// What `ingest new` learns about one column while it streams the file: empties, number
/// spellings, date patterns, booleans, e-mail addresses. Memory per column is bounded
/// (a cache of date answers); distinct values are kept by `DistinctTracker`.
struct ColumnProfile {
    var values = 0
    var empties = 0
    /// The longest value in characters (UTF-8 bytes), and whether any value holds a space:
    /// what makes a text column look like an identifier.
    var maxBytes = 0
    var anySpace = false
    var numbers = NumberStyles()
    var booleans = true
    var dates: DateProfile
    var emails: EmailProfile?

    init(name: String, probes: DateProbes) {
        dates = DateProfile(probes: probes)
        emails = name.contains("mail") ? EmailProfile() : nil
    }

    static let booleanWords: Set<String> = ["true", "false", "yes", "no", "y", "n", "on", "off", "1", "0"]

    mutating func add(_ value: String) {
        values += 1
        if Self.isBlank(value) { empties += 1; return }
        let bytes = value.utf8.count
        maxBytes = max(maxBytes, bytes)
        // Only short values can make an identifier: longer ones need no scan.
        if !anySpace && maxBytes <= 64 {
            var v = value
            anySpace = v.withUTF8 { b in b.baseAddress.map { memchr($0, 32, b.count) != nil } ?? false }
        }
        numbers.add(value)
        if booleans { booleans = Self.booleanWords.contains(value.lowercased()) }
        dates.add(value)
        emails?.add(value)
    }

    var nonEmpty: Int { values - empties }

    /// Only whitespace, as `required` sees it (RowProcessor.isBlank).
    @inline(__always)
    static func isBlank(_ s: String) -> Bool {
        guard let first = s.utf8.first else { return true }
        if first < 0x80 && first != 32 && !(first >= 9 && first <= 13) { return false }
        return s.allSatisfy(\.isWhitespace)
    }
}

/// Whether every value is an e-mail address as the `email` rule sees it (its own check).
struct EmailProfile {
    private(set) var all = true

    mutating func add(_ value: String) {
        if all { all = FormatCheck.isEmail(value) }
    }
}

/// A one-row importer over the header `v`, run by the real compiler: what it accepts, `ingest
/// run` accepts.
struct Probe {
    private let processor: RowProcessor
    let count: Int

    init?(columns: [ColumnSpec]) {
        let definition = ImporterDefinition(slug: "probe", target: TargetSpec(table: "probe"), columns: columns)
        guard let importer = try? CompiledImporter(definition: definition) else { return nil }
        processor = importer.makeProcessor(resolution: importer.resolve(header: ["v"]), run: RunFacts(id: 0, originalFilename: nil, startedAt: ""))
        count = columns.count
    }

    /// For each column, whether it accepts the row.
    func passing(_ row: [String]) -> [Bool] {
        let outcome = processor.process(row)
        var ok = Array(repeating: true, count: count)
        for error in outcome.errors { if let i = Int(error.column.dropFirst()) { ok[i] = false } }
        return ok
    }
}

/// Date and date-time patterns `ingest new` tries, with a probe per shape of value.
final class DateProbes {
    struct Pattern {
        let type: ColumnType
        /// Empty: the type's ISO 8601 default.
        let format: String
        /// Day-first and month-first patterns with the same separator exclude each other.
        let order: String
    }

    static let patterns: [Pattern] = [
        .init(type: .date, format: "", order: "ymd"),
        .init(type: .date, format: "yyyy-MM-dd", order: "ymd"),
        .init(type: .date, format: "dd.MM.yyyy", order: "dmy."),
        .init(type: .date, format: "d.M.yyyy", order: "dmy."),
        .init(type: .date, format: "dd/MM/yyyy", order: "dmy/"),
        .init(type: .date, format: "d/M/yyyy", order: "dmy/"),
        .init(type: .date, format: "MM/dd/yyyy", order: "mdy/"),
        .init(type: .date, format: "M/d/yyyy", order: "mdy/"),
        .init(type: .date, format: "yyyy/MM/dd", order: "ymd"),
        .init(type: .date, format: "dd-MM-yyyy", order: "dmy-"),
        .init(type: .datetime, format: "", order: "ymd"),
        .init(type: .datetime, format: "yyyy-MM-dd HH:mm:ss", order: "ymd"),
        .init(type: .datetime, format: "yyyy-MM-dd'T'HH:mm:ss", order: "ymd"),
        .init(type: .datetime, format: "yyyy-MM-dd HH:mm", order: "ymd"),
        .init(type: .datetime, format: "yyyy-MM-dd'T'HH:mm", order: "ymd"),
        .init(type: .datetime, format: "dd.MM.yyyy HH:mm", order: "dmy."),
        .init(type: .datetime, format: "dd.MM.yyyy HH:mm:ss", order: "dmy."),
        .init(type: .datetime, format: "dd/MM/yyyy HH:mm", order: "dmy/"),
        .init(type: .datetime, format: "dd/MM/yyyy HH:mm:ss", order: "dmy/"),
        .init(type: .datetime, format: "MM/dd/yyyy HH:mm", order: "mdy/"),
        .init(type: .datetime, format: "MM/dd/yyyy HH:mm:ss", order: "mdy/"),
        .init(type: .datetime, format: "yyyy/MM/dd HH:mm:ss", order: "ymd"),
    ]

    /// Per value shape (digit runs as `9`), the patterns of that shape and their probe.
    private var byShape: [String: (indexes: [Int], probe: Probe?)] = [:]

    /// `2021-03-04 10:15` → `9-9-9 9:9`.
    static func shape(_ s: some StringProtocol) -> String {
        var out = ""
        var inDigits = false
        for u in s.unicodeScalars {
            if u.value >= 48 && u.value <= 57 {
                if !inDigits { out.unicodeScalars.append("9"); inDigits = true }
            } else {
                inDigits = false
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// The pattern's own shape: letter runs as `9`, quoted literals as written.
    static func shape(pattern: String) -> String {
        var out = ""
        var inLetters = false
        var quoted = false
        for c in pattern {
            if c == "'" { quoted.toggle(); inLetters = false; continue }
            if !quoted && c.isLetter {
                if !inLetters { out.append("9"); inLetters = true }
            } else {
                inLetters = false
                out.append(c)
            }
        }
        return out
    }

    /// Bit i set: pattern i accepts the value.
    func mask(_ value: String) -> UInt32 {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard trimmed.utf8.count >= 6, trimmed.utf8.count <= 40, let f = trimmed.utf8.first, f >= 48, f <= 57 else { return 0 }
        let shape = Self.shape(trimmed)
        let entry: (indexes: [Int], probe: Probe?)
        if let known = byShape[shape] {
            entry = known
        } else {
            let indexes = Self.patterns.indices.filter { i in
                let p = Self.patterns[i]
                return p.format.isEmpty ? shape.hasPrefix("9-9-9") : Self.shape(pattern: p.format) == shape
            }
            let columns = indexes.enumerated().map { k, i in
                let p = Self.patterns[i]
                return ColumnSpec(name: "p\(k)", input: .from(["v"]), type: p.type, formats: p.format.isEmpty ? [] : [p.format])
            }
            entry = (indexes, indexes.isEmpty ? nil : Probe(columns: columns))
            if byShape.count < 256 { byShape[shape] = entry }
        }
        guard let probe = entry.probe else { return 0 }
        var mask: UInt32 = 0
        for (k, ok) in probe.passing([value]).enumerated() where ok { mask |= 1 << UInt32(entry.indexes[k]) }
        return mask
    }
}

/// Which date patterns a column's values fit: the distinct masks with their counts, so a
/// list of patterns that covers every value can be chosen at the end.
struct DateProfile {
    let probes: DateProbes
    private(set) var alive = true
    private var masks: [UInt32: Int] = [:]
    private var cache: [String: UInt32] = [:]

    init(probes: DateProbes) { self.probes = probes }

    mutating func add(_ value: String) {
        guard alive else { return }
        let mask: UInt32
        if let known = cache[value] {
            mask = known
        } else {
            mask = probes.mask(value)
            if cache.count < 65_536 { cache[value] = mask }
        }
        guard mask != 0 else { alive = false; masks = [:]; cache = [:]; return }
        masks[mask, default: 0] += 1
    }

    /// The type and the shortest list of formats (in the preference order) that reads every
    /// value, never mixing day-first and month-first patterns of one separator; nil when none.
    func choice() -> (ColumnType, [String])? {
        guard alive, !masks.isEmpty else { return nil }
        for type in [ColumnType.date, .datetime] {
            // The type's ISO default, when it reads every value, needs no formats.
            if let iso = DateProbes.patterns.firstIndex(where: { $0.type == type && $0.format.isEmpty }),
               masks.keys.allSatisfy({ $0 & (1 << UInt32(iso)) != 0 }) {
                return (type, [])
            }
            let candidates = DateProbes.patterns.indices.filter { DateProbes.patterns[$0].type == type && !DateProbes.patterns[$0].format.isEmpty }
            var remaining = masks
            var chosen: [Int] = []
            while !remaining.isEmpty {
                var best: (Int, Int)?
                for i in candidates where !chosen.contains(i) {
                    let p = DateProbes.patterns[i]
                    if chosen.contains(where: { c in
                        let q = DateProbes.patterns[c]
                        return q.order.dropFirst(3) == p.order.dropFirst(3) && q.order.prefix(3) != p.order.prefix(3) && p.order.count > 3
                    }) { continue }
                    let covered = remaining.reduce(0) { $0 + ($1.key & (1 << UInt32(i)) != 0 ? $1.value : 0) }
                    if covered > 0, covered > (best?.1 ?? 0) { best = (i, covered) }
                }
                guard let (pick, _) = best else { chosen = []; break }
                chosen.append(pick)
                remaining = remaining.filter { $0.key & (1 << UInt32(pick)) == 0 }
            }
            if !chosen.isEmpty { return (type, chosen.map { DateProbes.patterns[$0].format }) }
        }
        return nil
    }
}
