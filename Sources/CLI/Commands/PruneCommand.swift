import Engine
import Foundation

/// `ingest prune --older-than AGE [--dry-run]`: deletes old finished runs, their row logs and files.
enum PruneCommand: Command {
    static let spec = CommandSpec(
        name: "prune", abstract: "Delete finished runs older than an age, with their logged rows and kept files.",
        discussion: """
            Takes runs that finished (completed, completed_with_errors, failed, cancelled) more than the age
            ago, never a pending or processing run nor the source of one, and deletes them, their logged rows
            and the files they kept (uploads kept for apply or resume), in one transaction.
            With --dry-run it prints the same counts and deletes nothing.
            """,
        options: CommonOptions.storage + [
            .init("older-than", value: "age", help: "The age: a whole number of days, hours or minutes (30d, 12h, 90m)."),
            .init("dry-run", help: "Count what would be deleted; delete nothing."),
        ])

    static func run(_ args: ParsedArguments, _ context: CommandContext) throws -> Int32 {
        guard let text = args.value("older-than") else { throw UsageError("Missing expected option '--older-than <age>'.") }
        let age = try AgeText.parse(text, option: "older-than")
        let engine = try CommonOptions.engine(args, context)
        let report = try engine.prune(olderThan: age, dryRun: args.flag("dry-run"))
        context.print(describe(report, age: text))
        return ExitCode.success
    }

    /// `Pruned 3 runs that finished before …: 120 logged rows, 2 kept files (1.2 MB).`
    static func describe(_ report: IngestEngine.PruneReport, age: String) -> String {
        let verb = report.dryRun ? "Would prune" : "Pruned"
        let megabytes = String(format: "%.1f", Double(report.fileBytes) / 1_048_576)
        return "\(verb) \(report.runs) run(s) finished before \(report.cutoff) (older than \(age)): "
            + "\(report.rows) logged row(s), \(report.files) kept file(s) (\(megabytes) MB)."
    }
}
