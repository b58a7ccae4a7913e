import Engine
import Foundation

/// `ingest failed-rows ID [-o FILE] [--format csv|xlsx]`: the failed rows, to fix and import again.
enum FailedRowsCommand: Command {
    static let spec = CommandSpec(
        name: "failed-rows", abstract: "Write the failed rows of a run as CSV or XLSX, to fix and import again.",
        discussion: """
            Columns: the original ones, then _error_message and _row_number. The CSV puts a ' before cells a
            spreadsheet would run as formulas; 'ingest run SLUG FILE' recognises the file by its last two
            columns, removes exactly those ' again, and takes it whatever the importer's formats. The XLSX
            keeps every cell as text, exactly as read.
            """,
        arguments: [.init("id", help: "The run id.")],
        options: CommonOptions.storage + [
            .init("output", short: "o", value: "file", help: "Write to this file instead of stdout."),
            .init("format", value: "format", help: "csv or xlsx (xlsx needs --output).", default: "csv"),
        ])

    static func run(_ args: ParsedArguments, _ context: CommandContext) throws -> Int32 {
        let id = try CommonOptions.runID(args)
        let text = args.value("format") ?? "csv"
        guard let format = FailedRowsExport.Format(rawValue: text.lowercased()) else {
            throw UsageError("'--format' must be csv or xlsx, not '\(text)'.")
        }
        if format == .xlsx && args.value("output") == nil {
            throw UsageError("'--format xlsx' writes a workbook; give the file with '--output FILE'.")
        }
        let engine = try CommonOptions.engine(args, context)
        let store = try engine.openStore()
        guard let run = try store.run(id) else { throw EngineError.runNotFound(id: id) }
        guard try store.failedRowCount(of: id) > 0 else {
            context.stderr("Error: No failed rows found for this ingest run.\n")
            return ExitCode.failure
        }
        if let output = args.value("output") {
            // Write next to the target, then rename: a reader never sees half a file.
            let temp = output + ".part"
            guard FileManager.default.createFile(atPath: temp, contents: nil), let handle = FileHandle(forWritingAtPath: temp) else {
                throw EngineError.sourceUnavailable("Cannot write '\(output)'.")
            }
            let count: Int
            do {
                count = try FailedRowsExport.write(runID: id, store: store, format: format) { handle.write(Data($0)) }
                try handle.close()
                if FileManager.default.fileExists(atPath: output) { try FileManager.default.removeItem(atPath: output) }
                try FileManager.default.moveItem(atPath: temp, toPath: output)
            } catch {
                try? FileManager.default.removeItem(atPath: temp)
                throw error
            }
            let shown = TerminalText.escape(output)
            context.stderr("Wrote \(count) failed rows to \(shown).\n")
            // The CSV goes back into any importer; a workbook only into one that reads XLSX.
            let formats = engine.importerSummaries().first { $0.slug == run.importer }?.formats ?? []
            if format == .xlsx && !formats.isEmpty && !formats.contains("xlsx") {
                context.stderr("The importer '\(TerminalText.escape(run.importer))' does not read XLSX files: to import the fixed rows "
                               + "again, export them with '--format csv' (the importer takes its failed-rows CSV back).\n")
            } else {
                context.stderr("Fix the cells, keep the _error_message and _row_number columns, then: "
                               + "ingest run \(TerminalText.escape(run.importer)) \(shown)\n")
            }
        } else {
            try FailedRowsExport.write(runID: id, store: store) { context.stdout(String(decoding: $0, as: UTF8.self)) }
        }
        return ExitCode.success
    }
}
