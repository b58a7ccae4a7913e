import Definitions
@testable import Rules

/// Factories for definitions and one-row runs, so each test states only what it is about.
enum Fixture {
    static let run = RunFacts(id: 42, originalFilename: "feed.csv", startedAt: "2026-11-29T10:30:00Z")

    /// Rules as a Laravel string (`required|min:2|in:a,b`); regex arguments stay whole.
    static func rules(_ text: String) -> [RuleSpec] {
        guard !text.isEmpty else { return [] }
        var specs: [RuleSpec] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            let part: Substring
            if rest.hasPrefix("regex:") || rest.hasPrefix("not_regex:") {
                // `/…/flags` may contain `|`: take up to the closing delimiter and flags.
                let colon = rest.firstIndex(of: ":")!
                let body = rest[rest.index(after: colon)...]
                let close = body.dropFirst().lastIndex(of: "/") ?? body.endIndex
                let end = body[close...].firstIndex(of: "|") ?? body.endIndex
                part = rest[..<end]
                rest = end < rest.endIndex ? rest[rest.index(after: end)...] : ""
            } else if let bar = rest.firstIndex(of: "|") {
                part = rest[..<bar]
                rest = rest[rest.index(after: bar)...]
            } else {
                part = rest
                rest = ""
            }
            if let colon = part.firstIndex(of: ":") {
                let name = String(part[..<colon])
                let argText = String(part[part.index(after: colon)...])
                let args = name.hasSuffix("regex") || name == "date_format" ? [argText] : argText.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                specs.append(RuleSpec(name: name, arguments: args))
            } else {
                specs.append(RuleSpec(name: String(part)))
            }
        }
        return specs
    }

    /// A column read from a header of the same name (or `from`).
    static func column(
        _ name: String, from: [String]? = nil, type: ColumnType = .text, rules: String = "",
        transforms: [TransformSpec] = [], defaultValue: JSONScalar? = nil, formats: [String] = [],
        nullable: Bool = false, uniqueInFile: Bool = false
    ) -> ColumnSpec {
        ColumnSpec(name: name, input: .from(from ?? [name]), transforms: transforms, defaultValue: defaultValue,
                   type: type, formats: formats, rules: Fixture.rules(rules), nullable: nullable, uniqueInFile: uniqueInFile)
    }

    static func definition(_ columns: [ColumnSpec], headers: HeaderSpec = HeaderSpec(), key: [String] = [],
                           examples: [ExampleSpec] = [], limits: ValueLimits = ValueLimits()) -> ImporterDefinition {
        ImporterDefinition(slug: "test", target: TargetSpec(table: "items", key: key), columns: columns,
                           headers: headers, examples: examples, limits: limits)
    }

    static func importer(_ columns: [ColumnSpec], headers: HeaderSpec = HeaderSpec(), key: [String] = [],
                         limits: ValueLimits = ValueLimits()) throws -> CompiledImporter {
        try CompiledImporter(definition: definition(columns, headers: headers, key: key, limits: limits))
    }

    /// Processes one row given as header → cell.
    static func process(_ columns: [ColumnSpec], row: [(String, String)], headers: HeaderSpec = HeaderSpec(),
                        limits: ValueLimits = ValueLimits()) throws -> RowOutcome {
        let importer = try importer(columns, headers: headers, limits: limits)
        let resolution = importer.resolve(header: row.map(\.0))
        return importer.makeProcessor(resolution: resolution, run: run).process(row.map(\.1))
    }

    /// One column, one value: the typed value and that column's messages.
    static func single(_ column: ColumnSpec, _ value: String, limits: ValueLimits = ValueLimits()) throws -> (value: TypedValue, messages: [String]) {
        let header = { () -> String in if case .from(let names) = column.input { return names[0] }; return column.name }()
        let outcome = try process([column], row: [(header, value)], limits: limits)
        return (outcome.values[0], outcome.errors.first?.messages ?? [])
    }
}
