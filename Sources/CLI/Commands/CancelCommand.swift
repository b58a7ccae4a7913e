import Engine

/// `ingest cancel ID`: asks a run to stop, whichever process runs it.
enum CancelCommand: Command {
    static let spec = CommandSpec(name: "cancel", abstract: "Request cancellation of a pending or running run.",
                                  discussion: "A running run stops between chunks; the process running it ends it as 'cancelled'.",
                                  arguments: [.init("id", help: "The run id.")], options: CommonOptions.storage)

    static func run(_ args: ParsedArguments, _ context: CommandContext) throws -> Int32 {
        let id = try CommonOptions.runID(args)
        let engine = try CommonOptions.engine(args, context)
        switch try engine.requestCancellation(of: id) {
        case .requested:
            context.print("Cancellation request sent.")
            return ExitCode.success
        case .notFound:
            throw EngineError.runNotFound(id: id)
        case .alreadyFinished(let status):
            context.stderr("Error: Run \(id) has already finished (\(status.rawValue)).\n")
            return ExitCode.failure
        }
    }
}
