import Definitions
import Rules

/// What `ingest list` and `GET /importers` show of one importer.
package struct ImporterSummary: Sendable {
    package var slug: String
    package var name: String?
    package var description: String?
    package var sourceType: String?
    package var table: String?
    package var formats: [String]
    package var definitionHash: String
    package var fileName: String
    /// Load errors of the file as it is now (a previous good version may still be served).
    package var problems: [String]
    package var servesPreviousVersion: Bool
    package var loadedAt: String

    init(_ loaded: LoadedDefinition) {
        slug = loaded.slug
        name = loaded.definition?.name
        description = loaded.definition?.description
        sourceType = loaded.definition?.source.type.rawValue
        table = loaded.definition?.target.table
        formats = loaded.definition.map { $0.source.formats.isEmpty ? FileFormat.allCases.map(\.rawValue) : $0.source.formats.map(\.rawValue) } ?? []
        definitionHash = loaded.contentHash
        fileName = loaded.fileName
        problems = loaded.problems.map(\.description)
        servesPreviousVersion = loaded.isServingPreviousVersion
        loadedAt = Timestamp.format(loaded.loadedAt)
    }

    package var json: JSONValue {
        .object([
            ("slug", .string(slug)),
            ("name", .optional(name)),
            ("description", .optional(description)),
            ("source", .optional(sourceType)),
            ("target_table", .optional(table)),
            ("formats", .array(formats.map(JSONValue.string))),
            ("definition_hash", .string(definitionHash)),
            ("file", .string(fileName)),
            ("valid", .bool(problems.isEmpty)),
            ("serving_previous_version", .bool(servesPreviousVersion)),
            ("errors", .array(problems.map(JSONValue.string))),
            ("loaded_at", .string(loadedAt)),
        ])
    }
}

extension ImporterSummary {
    /// Every importer file of `directory`, valid or not, by slug, read without an engine (and
    /// so without opening the database): what `ingest list` shows.
    package static func all(in directory: String) -> [ImporterSummary] {
        DefinitionRegistry(directory: directory).all().map(ImporterSummary.init)
    }
}

extension IngestEngine {
    /// Every importer file, valid or not, by slug.
    package func importerSummaries() -> [ImporterSummary] {
        registry.all().map(ImporterSummary.init)
    }

    /// One importer's summary plus its compiled column plan.
    package func importerDetail(_ slug: String) throws(EngineError) -> JSONValue {
        guard let loaded = registry.loaded(slug: slug) else { throw .importerNotFound(slug: slug) }
        var members = ImporterSummary(loaded).json.objectValue ?? []
        if let definition = loaded.definition, let compiled = try? CompiledImporter(definition: definition) {
            members.append(("key", .array(definition.target.key.map(JSONValue.string))))
            members.append(("on_duplicate", .string(definition.target.onDuplicate.rawValue)))
            members.append(("transaction", .string(definition.transaction.rawValue)))
            members.append(("chunk_size", .integer(Int64(definition.chunkSize))))
            members.append(("columns", .array(zip(definition.columns, compiled.columns).map { spec, column in
                var c: [(String, JSONValue)] = [("name", .string(column.name)), ("type", .string(column.type.rawValue)), ("sql_type", .string(column.sqlType))]
                switch spec.input {
                case .from(let names): c.append(("from", .array(names.map(JSONValue.string))))
                case .value(let v): c.append(("value", .optional(v.text)))
                case .template(let t): c.append(("template", .string(t)))
                }
                c.append(("transforms", .array(spec.transforms.map { .string($0.label) })))
                c.append(("rules", .array(spec.rules.map { .string(([$0.name] + [$0.arguments.joined(separator: ",")].filter { !$0.isEmpty }).joined(separator: ":")) })))
                if let l = column.lookup { c.append(("lookup", .object([("table", .string(l.table)), ("match", .string(l.match)), ("select", .string(l.select)), ("on_missing", .string(l.onMissing.rawValue)), ("create_missing", .bool(l.createMissing))]))) }
                return .object(c)
            })))
        }
        return .object(members)
    }
}

extension TransformSpec {
    /// A short label of the step for the column plan: `trim`, `replace:a→b`, `round:2`.
    var label: String {
        switch self {
        case .trim: "trim"
        case .collapseWhitespace: "collapse_whitespace"
        case .lowercase: "lowercase"
        case .uppercase: "uppercase"
        case .titleCase: "title_case"
        case .slug: "slug"
        case .stripNonDigits: "strip_non_digits"
        case .replace(let from, let to): "replace:\(from)→\(to)"
        case .regexReplace(let pattern, let with): "regex_replace:\(pattern)→\(with)"
        case .nullIf(let values): "null_if:" + values.joined(separator: ",")
        case .map(let table, _): "map (\(table.count) value\(table.count == 1 ? "" : "s"))"
        case .prefix(let text): "prefix:\(text)"
        case .suffix(let text): "suffix:\(text)"
        case .padLeft(let length, let with): "pad_left:\(length),\(with)"
        case .substring(let start, let length): "substring:\(start)" + (length.map { ",\($0)" } ?? "")
        case .multiply(let factor): "multiply:\(factor)"
        case .divide(let divisor): "divide:\(divisor)"
        case .round(let places): "round:\(places)"
        case .split(let separator): "split:\(separator)"
        case .concat(let columns, let separator): "concat:" + columns.joined(separator: "+") + (separator.isEmpty ? "" : " with '\(separator)'")
        }
    }
}
