import Engine

/// `ingest status ID`: one run.
enum StatusCommand: Command {
    static let spec = CommandSpec(name: "status", abstract: "Show one run: status, progress, counts and failure reason.",
                                  arguments: [.init("id", help: "The run id.")],
                                  options: CommonOptions.storage + [CommonOptions.json])

    static func run(_ args: ParsedArguments, _ context: CommandContext) throws -> Int32 {
        let id = try CommonOptions.runID(args)
        let engine = try CommonOptions.engine(args, context)
        guard let run = try engine.openStore().run(id) else { throw EngineError.runNotFound(id: id) }
        if args.flag("json") { context.print(run.json().prettyText) } else { context.stdout(RunReport.text(for: run)) }
        return ExitCode.success
    }
}
