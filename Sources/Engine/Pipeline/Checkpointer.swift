import Foundation
import SQLite

/// Moves WAL frames into the database file on its own thread and connection while a run writes.
///
/// SQLite's automatic checkpoint runs inside the committing writer, where its fsyncs stall the
/// pipeline's bottleneck thread (measured: about a fifth of the wall time of a 1M-row import). A
/// PASSIVE checkpoint from another connection runs alongside the writer instead, so the writer
/// turns automatic checkpoints off for the run and this thread does them.
final class Checkpointer: @unchecked Sendable {
    // `@unchecked`: `connection` is used by the checkpoint thread only; `stopFlag`/`done` synchronise.
    private let connection: Connection
    private let stopFlag = CancellationFlag()
    private let done = DispatchSemaphore(value: 0)
    /// Time between checkpoints.
    static let interval: TimeInterval = 0.2

    /// Starts checkpointing `databasePath`; nil when no second connection can be opened (then
    /// the writer keeps SQLite's automatic checkpoints).
    init?(databasePath: String) {
        guard databasePath != ":memory:", let c = try? Connection(path: databasePath, busyTimeout: 100) else { return nil }
        connection = c
        let thread = Thread { [self] in
            while !stopFlag.isRaised {
                Thread.sleep(forTimeInterval: Checkpointer.interval)
                _ = try? connection.query("PRAGMA wal_checkpoint(PASSIVE)")
            }
            _ = try? connection.query("PRAGMA wal_checkpoint(PASSIVE)")
            done.signal()
        }
        thread.name = "ingest-checkpoint"
        thread.start()
    }

    /// Runs a last checkpoint and stops.
    func stop() {
        stopFlag.raise()
        done.wait()
    }
}
