import Foundation

/// How fast a run goes: the API's `rows_per_second` and `eta_seconds`.
package struct RunRate: Sendable, Equatable {
    /// Rows processed per second since the run started (until it finished, for a finished run);
    /// nil before it started, or when no time has passed.
    package var rowsPerSecond: Double?
    /// Seconds until a running run reaches the end of its source at the rate so far, from the
    /// bytes read of the file's size (or the rows of a known row total); nil when unknown, and
    /// for runs that are not `processing`.
    package var etaSeconds: Double?

    package init(rowsPerSecond: Double?, etaSeconds: Double?) {
        self.rowsPerSecond = rowsPerSecond
        self.etaSeconds = etaSeconds
    }
}

extension IngestRun {
    /// The rate at wall-clock time `now` (used only while the run is `processing`).
    package func rate(at now: Date = Date()) -> RunRate {
        guard let started = startedAt.flatMap(Timestamp.parse) else { return RunRate(rowsPerSecond: nil, etaSeconds: nil) }
        let end = status.isFinished ? (completedAt.flatMap(Timestamp.parse) ?? now) : now
        let elapsed = end.timeIntervalSince(started)
        guard elapsed > 0 else { return RunRate(rowsPerSecond: nil, etaSeconds: nil) }
        let processed = Double(counts.processed)
        let rowsPerSecond = IngestRun.rounded(processed / elapsed)
        guard status == .processing else { return RunRate(rowsPerSecond: rowsPerSecond, etaSeconds: nil) }
        var eta: Double?
        if let total = bytesTotal, total > 0, bytesRead > 0 {
            eta = elapsed * Double(max(0, total - bytesRead)) / Double(bytesRead)
        } else if counts.total > counts.processed, processed > 0 {
            eta = elapsed * Double(counts.total - counts.processed) / processed
        }
        return RunRate(rowsPerSecond: rowsPerSecond, etaSeconds: eta.map(IngestRun.rounded))
    }

    /// One decimal place: more would be noise, and it keeps the JSON short.
    private static func rounded(_ value: Double) -> Double {
        (value * 10).rounded() / 10
    }
}
