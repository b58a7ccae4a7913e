import Dispatch
import Engine
import Foundation

/// `ingest run SLUG [FILE] [--dry-run] [--alter]`: an import in the foreground.
enum RunCommand: Command {
    static let spec = CommandSpec(
        name: "run",
        abstract: "Import a file (or the importer's configured source) in the foreground.",
        discussion: """
            Shows a live progress bar when stderr is a terminal and prints the run summary.
            Exit status: 0 completed, 2 completed with failed rows, 1 failed or cancelled.
            Ctrl-C cancels the run between chunks.
            Without <file>, the importer's 'filesystem', 'url', 'ftp', 'ftps' or 'sftp' source is read
            under the same sources policy as 'ingest serve': paths stay under --data-root, and hosts
            must pass the INGEST_ALLOWED_URL_HOSTS allow-list and, unless --allow-private-urls,
            reach a public address. Passwords come from the INGEST_SECRET_ variables the definition
            names.
            The run's webhook deliveries are sent before the command exits, for at most
            INGEST_WEBHOOK_WAIT_S seconds (default 10); those left stay queued for 'ingest serve'.
            """,
        arguments: [
            .init("slug", help: "The importer's slug (its file name in the importers folder)."),
            .init("file", help: "The CSV, TSV, XLSX, JSON or NDJSON file to import.", optional: true),
        ],
        options: CommonOptions.storage + CommonOptions.sources + [
            .init("dry-run", help: "Run the whole pipeline, then roll back: nothing is written."),
            .init("alter", help: "Add declared columns the existing table lacks (ALTER TABLE … ADD COLUMN), as target.alter does; a column of another type is never changed."),
            .init("user-id", value: "id", help: "Record this user id on the run."),
            CommonOptions.json,
        ])

    static func run(_ args: ParsedArguments, _ context: CommandContext) throws -> Int32 {
        guard let slug = args.argument("slug") else { throw UsageError("Missing expected argument '<slug>'.") }
        let userID = try args.integer("user-id")
        let webhookWait = try webhookWait(context.environment)
        let engine = try CommonOptions.engine(args, context)
        let runID: Int64
        if let file = args.argument("file") {
            guard FileManager.default.isReadableFile(atPath: file) else {
                throw EngineError.sourceUnavailable("Cannot read the file '\(file)'.")
            }
            runID = try engine.createRun(slug: slug, path: file, originalFilename: (file as NSString).lastPathComponent,
                                         dryRun: args.flag("dry-run"), userID: userID)
        } else {
            runID = try engine.createSourceRun(slug: slug, dryRun: args.flag("dry-run"), userID: userID)
        }
        return try execute(runID: runID, engine: engine, args: args, context: context, webhookWait: webhookWait)
    }

    /// Runs a pending run with progress and Ctrl-C handling, prints the outcome, returns the exit code.
    /// `webhookWait` (``webhookWait(_:)``) is read before the run is created, so a bad value never leaves one behind.
    static func execute(runID: Int64, engine: IngestEngine, args: ParsedArguments, context: CommandContext,
                        webhookWait: Duration) throws -> Int32 {
        let bar = context.stderrIsTerminal && !args.flag("json") ? ProgressBar(write: context.stderr) : nil
        signal(SIGINT, SIG_IGN)
        let interrupt = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        interrupt.setEventHandler {
            context.stderr("\nCancelling after the current chunk… (continue later with 'ingest resume \(runID)')\n")
            _ = try? engine.requestCancellation(of: runID)
        }
        interrupt.resume()
        defer {
            interrupt.cancel()
            signal(SIGINT, SIG_DFL)
        }
        let run = try engine.execute(runID: runID, alter: args.flag("alter")) { progress in
            bar?.update(progress)
        }
        bar?.finish()
        deliverWebhooks(of: run.id, for: webhookWait, engine: engine, context: context)
        if args.flag("json") {
            context.print(run.json().prettyText)
        } else {
            context.stdout(RunReport.text(for: run))
        }
        return exitCode(for: run.status)
    }

    /// `INGEST_WEBHOOK_WAIT_S`: seconds a foreground run spends sending its webhook deliveries
    /// before the command exits (default 10), checked before the run starts.
    static func webhookWait(_ environment: [String: String]) throws(UsageError) -> Duration {
        guard let text = environment["INGEST_WEBHOOK_WAIT_S"] else { return .seconds(10) }
        guard let seconds = Double(text), seconds >= 0, seconds <= 3600 else {
            throw UsageError("INGEST_WEBHOOK_WAIT_S must be a number of seconds from 0 to 3600, not '\(text)'.")
        }
        return .milliseconds(Int64(seconds * 1000))
    }

    /// Sends the run's due webhook deliveries (one attempt each) for at most `wait`; what is left
    /// stays queued for `ingest serve`, and a note says so. A failure here never hides the run's report.
    static func deliverWebhooks(of runID: Int64, for wait: Duration, engine: IngestEngine, context: CommandContext) {
        do {
            let open = try WebhookDeliverer(engine: engine).deliverDue(runID: runID, until: .now + wait)
            guard open > 0 else { return }
            context.stderr("Note: \(open) webhook deliver\(open == 1 ? "y" : "ies") of run \(runID) \(open == 1 ? "is" : "are") still queued; "
                           + "'ingest serve' on this database sends \(open == 1 ? "it" : "them") (see 'ingest webhooks \(runID)').\n")
        } catch {
            context.stderr("Warning: could not send the webhooks of run \(runID): \(TerminalText.escape(error.description)); "
                           + "they stay queued for 'ingest serve'.\n")
        }
    }

    static func exitCode(for status: RunStatus) -> Int32 {
        switch status {
        case .completed: return ExitCode.success
        case .completedWithErrors: return ExitCode.completedWithErrors
        default: return ExitCode.failure
        }
    }
}
