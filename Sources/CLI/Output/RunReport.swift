import Engine

/// The plain-text account of a run that `run`, `retry` and `status` print.
enum RunReport {
    static func text(for run: IngestRun, verbose: Bool = true) -> String {
        let c = run.counts
        var out = "Run \(run.id) (\(run.importer)\(run.dryRun ? ", dry run" : "")): \(run.status.rawValue)"
        if let ms = run.summary?.meta.durationMs { out += " in \(formatDuration(Double(ms) / 1000))" }
        out += "\n"
        if let file = run.originalFilename { out += "  file:     \(file)\n" }
        let verb = run.dryRun ? "would be " : ""
        out += "  rows:     \(c.processed) processed, \(c.successful) successful (\(c.created) \(verb)created, \(c.updated) \(verb)updated, \(c.skipped) \(verb)skipped), \(c.failed) failed\n"
        if let s = run.summary, s.meta.rowsPerSecond > 0 { out += "  speed:    \(s.meta.rowsPerSecond) rows/s\n" }
        if let source = run.summary?.meta.source, !source.isEmpty {
            out += "  source:   " + source.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value == "\t" ? "\\t" : $0.value)" }.joined(separator: ", ") + "\n"
        }
        if let reason = run.failureReason { out += "  reason:   \(reason)\n" }
        if verbose, let s = run.summary {
            let rowErrors = s.errors.filter { $0 != run.failureReason }
            if !rowErrors.isEmpty {
                out += "  errors:\n"
                for e in rowErrors.prefix(10) { out += "    \(e)\n" }
                if rowErrors.count > 10 { out += "    … see 'ingest errors \(run.id)'\n" }
            }
            if !s.warnings.isEmpty {
                out += "  warnings:\n"
                for w in s.warnings.prefix(10) { out += "    \(w)\n" }
            }
        }
        if c.failed > 0 && run.status.isFinished {
            out += "  Failed rows: 'ingest failed-rows \(run.id) -o failed.csv' to fix and re-import, or 'ingest retry \(run.id)'.\n"
        }
        return out
    }

    static func formatDuration(_ seconds: Double) -> String {
        if seconds < 1 { return "\(Int((seconds * 1000).rounded())) ms" }
        if seconds < 60 { return String(format: "%.2f s", seconds) }
        return "\(Int(seconds) / 60) min \(Int(seconds) % 60) s"
    }
}
