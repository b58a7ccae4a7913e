import Engine
import Foundation
import IngestSupport

/// The `ingest` command line: dispatches to subcommands, prints help and errors.
package enum IngestCommand {
    package static let version = ComponentVersions.ingest

    static let commands: [any Command.Type] = [
        RunCommand.self, ListCommand.self, RunsCommand.self, StatusCommand.self, CancelCommand.self,
        RetryCommand.self, ApplyCommand.self, ResumeCommand.self, RecoverCommand.self, ErrorsCommand.self,
        FailedRowsCommand.self, WebhooksCommand.self, CheckCommand.self, NewCommand.self, PruneCommand.self, ServeCommand.self,
        TokenCommand.self,
        VersionCommand.self,
    ]

    /// Entry point of the executable: runs and exits with the command's code.
    package static func main() -> Never {
        let code = run(Array(CommandLine.arguments.dropFirst()), context: .process())
        exit(code)
    }

    /// Runs one command line (without the program name); returns the exit code.
    package static func run(_ arguments: [String], context: CommandContext) -> Int32 {
        guard let first = arguments.first else {
            context.stdout(HelpFormatter.overview(commands: commands.map { $0.spec }))
            return ExitCode.success
        }
        if first == "--help" || first == "-h" {
            context.stdout(HelpFormatter.overview(commands: commands.map { $0.spec }))
            return ExitCode.success
        }
        if first == "--version" { context.print(version); return ExitCode.success }
        if first == "help" {
            guard arguments.count > 1 else {
                context.stdout(HelpFormatter.overview(commands: commands.map { $0.spec }))
                return ExitCode.success
            }
            guard let command = commands.first(where: { $0.spec.name == arguments[1] }) else {
                return usageError(UsageError("Unknown subcommand '\(arguments[1])'."), spec: nil, context: context)
            }
            context.stdout(HelpFormatter.help(for: command.spec))
            return ExitCode.success
        }
        guard let command = commands.first(where: { $0.spec.name == first }) else {
            var message = "Unknown subcommand '\(first)'."
            if let close = closest(first, in: commands.map { $0.spec.name }) { message += " Did you mean '\(close)'?" }
            return usageError(UsageError(message), spec: nil, context: context)
        }
        let spec = command.spec
        do {
            let parsed = try ParsedArguments(Array(arguments.dropFirst()), spec: spec, environment: context.environment)
            if parsed.wantsHelp {
                context.stdout(HelpFormatter.help(for: spec))
                return ExitCode.success
            }
            return try command.run(parsed, context)
        } catch let error as UsageError {
            return usageError(error, spec: spec, context: context)
        } catch {
            context.stderr("Error: \(TerminalText.escapeKeepingNewlines(describe(error)))\n")
            return ExitCode.failure
        }
    }

    static func usageError(_ error: UsageError, spec: CommandSpec?, context: CommandContext) -> Int32 {
        var text = "Error: \(TerminalText.escape(error.message))\n"
        if let spec {
            text += "Usage: \(spec.usage)\n  See 'ingest \(spec.name) --help' for more information.\n"
        } else {
            text += "Usage: ingest <subcommand>\n  See 'ingest --help' for more information.\n"
        }
        context.stderr(text)
        return ExitCode.usage
    }

    static func describe(_ error: any Error) -> String {
        if let e = error as? EngineError { return e.description }
        return String(describing: error)
    }
}
