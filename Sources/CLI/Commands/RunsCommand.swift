import Engine

/// `ingest runs`: recent runs as a table.
enum RunsCommand: Command {
    static let spec = CommandSpec(name: "runs", abstract: "List recent runs, newest first.",
                                  options: CommonOptions.storage + [
                                    .init("importer", value: "slug", help: "Only runs of this importer."),
                                    .init("status", value: "status", help: "Only runs with this status (pending, processing, completed, completed_with_errors, failed, cancelled)."),
                                    .init("limit", value: "n", help: "How many runs to show.", default: "20"),
                                    CommonOptions.json,
                                  ])

    static func run(_ args: ParsedArguments, _ context: CommandContext) throws -> Int32 {
        var status: RunStatus?
        if let s = args.value("status") {
            guard let parsed = RunStatus(rawValue: s) else {
                throw UsageError("The value '\(s)' is invalid for '--status': expected one of \(RunStatus.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            status = parsed
        }
        let limit = Int(try args.integer("limit") ?? 20)
        guard limit > 0 else { throw UsageError("'--limit' must be at least 1.") }
        let engine = try CommonOptions.engine(args, context)
        let (runs, total) = try engine.openStore().runs(importer: args.value("importer"), status: status, limit: limit, offset: 0)
        if args.flag("json") {
            context.print(JSONValue.array(runs.map { $0.json() }).prettyText)
            return ExitCode.success
        }
        var table = TextTable(["ID", "IMPORTER", "STATUS", "PROCESSED", "FAILED", "FILE", "STARTED"])
        for r in runs {
            table.add([String(r.id), r.importer, r.status.rawValue + (r.dryRun ? " (dry)" : ""), String(r.counts.processed),
                       String(r.counts.failed), r.originalFilename ?? "-", r.startedAt ?? "-"])
        }
        context.stdout(table.rendered)
        if total > runs.count { context.print("(\(runs.count) of \(total) runs)") }
        return ExitCode.success
    }
}
