import Engine
import Foundation

/// `ingest new SLUG --from SAMPLE`: a starter definition inferred from a sample file.
enum NewCommand: Command {
    static let spec = CommandSpec(
        name: "new",
        abstract: "Write a starter importer definition inferred from a sample CSV, XLSX or JSON file.",
        discussion: "Reads the first rows of the sample: one column per header, inferred types and date formats, 'required' where no value was empty, and a key when a column like id, sku, code or email had only distinct values.",
        arguments: [.init("slug", help: "The new importer's slug (the file becomes <importers>/<slug>.json).")],
        options: CommonOptions.storage + [
            .init("from", value: "sample", help: "The sample file to infer from."),
            .init("table", value: "name", help: "The target table (default: the slug in snake_case)."),
            .init("force", help: "Overwrite an existing definition."),
            .init("stdout", help: "Print the definition instead of writing it."),
        ])

    static func run(_ args: ParsedArguments, _ context: CommandContext) throws -> Int32 {
        guard let slug = args.argument("slug") else { throw UsageError("Missing expected argument '<slug>'.") }
        guard slug.range(of: "^[a-z0-9][a-z0-9-]*$", options: .regularExpression) != nil else {
            throw UsageError("The slug '\(slug)' is invalid: use lowercase letters, digits and '-', starting with a letter or digit.")
        }
        guard let sample = args.value("from") else { throw UsageError("Missing expected option '--from <sample>'.") }
        guard FileManager.default.isReadableFile(atPath: sample) else { throw EngineError.sourceUnavailable("Cannot read the file '\(sample)'.") }
        let inference = DefinitionInference()
        let result = try inference.infer(slug: slug, path: sample)
        let text = inference.render(result, table: args.value("table"))
        if args.flag("stdout") {
            context.stdout(text)
            return ExitCode.success
        }
        let directory = args.value("importers") ?? "importers"
        let path = (directory as NSString).appendingPathComponent("\(slug).json")
        if FileManager.default.fileExists(atPath: path) && !args.flag("force") {
            throw EngineError.conflict("'\(path)' already exists; use --force to overwrite it.")
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        context.print("Wrote \(TerminalText.escape(path)): \(result.columns.count) columns from \(result.rowsSampled) sample rows" + (result.key.map { ", key '\($0)'" } ?? ", no key") + ".")
        for c in result.columns {
            context.print("  \(c.name) ← '\(TerminalText.escape(c.header))': \(c.type.rawValue)\(c.formats.isEmpty ? "" : " (\(c.formats.joined(separator: ", ")))")\(c.required ? ", required" : "")")
        }
        context.print("Check it with 'ingest check \(TerminalText.escape(path))', then 'ingest run \(slug) \(TerminalText.escape(sample))'.")
        return ExitCode.success
    }
}
