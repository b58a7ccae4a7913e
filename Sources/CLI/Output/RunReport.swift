import Engine

/// The plain-text account of a run that `run`, `retry` and `status` print. Every value that came
/// from outside (file name, messages quoting cells, reasons) goes through `TerminalText`.
enum RunReport {
    static func text(for run: IngestRun, verbose: Bool = true) -> String {
        let c = run.counts
        let safe = TerminalText.escape
        var out = "Run \(run.id) (\(safe(run.importer))\(run.dryRun ? ", dry run" : "")): \(run.status.rawValue)"
        if let ms = run.summary?.meta.durationMs { out += " in \(formatDuration(Double(ms) / 1000))" }
        out += "\n"
        if let file = run.originalFilename { out += "  file:     \(safe(file))\n" }
        let verb = run.dryRun ? "would be " : ""
        out += "  rows:     \(c.processed) processed, \(c.successful) successful (\(c.created) \(verb)created, \(c.updated) \(verb)updated, \(c.skipped) \(verb)skipped), \(c.failed) failed\n"
        if run.status == .processing, let total = run.bytesTotal, total > 0 {
            let percent = max(0, min(100, Int(Double(run.bytesRead) * 100 / Double(total))))
            out += "  progress: \(percent)% (\(run.bytesRead) of \(total) bytes read)\n"
        }
        if let s = run.summary, s.meta.rowsPerSecond > 0 { out += "  speed:    \(s.meta.rowsPerSecond) rows/s\n" }
        if let source = run.summary?.meta.source, !source.isEmpty {
            out += "  source:   " + source.sorted { $0.key < $1.key }.map { "\(safe($0.key))=\(safe($0.value))" }.joined(separator: ", ") + "\n"
        }
        if let r = run.summary?.meta.relations {
            out += "  pivots:   \(r.attached) attached, \(r.detached) detached, \(r.created) related rows created\n"
        }
        if let tables = run.summary?.meta.tables {
            for (name, t) in tables.sorted(by: { $0.key < $1.key }) {
                out += "  table:    \(safe(name)): \(t.created) created, \(t.updated) updated, \(t.skipped) skipped\n"
            }
        }
        if let reason = run.failureReason { out += "  reason:   \(safe(reason))\n" }
        if verbose, let s = run.summary {
            let rowErrors = s.errors.filter { $0 != run.failureReason }
            if !rowErrors.isEmpty {
                out += "  errors:\n"
                for e in rowErrors.prefix(10) { out += "    \(safe(e))\n" }
                if rowErrors.count > 10 { out += "    … see 'ingest errors \(run.id)'\n" }
            }
            if !s.warnings.isEmpty {
                out += "  warnings:\n"
                for w in s.warnings.prefix(10) { out += "    \(safe(w))\n" }
            }
        }
        if let undone = run.summary?.meta.rolledBack, !run.dryRun, run.rolledBackRows > 0 {
            out += "  rolled back: \(undone.created) would have been created, \(undone.updated) updated, \(undone.skipped) skipped; none of them is in the table\n"
        }
        if let next = nextStep(run) { out += "  Next: \(next)\n" }
        return out
    }

    /// What to do next, never a retry that would leave partial data.
    static func nextStep(_ run: IngestRun) -> String? {
        guard run.status.isFinished else { return nil }
        let export = "'ingest failed-rows \(run.id) -o failed.csv' lists the failed rows to fix"
        if run.resumable { return "resume it from where it stopped with 'ingest resume \(run.id)'." }
        if run.dryRun {
            guard run.status == .completed || run.status == .completedWithErrors else { return nil }
            return "import it for real with 'ingest apply \(run.id)'" + (run.counts.failed > 0 ? " (failed rows stay out; \(export))." : ".")
        }
        guard run.counts.failed > 0 else { return nil }
        if run.retryRefusal != nil { return "\(export); then import the whole file again (its rows were rolled back)." }
        return "\(export) and re-import, or 'ingest retry \(run.id)'."
    }

    static func formatDuration(_ seconds: Double) -> String {
        if seconds < 1 { return "\(Int((seconds * 1000).rounded())) ms" }
        if seconds < 60 { return String(format: "%.2f s", seconds) }
        return "\(Int(seconds) / 60) min \(Int(seconds) % 60) s"
    }
}
