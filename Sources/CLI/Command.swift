/// One `ingest` subcommand.
protocol Command: Sendable {
    static var spec: CommandSpec { get }
    /// Runs with parsed arguments; returns the exit code.
    static func run(_ args: ParsedArguments, _ context: CommandContext) throws -> Int32
}

/// Exit codes shared by every command.
package enum ExitCode {
    package static let success: Int32 = 0
    /// A run failed, or a command could not do its job.
    package static let failure: Int32 = 1
    /// A run completed, but some rows failed.
    package static let completedWithErrors: Int32 = 2
    /// The command line was wrong (BSD `EX_USAGE`).
    package static let usage: Int32 = 64
}
