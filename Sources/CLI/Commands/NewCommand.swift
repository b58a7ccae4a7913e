import Engine
import Foundation
import Synchronization

/// `ingest new SLUG --from SAMPLE`: a starter definition inferred from a sample file.
enum NewCommand: Command {
    static let spec = CommandSpec(
        name: "new",
        abstract: "Write a starter importer definition inferred from a sample CSV, XLSX or JSON file.",
        discussion: "Reads the whole sample (or its first --sample rows), streamed: one column per header, inferred types, "
            + "decimal and thousands separators and date formats, 'required' where no value was empty, and a key suggested "
            + "among the columns whose values were all distinct (exact while the kept values fit in 64 MiB; past that the "
            + "output says on how many rows). Empty or repeated header cells get a generated name. Progress is shown on a terminal.",
        arguments: [.init("slug", help: "The new importer's slug (the file becomes <importers>/<slug>.json).")],
        options: CommonOptions.storage + [
            .init("from", value: "sample", help: "The sample file to infer from."),
            .init("sample", value: "rows", help: "Read only the first <rows> data rows (default: the whole file)."),
            .init("table", value: "name", help: "The target table (default: the slug in snake_case)."),
            .init("force", help: "Overwrite an existing definition."),
            .init("stdout", help: "Print the definition instead of writing it (the summary goes to stderr)."),
        ])

    static func run(_ args: ParsedArguments, _ context: CommandContext) throws -> Int32 {
        guard let slug = args.argument("slug") else { throw UsageError("Missing expected argument '<slug>'.") }
        guard slug.range(of: "^[a-z0-9][a-z0-9-]*$", options: .regularExpression) != nil else {
            throw UsageError("The slug '\(slug)' is invalid: use lowercase letters, digits and '-', starting with a letter or digit.")
        }
        guard let sample = args.value("from") else { throw UsageError("Missing expected option '--from <sample>'.") }
        var sampleRows: Int?
        if let n = try args.integer("sample") {
            guard n >= 1 else { throw UsageError("The value '\(n)' is invalid for '--sample': expected a number of rows, at least 1.") }
            sampleRows = Int(clamping: n)
        }
        guard FileManager.default.isReadableFile(atPath: sample) else { throw EngineError.sourceUnavailable("Cannot read the file '\(sample)'.") }
        let inference = DefinitionInference(sampleRows: sampleRows)
        let bar = context.stderrIsTerminal ? InferenceProgress(write: context.stderr, name: (sample as NSString).lastPathComponent) : nil
        let result: DefinitionInference.Result
        do {
            result = try inference.infer(slug: slug, path: sample, progress: bar.map { bar in { bar.update($0) } })
            bar?.finish()
        } catch {
            bar?.finish()
            throw error
        }
        let text = inference.render(result, table: args.value("table"))
        // With --stdout the definition is the output; the summary goes to stderr.
        let say: (String) -> Void = args.flag("stdout") ? { context.stderr($0 + "\n") } : { context.print($0) }
        var path: String?
        if args.flag("stdout") {
            context.stdout(text)
        } else {
            let directory = args.value("importers") ?? "importers"
            let file = (directory as NSString).appendingPathComponent("\(slug).json")
            if FileManager.default.fileExists(atPath: file) && !args.flag("force") {
                throw EngineError.conflict("'\(file)' already exists; use --force to overwrite it.")
            }
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            path = file
        }
        for line in summary(result, path: path) { say(line) }
        if let path {
            say("Check it with 'ingest check \(TerminalText.escape(path))', then 'ingest run \(slug) \(TerminalText.escape(sample))'.")
        }
        return ExitCode.success
    }

    /// What was inferred, for people: the rows read, each column, the key and the notes.
    static func summary(_ result: DefinitionInference.Result, path: String?) -> [String] {
        let rows = result.wholeFile ? "all \(result.rowsSampled) rows" : "the first \(result.rowsSampled) rows (--sample)"
        var lines = [(path.map { "Wrote \(TerminalText.escape($0)): " } ?? "Inferred ") + "\(result.columns.count) columns from \(rows)"
            + (result.key.map { ", key '\($0)'" } ?? ", no key") + "."]
        for c in result.columns {
            var facts = [c.type.rawValue + (c.formats.isEmpty ? "" : " (\(c.formats.joined(separator: ", ")))")]
            if let d = c.decimalSeparator { facts.append("decimal separator '\(d)'") }
            if let t = c.thousandsSeparator { facts.append("thousands separator '\(TerminalText.escape(t == "\u{A0}" ? "\\u00A0" : t == "\u{202F}" ? "\\u202F" : t))'") }
            if c.required { facts.append("required") }
            if c.email { facts.append("email") }
            if c.distinct { facts.append(c.distinctRows.map { "distinct in the first \($0) rows" } ?? "distinct") }
            lines.append("  \(c.name) ← '\(TerminalText.escape(c.header))': \(facts.joined(separator: ", "))")
        }
        let full = result.columns.filter { $0.distinct && $0.distinctRows == nil }.map(\.name)
        let partial = result.columns.filter { $0.distinct && $0.distinctRows != nil }
        if !full.isEmpty {
            lines.append("Distinct over \(result.wholeFile ? "the whole file" : "the rows read"): \(full.joined(separator: ", ")).")
        }
        for c in partial {
            lines.append("'\(c.name)' was distinct in the first \(c.distinctRows ?? 0) of \(result.rowsSampled) rows; the distinct check "
                + "keeps at most \(DefinitionInference.defaultDistinctBudgetBytes >> 20) MiB of values, so later rows were not checked.")
        }
        if let key = result.key {
            lines.append("Suggested key: '\(key)' (target.key, on_duplicate update).")
        }
        if result.raggedRows > 0 {
            lines.append("\(result.raggedRows) rows have more or fewer cells than the header: they were left out, and a run fails them.")
        }
        lines += result.notes.map { "Note: " + TerminalText.escape($0) }
        return lines
    }
}

/// A one-line progress display on a terminal while `ingest new` reads: percentage of bytes,
/// rows. Redraws at most ten times a second.
final class InferenceProgress: Sendable {
    private let write: @Sendable (String) -> Void
    private let name: String
    private let lastDraw = Mutex<Double>(0)

    init(write: @escaping @Sendable (String) -> Void, name: String) { self.write = write; self.name = TerminalText.escape(name) }

    func update(_ p: DefinitionInference.Progress) {
        let now = Date().timeIntervalSince1970
        let due = lastDraw.withLock { last -> Bool in
            guard now - last >= 0.1 else { return false }
            last = now
            return true
        }
        guard due else { return }
        var line = "Reading \(name): "
        if let total = p.totalBytes, total > 0 {
            line += String(format: "%3d%% ", Int(min(1, Double(p.bytesRead) / Double(total)) * 100))
        }
        line += "\(p.rows) rows"
        write("\r" + line + "\u{1B}[K")
    }

    func finish() { write("\r\u{1B}[K") }
}
