import Engine

/// Sets a run's database cancellation flag in addition to the engine's in-process flag.
///
/// Workaround for an engine race: `RunWorkerPool`'s workers can both pick the same pending run;
/// the one that loses the claim overwrites and then removes the winner's in-process
/// cancellation flag, so `requestCancellation(of:)` and `cancelAllRunningHere()` may raise a
/// flag nobody reads and the run goes on to the end. The database flag is read by the run
/// between chunks. Runs inside one transaction (dry runs, `transaction: all`) are skipped: they
/// do not read that flag, and the write would only wait on their lock.
enum CancellationFallback {
    /// Flags run `id` in the database when it is processing outside a single transaction.
    /// Best effort: `store` should have a short busy timeout, and failures are ignored.
    static func flagInDatabase(_ id: Int64, engine: IngestEngine, store: RunStore) {
        guard let run = try? store.run(id), run.status == .processing, !run.dryRun,
              let definition = try? engine.importer(run.importer).compiled.definition, definition.transaction != .all
        else { return }
        _ = try? store.requestCancellation(of: id)
    }
}
