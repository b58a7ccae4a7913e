import Foundation
import SQLite

/// Moves WAL frames into the database file on its own thread and connection while a run writes.
///
/// SQLite's automatic checkpoint runs inside the committing writer, where its fsyncs stall the
/// pipeline's bottleneck thread (measured: about a fifth of the wall time of a 1M-row import). A
/// PASSIVE checkpoint from another connection runs alongside the writer instead, so the writer
/// turns automatic checkpoints off for the run and this thread does them.
final class Checkpointer: @unchecked Sendable {
    // `@unchecked`: `connection` is used by the checkpoint thread only; `wake` guards `stopping`.
    private let connection: Connection
    private let wake = NSCondition()
    private var stopping = false
    private let done = DispatchSemaphore(value: 0)
    /// Time between checkpoints.
    static let interval: TimeInterval = 0.2

    /// Starts checkpointing `databasePath`; nil when no second connection can be opened (then
    /// the writer keeps SQLite's automatic checkpoints).
    init?(databasePath: String) {
        guard databasePath != ":memory:", let c = try? Connection(path: databasePath, busyTimeout: 100) else { return nil }
        connection = c
        let thread = Thread { [self] in
            // A failed checkpoint is only a missed one: the next (or SQLite's own) catches up.
            while waitForNextCheckpoint() {
                _ = try? connection.query("PRAGMA wal_checkpoint(PASSIVE)")
            }
            _ = try? connection.query("PRAGMA wal_checkpoint(PASSIVE)")
            done.signal()
        }
        thread.name = "ingest-checkpoint"
        thread.start()
    }

    /// Waits one interval; false as soon as `stop` is called.
    private func waitForNextCheckpoint() -> Bool {
        wake.lock()
        defer { wake.unlock() }
        let deadline = Date().addingTimeInterval(Checkpointer.interval)
        while !stopping && wake.wait(until: deadline) {}
        return !stopping
    }

    /// Runs a last checkpoint and stops, without waiting out the interval.
    func stop() {
        wake.lock()
        stopping = true
        wake.signal()
        wake.unlock()
        done.wait()
    }
}
