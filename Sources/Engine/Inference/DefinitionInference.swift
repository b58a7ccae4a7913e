import Definitions
import Foundation
import Rules
import Tabular

/// Infers a starter importer definition from a sample file: one column per header, a type for
/// each, `required` where no sampled value was empty, and a suggested key.
///
/// Types are decided by the real compiler: a candidate type (or date pattern) is kept only if a
/// one-column importer of that type accepts every sampled value, so what `ingest new` writes is
/// exactly what `ingest run` will accept.
public struct DefinitionInference {
    /// Rows read from the sample.
    public var sampleRows = 1000

    public init(sampleRows: Int = 1000) { self.sampleRows = sampleRows }

    /// Date patterns tried in order (the first that fits every value wins).
    static let datePatterns = ["yyyy-MM-dd", "dd.MM.yyyy", "dd/MM/yyyy", "MM/dd/yyyy", "yyyy/MM/dd", "d.M.yyyy", "M/d/yyyy"]
    static let dateTimePatterns = ["yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm", "dd.MM.yyyy HH:mm", "dd/MM/yyyy HH:mm"]
    /// Key candidates by name, in order of preference.
    static let keyNames = ["id", "uuid", "sku", "code", "email", "ean", "isbn"]

    /// One inferred column.
    public struct Column: Sendable, Equatable {
        public var header: String
        public var name: String
        public var type: ColumnType
        public var formats: [String]
        public var required: Bool
        public var email: Bool
        public var distinct: Bool
    }

    /// What was inferred, before rendering.
    public struct Result: Sendable {
        public var slug: String
        public var format: String
        public var columns: [Column]
        public var key: String?
        public var rowsSampled: Int
        public var source: [String: String]
    }

    /// Most columns inferred: a definition with more is no starter. Also the cap on the distinct
    /// keys of a JSON/NDJSON sample, whose header is the union of its objects' keys.
    package static let maxColumns = 1000

    /// Reads the first rows of `path` and infers the columns.
    public func infer(slug: String, path: String, fileName: String? = nil) throws -> Result {
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
        guard let header = read, !header.isEmpty else {
            throw EngineError.sourceUnavailable("The sample file is empty: it has no header row.")
        }
        guard header.count <= Self.maxColumns else { throw Self.tooManyColumns("columns") }
        var values: [[String]] = Array(repeating: [], count: header.count)
        var rows = 0
        while rows < sampleRows, let row = try reader.nextRow() {
            // A ragged row would put cells under the wrong headers: leave it out of the sample.
            guard row.cells.count == header.count else { continue }
            rows += 1
            for i in header.indices { values[i].append(i < row.cells.count ? row.cells[i] : "") }
        }
        var names: Set<String> = []
        var columns: [Column] = []
        for (i, h) in header.enumerated() {
            var name = DefinitionInference.snakeCase(h, index: i)
            while names.contains(name) { name += "_\(i + 1)" }
            names.insert(name)
            let sample = values[i]
            let nonEmpty = sample.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            let (type, formats) = DefinitionInference.inferType(nonEmpty)
            let looksLikeEmail = !nonEmpty.isEmpty && (name.contains("email") || name.contains("mail")) && DefinitionInference.allPass(nonEmpty, rules: [RuleSpec(name: "email")])
            columns.append(Column(header: h, name: name, type: type, formats: formats, required: rows > 0 && nonEmpty.count == sample.count,
                                  email: looksLikeEmail, distinct: rows > 0 && nonEmpty.count == sample.count && Set(sample).count == sample.count))
        }
        let key = DefinitionInference.keyNames.lazy.compactMap { k in columns.first { $0.name == k && $0.distinct } }.first
            ?? columns.first { $0.distinct && ($0.name.hasSuffix("_id") || $0.name.hasSuffix("_code")) }
        return Result(slug: slug, format: format.rawValue, columns: columns, key: key?.name, rowsSampled: rows, source: reader.detected)
    }

    static func tooManyColumns(_ what: String) -> EngineError {
        .invalidRequest("The sample has more than \(maxColumns) \(what); 'ingest new' infers at most \(maxColumns) columns. "
            + "Write the definition by hand with the columns you need: an import reads only the keys and columns its definition maps.")
    }

    /// The definition file text (pretty JSON with a `$schema` reference).
    public func render(_ result: Result, table: String? = nil) -> String {
        var columns: [(String, JSONValue)] = []
        for c in result.columns {
            var members: [(String, JSONValue)] = [("from", .string(c.header))]
            if c.type != .text { members.append(("type", .string(c.type.rawValue))) }
            if !c.formats.isEmpty { members.append(("formats", .array(c.formats.map(JSONValue.string)))) }
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
            ("description", .string("Inferred by 'ingest new' from \(result.rowsSampled) sample rows; review the types and rules.")),
            ("source", .object([("type", .string("upload")), ("formats", .array([.string(result.format)]))])),
            ("target", .object(target)),
            ("columns", .object(columns)),
        ])
        return DefinitionInference.unescapeSlashes(document.prettyText) + "\n"
    }

    /// JSONValue escapes `/` like PHP; a hand-edited file reads better without it.
    static func unescapeSlashes(_ s: String) -> String { s.replacingOccurrences(of: "\\/", with: "/") }

    /// `Contact Email` → `contact_email`; `Weight (kg)` → `weight_kg`; a leading digit gets `c_`.
    public static func snakeCase(_ header: String, index: Int) -> String {
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

    /// The narrowest type that accepts every value.
    static func inferType(_ values: [String]) -> (ColumnType, [String]) {
        guard !values.isEmpty else { return (.text, []) }
        // Leading zeros ("007", "0123") are identifiers: keep them as text.
        let hasLeadingZero = values.contains { v in v.count > 1 && v.hasPrefix("0") && !v.hasPrefix("0.") && !v.hasPrefix("0,") }
        if !hasLeadingZero {
            if allPass(values, type: .integer) { return (.integer, []) }
            if allPass(values, type: .decimal) { return (.decimal, []) }
        }
        let words = Set(["true", "false", "yes", "no", "y", "n", "on", "off"])
        if values.allSatisfy({ words.contains($0.lowercased().trimmingCharacters(in: .whitespaces)) }) { return (.boolean, []) }
        for pattern in datePatterns where allPass(values, type: .date, formats: [pattern]) { return (.date, [pattern]) }
        for pattern in dateTimePatterns where allPass(values, type: .datetime, formats: [pattern]) { return (.datetime, [pattern]) }
        return (.text, [])
    }

    /// Whether a one-column importer of `type` (and `rules`) accepts every value.
    static func allPass(_ values: [String], type: ColumnType = .text, formats: [String] = [], rules: [RuleSpec] = []) -> Bool {
        let column = ColumnSpec(name: "v", input: .from(["v"]), type: type, formats: formats, rules: rules)
        let definition = ImporterDefinition(slug: "probe", target: TargetSpec(table: "probe"), columns: [column])
        guard let importer = try? CompiledImporter(definition: definition) else { return false }
        let processor = importer.makeProcessor(resolution: importer.resolve(header: ["v"]), run: RunFacts(id: 0, originalFilename: nil, startedAt: ""))
        return values.allSatisfy { processor.process([$0]).isValid }
    }
}
