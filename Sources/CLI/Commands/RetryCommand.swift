import Engine

/// `ingest retry ID`: a new run of the failed rows only.
enum RetryCommand: Command {
    static let spec = CommandSpec(name: "retry", abstract: "Run the failed rows of a run again, under the current definition.",
                                  arguments: [.init("id", help: "The run whose failed rows to retry.")],
                                  options: CommonOptions.storage + [
                                    .init("dry-run", help: "Run the whole pipeline, then roll back: nothing is written."),
                                    .init("user-id", value: "id", help: "Record this user id on the run."),
                                    CommonOptions.json,
                                  ])

    static func run(_ args: ParsedArguments, _ context: CommandContext) throws -> Int32 {
        let id = try CommonOptions.runID(args)
        let webhookWait = try RunCommand.webhookWait(context.environment)
        let engine = try CommonOptions.engine(args, context)
        let retryID = try engine.createRetry(of: id, dryRun: args.flag("dry-run"), userID: try args.integer("user-id"))
        return try RunCommand.execute(runID: retryID, engine: engine, args: args, context: context, webhookWait: webhookWait)
    }
}
