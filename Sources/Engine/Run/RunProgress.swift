/// A snapshot of a run in flight, given to observers after every chunk.
public struct RunProgress: Sendable, Equatable {
    public var runID: Int64
    public var counts: RunCounts
    public var bytesRead: Int64
    public var bytesTotal: Int64?
    /// Seconds since the run started.
    public var elapsed: Double

    /// Rows per second so far.
    public var rowsPerSecond: Double { elapsed > 0 ? Double(counts.processed) / elapsed : 0 }

    /// Estimated seconds left, from bytes read (nil when the size is unknown).
    public var estimatedSecondsLeft: Double? {
        guard let total = bytesTotal, total > 0, bytesRead > 0, elapsed > 0 else { return nil }
        let rate = Double(bytesRead) / elapsed
        return Double(total - bytesRead) / rate
    }

    /// Fraction done in 0...1 from bytes read.
    public var fraction: Double? {
        guard let total = bytesTotal, total > 0 else { return nil }
        return min(1, Double(bytesRead) / Double(total))
    }
}
