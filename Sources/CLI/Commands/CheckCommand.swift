import Definitions
import Engine

/// `ingest check [PATH…]`: compile, verify against the database, run the examples.
enum CheckCommand: Command {
    static let spec = CommandSpec(
        name: "check",
        abstract: "Check importer definitions: compile them, verify them against the database and run their examples.",
        discussion: "Without paths, checks every definition in the importers folder. Exit status 1 when any check fails.",
        arguments: [.init("paths", help: "Definition files to check.", optional: true, variadic: true)],
        options: CommonOptions.storage + [CommonOptions.json])

    static func run(_ args: ParsedArguments, _ context: CommandContext) throws -> Int32 {
        let engine = try CommonOptions.engine(args, context)
        let paths = args.arguments("paths")
        let loaded = paths.isEmpty ? engine.registry.all() : paths.map { DefinitionLoader.load(path: $0) }
        let reports = loaded.map(engine.check)
        if args.flag("json") {
            context.print(JSONValue.array(reports.map { r in
                .object([("slug", .string(r.slug)), ("file", .string(r.fileName)), ("ok", .bool(r.isOK)),
                         ("problems", .array(r.problems.map(JSONValue.string))), ("notes", .array(r.notes.map(JSONValue.string))),
                         ("warnings", .array(r.warnings.map(JSONValue.string))),
                         ("examples_passed", .integer(Int64(r.examplesPassed))), ("examples_total", .integer(Int64(r.examplesTotal)))])
            }).prettyText)
        } else {
            if reports.isEmpty { context.print("No importer definitions found.") }
            for r in reports {
                if r.isOK {
                    var line = "ok     \(TerminalText.escape(r.slug)) (\(TerminalText.escape(r.fileName)))"
                    if r.examplesTotal > 0 { line += ": \(r.examplesPassed)/\(r.examplesTotal) examples passed" }
                    context.print(line)
                    for n in r.notes { context.print("         \(TerminalText.escape(n))") }
                } else {
                    context.print("FAILED \(TerminalText.escape(r.slug)) (\(TerminalText.escape(r.fileName)))")
                    for p in r.problems { context.stderr(TerminalText.escape(p) + "\n") }
                }
                for w in r.warnings { context.stderr("Warning: \(TerminalText.escape(w))\n") }
            }
        }
        return reports.allSatisfy(\.isOK) ? ExitCode.success : ExitCode.failure
    }
}
