/// A snapshot of a run in flight, given to observers after every chunk.
package struct RunProgress: Sendable, Equatable {
    package var runID: Int64
    package var counts: RunCounts
    package var bytesRead: Int64
    package var bytesTotal: Int64?
    /// Seconds since the run started.
    package var elapsed: Double

    /// Rows per second so far.
    package var rowsPerSecond: Double { elapsed > 0 ? Double(counts.processed) / elapsed : 0 }

    /// Estimated seconds left, from bytes read (nil when the size is unknown).
    package var estimatedSecondsLeft: Double? {
        guard let total = bytesTotal, total > 0, bytesRead > 0, elapsed > 0 else { return nil }
        let rate = Double(bytesRead) / elapsed
        return Double(total - bytesRead) / rate
    }

    /// Fraction done in 0...1 from bytes read.
    package var fraction: Double? {
        guard let total = bytesTotal, total > 0 else { return nil }
        return min(1, Double(bytesRead) / Double(total))
    }
}
