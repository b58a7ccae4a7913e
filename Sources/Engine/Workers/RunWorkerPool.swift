import Foundation
import Synchronization

/// Background workers that take `pending` runs from the database and execute them, oldest first.
///
/// Runs are claimed with a conditional update (`pending → processing`), so several workers (or
/// servers on one database) never run the same run twice. Workers wake when `notify()` is called
/// after a run is created, and poll every `pollInterval` for runs created by other processes.
public final class RunWorkerPool: Sendable {
    let engine: IngestEngine
    /// Number of worker threads.
    public let workerCount: Int
    /// How often idle workers look for runs created elsewhere.
    public let pollInterval: Duration
    private let wakeup = NSCondition()
    private let state = Mutex(State())
    private let finished = DispatchGroup()

    struct State {
        var stopping = false
        var started = false
        var pendingSignals = 0
    }

    public init(engine: IngestEngine, workers: Int = 2, pollInterval: Duration = .seconds(1)) {
        self.engine = engine
        self.workerCount = max(1, workers)
        self.pollInterval = pollInterval
    }

    /// Fails runs a crashed process left `processing`, then starts the workers.
    /// - Returns: the ids of the runs marked interrupted.
    @discardableResult
    public func start() throws(EngineError) -> [Int64] {
        let store = try engine.openStore()
        let interrupted: [Int64]
        do { interrupted = try store.failInterruptedRuns() } catch { throw .database(error) }
        let alreadyStarted = state.withLock { s -> Bool in
            defer { s.started = true }
            return s.started
        }
        guard !alreadyStarted else { return interrupted }
        for index in 0..<workerCount {
            finished.enter()
            let thread = Thread { [self] in
                self.work()
                self.finished.leave()
            }
            thread.name = "ingest-worker-\(index + 1)"
            thread.stackSize = 4 << 20
            thread.start()
        }
        return interrupted
    }

    /// Wakes a worker: a run was just created.
    public func notify() {
        wakeup.lock()
        state.withLock { $0.pendingSignals += 1 }
        wakeup.broadcast()
        wakeup.unlock()
    }

    /// Stops the workers and waits for them, at most `timeout`. With `cancelRunning`, runs in
    /// progress stop after their current chunk and end `cancelled` (instead of `interrupted` later).
    public func stop(timeout: Duration = .seconds(30), cancelRunning: Bool = true) {
        state.withLock { $0.stopping = true }
        if cancelRunning { engine.cancelAllRunningHere() }
        wakeup.lock()
        wakeup.broadcast()
        wakeup.unlock()
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        _ = finished.wait(timeout: .now() + seconds)
    }

    private var isStopping: Bool { state.withLock { $0.stopping } }

    private func work() {
        while !isStopping {
            if let id = nextPendingRun() {
                _ = try? engine.execute(runID: id, removeSourceWhenDone: engine.isTemporarySource(runID: id))
                continue
            }
            wakeup.lock()
            let signalled = state.withLock { s -> Bool in
                if s.pendingSignals > 0 { s.pendingSignals -= 1; return true }
                return false
            }
            if !signalled && !isStopping {
                let seconds = Double(pollInterval.components.seconds) + Double(pollInterval.components.attoseconds) / 1e18
                _ = wakeup.wait(until: Date().addingTimeInterval(seconds))
            }
            wakeup.unlock()
        }
    }

    private func nextPendingRun() -> Int64? {
        guard let store = try? engine.openStore(), let ids = try? store.pendingRunIDs(limit: workerCount * 2) else { return nil }
        return ids.first { !engine.isRunningHere($0) }
    }
}
