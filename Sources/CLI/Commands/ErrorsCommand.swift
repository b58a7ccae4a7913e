import Engine

/// `ingest errors ID`: the error summary.
enum ErrorsCommand: Command {
    static let spec = CommandSpec(name: "errors", abstract: "Show the error summary of a run: the most common errors first.",
                                  arguments: [.init("id", help: "The run id.")],
                                  options: CommonOptions.storage + [CommonOptions.json])

    static func run(_ args: ParsedArguments, _ context: CommandContext) throws -> Int32 {
        let (id, store) = try CommonOptions.existingRun(args, context)
        let summary = try store.errorSummary(of: id)
        if args.flag("json") {
            context.print(summary.json.prettyText)
            return ExitCode.success
        }
        context.print("Run \(id): \(summary.totalFailedRows) failed rows")
        if !summary.errorSummary.isEmpty {
            context.print("\nErrors:")
            var table = TextTable(["COUNT", "MESSAGE"])
            for e in summary.errorSummary { table.add([String(e.count), e.message]) }
            context.stdout(table.rendered)
        }
        if !summary.validationSummary.isEmpty {
            context.print("\nValidation:")
            var table = TextTable(["COUNT", "MESSAGE"])
            for e in summary.validationSummary { table.add([String(e.count), e.message]) }
            context.stdout(table.rendered)
        }
        return ExitCode.success
    }
}
