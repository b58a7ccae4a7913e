import Definitions
import Engine
import Foundation

/// What a command needs from the outside world, injectable so tests can run commands in-process.
package struct CommandContext: Sendable {
    package var environment: [String: String]
    package var stdout: @Sendable (String) -> Void
    package var stderr: @Sendable (String) -> Void
    /// Whether stderr is a terminal (live progress bar) or a pipe/file (a plain final summary).
    package var stderrIsTerminal: Bool

    package init(environment: [String: String], stdout: @escaping @Sendable (String) -> Void,
                stderr: @escaping @Sendable (String) -> Void, stderrIsTerminal: Bool) {
        self.environment = environment; self.stdout = stdout; self.stderr = stderr; self.stderrIsTerminal = stderrIsTerminal
    }

    /// The real process: stdout, stderr, environment.
    package static func process() -> CommandContext {
        CommandContext(
            environment: ProcessInfo.processInfo.environment,
            stdout: { text in FileHandle.standardOutput.write(Data(text.utf8)) },
            stderr: { text in FileHandle.standardError.write(Data(text.utf8)) },
            stderrIsTerminal: isatty(STDERR_FILENO) == 1)
    }

    /// Prints a line on stdout.
    package func print(_ line: String = "") { stdout(line + "\n") }
}

/// Options every command that touches the database takes.
enum CommonOptions {
    /// The `<id>` argument of a command about one run; a usage error when it is missing.
    static func runID(_ args: ParsedArguments) throws -> Int64 {
        guard let id = try args.integer("id", argument: true) else { throw UsageError("Missing expected argument '<id>'.") }
        return id
    }

    /// A store of the engine `args` name and the `<id>` of a run it holds (``EngineError/runNotFound(id:)`` otherwise).
    static func existingRun(_ args: ParsedArguments, _ context: CommandContext) throws -> (id: Int64, store: RunStore) {
        let id = try runID(args)
        let store = try engine(args, context).openStore()
        guard try store.run(id) != nil else { throw EngineError.runNotFound(id: id) }
        return (id, store)
    }

    /// `INGEST_BUSY_TIMEOUT_MS` (wait for another writer's lock) and `INGEST_FINAL_WRITE_BUDGET_MS`
    /// (how long a run's final status write is retried).
    static func applyTimeouts(_ environment: [String: String], to config: inout EngineConfiguration) throws(UsageError) {
        if let text = environment["INGEST_BUSY_TIMEOUT_MS"] {
            guard let ms = Int32(text), ms >= 0 else { throw UsageError("INGEST_BUSY_TIMEOUT_MS must be a number of milliseconds, not '\(text)'.") }
            config.busyTimeoutMs = ms
        }
        if let text = environment["INGEST_LEASE_SECONDS"] {
            guard let s = Int(text), (1...86_400).contains(s) else { throw UsageError("INGEST_LEASE_SECONDS must be between 1 and 86400 seconds, not '\(text)'.") }
            config.leaseDuration = .seconds(s)
        }
        if let text = environment["INGEST_FINAL_WRITE_BUDGET_MS"] {
            guard let ms = Int(text), ms >= 0 else { throw UsageError("INGEST_FINAL_WRITE_BUDGET_MS must be a number of milliseconds, not '\(text)'.") }
            config.finalWriteBudget = .milliseconds(ms)
        }
    }

    /// The sources policy (`--data-root`, `--allow-private-urls`, `INGEST_ALLOWED_URL_HOSTS`):
    /// the same options, environment variables and defaults for `serve` and for the commands that
    /// read an importer's own source in the foreground (`run`, `apply`, `resume`).
    static let dataRoot = CommandSpec.Option("data-root", value: "dir", help: "The folder 'filesystem' sources are read from.",
                                             environment: "INGEST_DATA_ROOT", default: ".")
    static let allowPrivateURLs = CommandSpec.Option("allow-private-urls",
                                                     help: "Let 'url' sources reach loopback and private addresses (env: INGEST_ALLOW_PRIVATE_URLS=1).")
    static let sources = [dataRoot, allowPrivateURLs]

    /// Applies the sources policy to `config`: the data root, whether `url` sources may reach
    /// internal addresses, and the `INGEST_ALLOWED_URL_HOSTS` allow-list (comma-separated).
    static func applySources(_ args: ParsedArguments, _ environment: [String: String], to config: inout EngineConfiguration) {
        config.dataRoot = args.value("data-root") ?? environment["INGEST_DATA_ROOT"].flatMap { $0.isEmpty ? nil : $0 } ?? "."
        config.allowPrivateURLs = args.flag("allow-private-urls")
            || ["1", "true", "yes"].contains(environment["INGEST_ALLOW_PRIVATE_URLS"]?.lowercased() ?? "")
        if let hosts = environment["INGEST_ALLOWED_URL_HOSTS"], !hosts.isEmpty {
            config.allowedURLHosts = hosts.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
    }

    /// Webhook secrets come from this command's environment, and only `INGEST_SECRET_*` names are read.
    static func applySecrets(_ environment: [String: String], to config: inout EngineConfiguration) {
        let secrets = environment.filter { SecretEnvironment.isAllowed($0.key) }
        config.secrets = { name in secrets[name] }
    }

    static let database = CommandSpec.Option("database", value: "path|url", help: "The SQLite database file, or a postgres:// URL (password from PGPASSWORD or ~/.pgpass; never shown).", environment: "INGEST_DATABASE", default: "ingest.sqlite")
    static let importers = CommandSpec.Option("importers", value: "dir", help: "The folder of importer definitions.", environment: "INGEST_IMPORTERS", default: "importers")
    static let json = CommandSpec.Option("json", help: "Print machine-readable JSON.")
    static let storage = [database, importers]

    /// The engine of `--database` and `--importers`. With `recover`, runs left `processing` by a
    /// process that is gone are ended first (a note on stderr names them), so a crashed import
    /// never stays `processing`.
    static func engine(_ args: ParsedArguments, _ context: CommandContext, recover: Bool = true) throws -> IngestEngine {
        var config = EngineConfiguration(databasePath: args.value("database") ?? "ingest.sqlite",
                                         importersDirectory: args.value("importers") ?? "importers")
        applySources(args, context.environment, to: &config)
        if let uploads = context.environment["INGEST_UPLOADS"] { config.uploadsDirectory = uploads }
        applySecrets(context.environment, to: &config)
        try applyTimeouts(context.environment, to: &config)
        // Foreground runs: created already claimed, so a server sharing the database never takes them.
        config.claimsOnCreate = true
        let engine = try IngestEngine(configuration: config)
        if recover {
            do {
                for id in try engine.recoverAbandonedRuns() {
                    context.stderr("Note: run \(id) was interrupted (its process is gone); resume it with 'ingest resume \(id)'.\n")
                }
            } catch {
                context.stderr("Warning: could not check for interrupted runs: \(TerminalText.escape(error.description))\n")
            }
        }
        return engine
    }
}
