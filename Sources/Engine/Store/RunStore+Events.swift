import SQLite

/// What live event streams read after ``changeToken()`` said something changed: the runs to compare.
extension RunStore {
    /// The runs with these ids that exist.
    package func runs(ids: [Int64]) throws(SQLiteError) -> [IngestRun] {
        guard !ids.isEmpty else { return [] }
        let marks = Array(repeating: "?", count: ids.count).joined(separator: ", ")
        return try queryRuns("SELECT \(RunStore.runColumns) FROM ingest_runs WHERE id IN (\(marks)) ORDER BY id", ids.map(Value.integer))
    }

    /// Runs that may be changing: `pending` or `processing`, or created after run `id`.
    package func liveRuns(orNewerThan id: Int64) throws(SQLiteError) -> [IngestRun] {
        try queryRuns("""
            SELECT \(RunStore.runColumns) FROM ingest_runs WHERE status IN ('pending', 'processing') OR id > ? ORDER BY id
            """, [.integer(id)])
    }

    /// The highest run id, or 0 when there is none.
    package func newestRunID() throws(SQLiteError) -> Int64 {
        try db.scalar("SELECT COALESCE(MAX(id), 0) FROM ingest_runs")?.integerValue ?? 0
    }
}

extension RunStore.Ending {
    /// An ending with these counters and the defaults of the rest (no summary, not resumable).
    package init(status: RunStatus, counts: RunCounts, bytesRead: Int64, bytesTotal: Int64? = nil) {
        self.status = status; self.counts = counts; self.bytesRead = bytesRead; self.bytesTotal = bytesTotal
    }
}
