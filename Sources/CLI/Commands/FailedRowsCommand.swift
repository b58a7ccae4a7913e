import Engine
import Foundation

/// `ingest failed-rows ID [-o FILE]`: the failed-rows CSV.
enum FailedRowsCommand: Command {
    static let spec = CommandSpec(name: "failed-rows", abstract: "Write the failed rows of a run as CSV, to fix and import again.",
                                  discussion: "Columns: the original ones, then _error_message and _row_number.",
                                  arguments: [.init("id", help: "The run id.")],
                                  options: CommonOptions.storage + [.init("output", short: "o", value: "file", help: "Write to this file instead of stdout.")])

    static func run(_ args: ParsedArguments, _ context: CommandContext) throws -> Int32 {
        guard let id = try args.integer("id", argument: true) else { throw UsageError("Missing expected argument '<id>'.") }
        let engine = try CommonOptions.engine(args, context)
        let store = try engine.openStore()
        guard try store.run(id) != nil else { throw EngineError.runNotFound(id: id) }
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
                count = try FailedRowsExport.write(runID: id, store: store) { handle.write(Data($0)) }
                try handle.close()
                if FileManager.default.fileExists(atPath: output) { try FileManager.default.removeItem(atPath: output) }
                try FileManager.default.moveItem(atPath: temp, toPath: output)
            } catch {
                try? FileManager.default.removeItem(atPath: temp)
                throw error
            }
            context.stderr("Wrote \(count) failed rows to \(TerminalText.escape(output)).\n")
        } else {
            try FailedRowsExport.write(runID: id, store: store) { context.stdout(String(decoding: $0, as: UTF8.self)) }
        }
        return ExitCode.success
    }
}
