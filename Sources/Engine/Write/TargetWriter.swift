import SQLStore

/// What writing a batch did (both writers report the same shape).
typealias BatchOutcome = ChunkWriter.BatchOutcome

/// The writer seam: writes a run's batches into its target table inside the executor's
/// transaction. SQLite's ``ChunkWriter`` writes row by row through prepared statements;
/// ``PostgresChunkWriter`` copies each batch into a staging table and applies it with set
/// statements. Both report the same counts and failed rows for the same file.
protocol TargetWriter: AnyObject {
    /// Writes one batch inside the caller's transaction; a failing row fails alone (the
    /// executor decides what its transaction mode makes of it).
    func write(_ batch: RowBatch) throws(DatabaseError) -> BatchOutcome
    /// Forgets cached lookup ids (after a rollback may have removed rows they point to).
    func invalidateCaches()
    /// Estimated wall time spent inside the database by this writer so far.
    var databaseTime: Duration { get }
}

extension ChunkWriter: TargetWriter {
    var databaseTime: Duration { sqliteTime }
}
