import Definitions
import Foundation
import Rules
import Tabular

/// Infers a starter importer definition from a sample file: one column per header, a type for
/// each, `required` where no value was empty, and a suggested key.
///
/// The whole file is streamed (or its first `sampleRows` rows): memory stays bounded whatever
/// its size, apart from the distinct values kept to find keys, which are capped at
/// `distinctBudgetBytes`. Numbers are read by a grammar stricter than the one runs use, and
/// dates, booleans and e-mail addresses by the real compiler, so what `ingest new` writes
/// accepts every row it read.
package struct DefinitionInference {
    /// Rows read from the sample; nil reads the whole file.
    package var sampleRows: Int?
    /// Memory allowed for the distinct values kept to find key columns (64 MiB).
    package var distinctBudgetBytes: Int

    package static let defaultDistinctBudgetBytes = 64 << 20

    package init(sampleRows: Int? = nil, distinctBudgetBytes: Int = DefinitionInference.defaultDistinctBudgetBytes) {
        self.sampleRows = sampleRows
        self.distinctBudgetBytes = distinctBudgetBytes
    }

    /// Key candidates by name, in order of preference.
    static let keyNames = ["id", "uuid", "sku", "code", "email", "ean", "isbn"]

    /// One inferred column.
    package struct Column: Sendable, Equatable {
        package var header: String
        package var name: String
        package var type: ColumnType
        package var formats: [String]
        package var required: Bool
        package var email: Bool
        package var distinct: Bool
        package var decimalSeparator: String? = nil
        package var thousandsSeparator: String? = nil
        /// Why the header was renamed (an empty or repeated header cell), for the notes.
        package var generated: String? = nil
        /// When the memory bound stopped the distinct check early: the rows it covered.
        package var distinctRows: Int? = nil
    }

    /// What was inferred, before rendering.
    package struct Result: Sendable {
        package var slug: String
        package var format: String
        package var columns: [Column]
        package var key: String?
        package var rowsSampled: Int
        package var source: [String: String]
        /// Whether every row of the file was read (no `--sample` limit reached).
        package var wholeFile = true
        /// Rows left out because their number of cells differs from the header's.
        package var raggedRows = 0
        /// Sentences for the user: renamed headers, skipped columns, ambiguous numbers.
        package var notes: [String] = []
    }

    /// Progress of the read, for a terminal.
    package struct Progress: Sendable {
        package var rows: Int
        package var bytesRead: Int64
        package var totalBytes: Int64?
    }

    /// Most columns inferred: a definition with more is no starter. Also the cap on the distinct
    /// keys of a JSON/NDJSON sample, whose header is the union of its objects' keys.
    package static let maxColumns = 1000

    /// Reads `path` (all of it, or `sampleRows` rows) and infers the columns.
    package func infer(slug: String, path: String, fileName: String? = nil,
                       progress: ((Progress) -> Void)? = nil) throws -> Result {
        let format = try TableReaders.detectFormat(path: path, fileName: fileName ?? path)
        var options = ReadOptions()
        options.format = format
        options.limits.maxJSONHeaderKeys = Self.maxColumns
        let reader = try TableReaders.open(path: path, fileName: fileName ?? path, options: options)
        let read: [String]?
        do {
            read = try reader.readHeader()
        } catch {
            throw error.kind == .tooManyColumns ? Self.tooManyColumns("distinct keys") : error
        }
        guard let raw = read, !raw.isEmpty else {
            throw EngineError.sourceUnavailable("The sample file is empty: it has no header row.")
        }
        guard raw.count <= Self.maxColumns else { throw Self.tooManyColumns("columns") }
        let header = SourceHeader.prepare(raw)
        let columnNames = Self.columnNames(for: header)
        let probes = DateProbes()
        var profiles = columnNames.map { ColumnProfile(name: $0, probes: probes) }
        var distinct = DistinctTracker(columns: header.count, budgetBytes: distinctBudgetBytes)
        var rows = 0
        var ragged = 0
        var wholeFile = true
        while true {
            if let limit = sampleRows, rows >= limit {
                wholeFile = try reader.nextRow() == nil
                break
            }
            guard let row = try reader.nextRow() else { break }
            var cells = row.cells
            // As a run does: trailing empty cells past the header are padding; a row of another
            // width fails in a run, so it says nothing about the columns.
            while cells.count > header.count, cells.last?.isEmpty == true { cells.removeLast() }
            guard cells.count == header.count else { ragged += 1; continue }
            rows += 1
            for i in cells.indices { profiles[i].add(cells[i]) }
            distinct.add(cells, row: rows)
            if rows % 8192 == 0 { progress?(Progress(rows: rows, bytesRead: reader.bytesRead, totalBytes: reader.totalBytes)) }
        }
        progress?(Progress(rows: rows, bytesRead: reader.bytesRead, totalBytes: reader.totalBytes))
        let continental = reader.detected["delimiter"] == ";"
        var notes: [String] = []
        var columns: [Column] = []
        for (i, h) in header.enumerated() {
            let profile = profiles[i]
            let name = columnNames[i]
            var generated: String?
            if SourceHeader.isGenerated(raw, index: i) {
                if profile.nonEmpty == 0 {
                    notes.append("Column \(i + 1) has no header and no values: left out.")
                    continue
                }
                generated = "empty header cell"
                notes.append("Column \(i + 1) has an empty header: its values are read under the generated header '\(h)' (column '\(name)').")
            } else if h != raw[i] {
                generated = "repeated header"
                notes.append("Column \(i + 1) repeats the header '\(raw[i])': it is read as '\(h)' (column '\(name)').")
            }
            var column = Column(header: h, name: name, type: .text, formats: [], required: rows > 0 && profile.empties == 0,
                                email: false, distinct: rows > 0 && distinct.isDistinct(i), generated: generated,
                                distinctRows: distinct.checkedRows(i))
            if profile.nonEmpty > 0 { Self.chooseType(&column, profile, continental: continental, notes: &notes) }
            columns.append(column)
        }
        // Columns distinct over every row read first, then those checked on fewer rows.
        let ranked = columns.filter { $0.distinct && $0.distinctRows == nil } + columns.filter { $0.distinct && $0.distinctRows != nil }
        let key = Self.suggestedKey(ranked, names: columnNames, profiles: profiles)
        return Result(slug: slug, format: format.rawValue, columns: columns, key: key?.name, rowsSampled: rows, source: reader.detected,
                      wholeFile: wholeFile, raggedRows: ragged, notes: notes)
    }

    /// A snake_case column name per header cell, unique.
    static func columnNames(for header: [String]) -> [String] {
        var names: Set<String> = []
        var columnNames: [String] = []
        for (i, h) in header.enumerated() {
            var name = DefinitionInference.snakeCase(h, index: i)
            while names.contains(name) { name += "_\(i + 1)" }
            names.insert(name)
            columnNames.append(name)
        }
        return columnNames
    }

    /// The type a column's values all fit (number, boolean, date), with its separators or date
    /// formats; notes an ambiguous number style.
    private static func chooseType(_ column: inout Column, _ profile: ColumnProfile, continental: Bool, notes: inout [String]) {
        if let number = profile.numbers.choice(continental: continental) {
            column.type = number.integer ? .integer : .decimal
            column.decimalSeparator = number.decimalSeparator
            column.thousandsSeparator = number.thousandsSeparator
            if profile.numbers.isAmbiguous() {
                notes.append("Column '\(column.name)': values such as 1,234 or 1.234 read either way; read with "
                    + (number.decimalSeparator.map { "decimal separator '\($0)'" } ?? "decimal separator '.'")
                    + (number.thousandsSeparator.map { " and thousands separator '\($0)'" } ?? "")
                    + (continental ? " (a ';'-delimited file)" : "") + ". Check decimal_separator and thousands_separator.")
            }
        } else if profile.booleans {
            column.type = .boolean
        } else if let (type, formats) = profile.dates.choice() {
            column.type = type
            column.formats = formats
        }
        column.email = column.type == .text && profile.emails?.all == true
    }

    /// The key to suggest among the distinct columns (ranked): a well-known name, then `_id` or
    /// `_code`, then an identifier-like column.
    private static func suggestedKey(_ ranked: [Column], names columnNames: [String], profiles: [ColumnProfile]) -> Column? {
        return Self.keyNames.lazy.compactMap { k in ranked.first { $0.name == k } }.first
            ?? ranked.first { $0.name.hasSuffix("_id") || $0.name.hasSuffix("_code") }
            ?? ranked.first { c in
                // Else an identifier-like column: integers, or short text without spaces.
                guard let p = columnNames.firstIndex(of: c.name).map({ profiles[$0] }) else { return false }
                return c.type == .integer || (c.type == .text && p.maxBytes <= 64 && !p.anySpace)
            }
    }

    static func tooManyColumns(_ what: String) -> EngineError {
        .invalidRequest("The sample has more than \(maxColumns) \(what); 'ingest new' infers at most \(maxColumns) columns. "
            + "Write the definition by hand with the columns you need: an import reads only the keys and columns its definition maps.")
    }

    /// The definition file text (pretty JSON with a `$schema` reference).
    package func render(_ result: Result, table: String? = nil) -> String {
        var columns: [(String, JSONValue)] = []
        for c in result.columns {
            var members: [(String, JSONValue)] = [("from", .string(c.header))]
            if c.type != .text { members.append(("type", .string(c.type.rawValue))) }
            if !c.formats.isEmpty { members.append(("formats", .array(c.formats.map(JSONValue.string)))) }
            if let d = c.decimalSeparator { members.append(("decimal_separator", .string(d))) }
            if let t = c.thousandsSeparator { members.append(("thousands_separator", .string(t))) }
            var rules: [String] = [c.required ? "required" : "nullable"]
            if c.email { rules.append("email") }
            members.append(("rules", .string(rules.joined(separator: "|"))))
            columns.append((c.name, .object(members)))
        }
        var target: [(String, JSONValue)] = [("table", .string(table ?? DefinitionInference.snakeCase(result.slug, index: 0)))]
        if let key = result.key {
            target.append(("key", .array([.string(key)])))
            target.append(("on_duplicate", .string("update")))
        }
        let document: JSONValue = .object([
            ("$schema", .string("../schemas/importer.schema.json")),
            ("name", .string(result.slug.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " "))),
            ("description", .string("Inferred by 'ingest new' from \(result.wholeFile ? "all \(result.rowsSampled) rows of" : "the first \(result.rowsSampled) rows of") the sample; review the types and rules.")),
            ("source", .object([("type", .string("upload")), ("formats", .array([.string(result.format)]))])),
            ("target", .object(target)),
            ("columns", .object(columns)),
        ])
        return DefinitionInference.unescapeSlashes(document.prettyText) + "\n"
    }

    /// JSONValue escapes `/` like PHP; a hand-edited file reads better without it.
    static func unescapeSlashes(_ s: String) -> String { s.replacingOccurrences(of: "\\/", with: "/") }

    /// `Contact Email` → `contact_email`; `Weight (kg)` → `weight_kg`; a leading digit gets `c_`.
    package static func snakeCase(_ header: String, index: Int) -> String {
        var out = ""
        var lastUnderscore = true
        let folded = header.folding(options: [.diacriticInsensitive], locale: nil)
        var previousLower = false
        for scalar in folded.unicodeScalars {
            let c = Character(scalar)
            if c.isLetter || c.isNumber, scalar.isASCII {
                if c.isUppercase && previousLower && !lastUnderscore { out.append("_") }
                out.append(Character(c.lowercased()))
                lastUnderscore = false
                previousLower = c.isLowercase || c.isNumber
            } else if !lastUnderscore {
                out.append("_")
                lastUnderscore = true
                previousLower = false
            }
        }
        while out.hasSuffix("_") { out.removeLast() }
        if out.isEmpty { out = "column_\(index + 1)" }
        if let f = out.first, f.isNumber { out = "c_" + out }
        return out
    }
}
