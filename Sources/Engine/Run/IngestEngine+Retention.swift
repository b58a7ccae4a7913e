import Foundation

/// Retention: `ingest prune --older-than AGE` and `ingest serve --retention AGE`.
extension IngestEngine {
    /// What a prune did (or, for a dry run, would do).
    package struct PruneReport: Sendable, Equatable {
        /// Finished runs deleted.
        package var runs: Int
        /// Their logged rows.
        package var rows: Int
        /// Files the runs kept (uploads and downloads kept for apply or resume) that were deleted.
        package var files: Int
        /// The bytes of those files.
        package var fileBytes: Int64
        /// Runs that finished before this time (a timestamp) were taken.
        package var cutoff: String
        package var dryRun: Bool
    }

    /// Deletes the runs that finished more than `age` before `now` (never a pending or processing
    /// one, nor the source of one), their logged rows and the files they kept, in one
    /// transaction; the files go once it has committed. With `dryRun`, counts the same and
    /// deletes nothing.
    package func prune(olderThan age: Duration, dryRun: Bool, now: Date = Date()) throws(EngineError) -> PruneReport {
        let cutoff = Timestamp.format(now.addingTimeInterval(-Double(age.components.seconds)))
        let store = try openStore()
        let pruned: RunStore.Pruned
        do { pruned = try store.prune(finishedBefore: cutoff, dryRun: dryRun) } catch { throw .database(error) }
        var files = 0
        var bytes: Int64 = 0
        for path in pruned.files {
            guard let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber else { continue }
            if !dryRun {
                // Best effort: the run is gone; a file that cannot be removed is left, not an error.
                guard (try? FileManager.default.removeItem(atPath: path)) != nil else { continue }
            }
            files += 1
            bytes += size.int64Value
        }
        return PruneReport(runs: pruned.runs, rows: pruned.rows, files: files, fileBytes: bytes, cutoff: cutoff, dryRun: dryRun)
    }
}
