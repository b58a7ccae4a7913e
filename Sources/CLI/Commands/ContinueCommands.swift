import Engine

/// The options of the commands that start a run continuing another (apply, resume).
private let continuationOptions = CommonOptions.storage + CommonOptions.sources + [
    CommandSpec.Option("user-id", value: "id", help: "Record this user id on the run."),
    CommonOptions.json,
]

/// Creates the continuing run with `create(engine, id, userID)`, then runs it in the foreground.
private func runContinuation(_ args: ParsedArguments, _ context: CommandContext,
                             create: (IngestEngine, Int64, Int64?) throws -> Int64) throws -> Int32 {
    let id = try CommonOptions.runID(args)
    let webhookWait = try RunCommand.webhookWait(context.environment)
    let engine = try CommonOptions.engine(args, context)
    let runID = try create(engine, id, try args.integer("user-id"))
    return try RunCommand.execute(runID: runID, engine: engine, args: args, context: context, webhookWait: webhookWait)
}

/// `ingest apply ID`: the file of a completed dry run, imported for real.
enum ApplyCommand: Command {
    static let spec = CommandSpec(
        name: "apply", abstract: "Import the file of a completed dry run for real, under the same definition.",
        discussion: "Refused when the definition or the file changed since the dry run, or it was already applied.",
        arguments: [.init("id", help: "The dry run to apply.")],
        options: continuationOptions)

    static func run(_ args: ParsedArguments, _ context: CommandContext) throws -> Int32 {
        try runContinuation(args, context) { engine, id, user in try engine.createApply(of: id, userID: user) }
    }
}

/// `ingest resume ID`: a stopped run continued from its last committed chunk.
enum ResumeCommand: Command {
    static let spec = CommandSpec(
        name: "resume", abstract: "Continue a cancelled or interrupted run from its last committed chunk.",
        discussion: """
            Starts a new run linked to the stopped one: it skips the rows already committed and starts from
            its counters, so the new run's counters add up to the whole file. A 'transaction: all' run or a
            dry run is run again whole. Refused when the definition or the file changed since.
            """,
        arguments: [.init("id", help: "The cancelled or interrupted run.")],
        options: continuationOptions)

    static func run(_ args: ParsedArguments, _ context: CommandContext) throws -> Int32 {
        try runContinuation(args, context) { engine, id, user in try engine.createResume(of: id, userID: user) }
    }
}

/// `ingest recover`: ends runs whose process is gone (every command does this quietly too).
enum RecoverCommand: Command {
    static let spec = CommandSpec(
        name: "recover", abstract: "End runs left 'processing' by a process that is gone, as failed (interrupted).",
        discussion: "Runs whose process still lives are left alone. Every other command does this on its way too.",
        options: CommonOptions.storage)

    static func run(_ args: ParsedArguments, _ context: CommandContext) throws -> Int32 {
        let engine = try CommonOptions.engine(args, context, recover: false)
        let ended = try engine.recoverAbandonedRuns()
        if ended.isEmpty {
            context.print("No interrupted runs.")
        } else {
            for id in ended { context.print("Run \(id): interrupted; resume it with 'ingest resume \(id)'.") }
        }
        return ExitCode.success
    }
}
