import SQLite

/// Retention: deleting finished runs and their row logs (`ingest prune`, `serve --retention`).
extension RunStore {
    /// What a prune removes (or, for a dry run, would remove).
    package struct Pruned: Sendable, Equatable {
        /// Runs deleted.
        package var runs = 0
        /// Logged rows (`ingest_rows`) deleted with them.
        package var rows = 0
        /// Files the runs owned (kept uploads and downloads), for the caller to delete once the
        /// transaction has committed.
        package var files: [String] = []
    }

    /// Which runs a prune takes: finished before the cutoff (`completed_at`, or `created_at` for a
    /// run that never started), no source of a run that is still pending or processing (a
    /// retry reads its original's row log, an apply or resume its file), and none with a webhook
    /// delivery still `pending` or `sending` (deleting the run would drop it: deliveries are
    /// promised at least once).
    static let prunableRuns = """
        SELECT id FROM ingest_runs AS old
        WHERE status IN ('completed', 'completed_with_errors', 'failed', 'cancelled')
          AND COALESCE(completed_at, created_at) < ?
          AND NOT EXISTS (
              SELECT 1 FROM ingest_runs AS live WHERE live.status IN ('pending', 'processing')
                AND old.id IN (live.parent_id, live.retried_from_run_id, live.applied_from_run_id, live.resumed_from_run_id))
          AND NOT EXISTS (
              SELECT 1 FROM ingest_webhook_deliveries AS d WHERE d.run_id = old.id AND d.status IN ('pending', 'sending'))
        """

    /// Deletes the finished runs older than `cutoff` (a timestamp as ``Timestamp`` writes them)
    /// and their logged rows, in one transaction; with `dryRun`, only counts them. Pending and
    /// processing runs are never taken.
    package func prune(finishedBefore cutoff: String, dryRun: Bool) throws(SQLiteError) -> Pruned {
        try db.begin(dryRun ? .deferred : .immediate)
        do {
            let args: [Value] = [.text(cutoff)]
            var pruned = Pruned()
            pruned.runs = Int(try db.scalar("SELECT COUNT(*) FROM (\(RunStore.prunableRuns)) AS prunable", args)?.integerValue ?? 0)
            pruned.rows = Int(try db.scalar("SELECT COUNT(*) FROM ingest_rows WHERE run_id IN (\(RunStore.prunableRuns))", args)?.integerValue ?? 0)
            pruned.files = try db.query("""
                SELECT owned_file FROM ingest_runs WHERE owned_file IS NOT NULL AND id IN (\(RunStore.prunableRuns))
                """, args).compactMap { $0.first?.textValue }
            if !dryRun && pruned.runs > 0 {
                _ = try db.execute("DELETE FROM ingest_rows WHERE run_id IN (\(RunStore.prunableRuns))", args)
                _ = try db.execute("DELETE FROM ingest_runs WHERE id IN (\(RunStore.prunableRuns))", args)
            }
            try db.commit()
            return pruned
        } catch {
            try? db.rollback()
            throw error
        }
    }
}
