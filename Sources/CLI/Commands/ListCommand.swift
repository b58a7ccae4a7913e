import Engine

/// `ingest list`: the importers and their load errors.
enum ListCommand: Command {
    static let spec = CommandSpec(name: "list", abstract: "List the importers with their source, target table and load errors.",
                                  options: CommonOptions.storage + [CommonOptions.json])

    static func run(_ args: ParsedArguments, _ context: CommandContext) throws -> Int32 {
        // Only the importers folder is read: listing needs no database (nor its recovery pass).
        let directory = args.value("importers") ?? "importers"
        let all = ImporterSummary.all(in: directory)
        if args.flag("json") {
            context.print(JSONValue.array(all.map(\.json)).prettyText)
            return ExitCode.success
        }
        if all.isEmpty {
            context.print("No importers in '\(TerminalText.escape(directory))'. Add a JSON definition there.")
            return ExitCode.success
        }
        var table = TextTable(["SLUG", "SOURCE", "TARGET", "STATUS"])
        for s in all {
            table.add([s.slug, s.sourceType ?? "-", s.table ?? "-", s.problems.isEmpty ? "ok" : "\(s.problems.count) error(s)"])
        }
        context.stdout(table.rendered)
        for s in all where !s.problems.isEmpty {
            context.print()
            for p in s.problems { context.print(TerminalText.escape(p)) }
        }
        return ExitCode.success
    }
}
