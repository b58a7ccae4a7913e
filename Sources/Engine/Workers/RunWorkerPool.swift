import Foundation
import Synchronization
import IngestSupport

/// Background workers that take `pending` runs from the database and execute them, oldest first.
///
/// Runs are owned and claimed (`pending → processing`) before they run, so several workers (or
/// servers on one database) never run the same run twice. Workers wake when `notify()` is called
/// after a run is created, and look every `pollInterval` for runs created by other processes;
/// every `recoveryInterval` one of them ends runs whose owner is gone (`recoverAbandonedRuns`).
/// Every error is logged with its run id.
package final class RunWorkerPool: Sendable {
    let engine: IngestEngine
    /// Number of worker threads.
    package let workerCount: Int
    /// How often idle workers look for runs created elsewhere.
    package let pollInterval: Duration
    private let wakeup = NSCondition()
    private let state = Mutex(State())
    private let finished = DispatchGroup()
    /// How often runs whose owner died are looked for while serving.
    package let recoveryInterval: Duration
    private let log: @Sendable (String) -> Void

    struct State {
        var stopping = false
        var started = false
        var pendingSignals = 0
        /// Runs another worker or process took first, not looked at again until the instant given:
        /// a worker never spins on a run whose claim is in progress elsewhere.
        var passedOver: [Int64: ContinuousClock.Instant] = [:]
    }

    package init(engine: IngestEngine, workers: Int = 2, pollInterval: Duration = .seconds(1),
                recoveryInterval: Duration = .seconds(30), log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.engine = engine
        self.workerCount = max(1, workers)
        self.pollInterval = pollInterval
        self.recoveryInterval = recoveryInterval
        self.log = log
    }

    /// Ends runs whose owner is gone (a crashed process), then starts the workers.
    /// - Returns: the ids of the runs marked interrupted.
    @discardableResult
    package func start() throws(EngineError) -> [Int64] {
        let interrupted = try engine.recoverAbandonedRuns()
        let alreadyStarted = state.withLock { s -> Bool in
            defer { s.started = true }
            return s.started
        }
        guard !alreadyStarted else { return interrupted }
        startRecovery()
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
    package func notify() {
        wakeup.lock()
        state.withLock { $0.pendingSignals += 1 }
        wakeup.broadcast()
        wakeup.unlock()
    }

    /// Stops the workers and waits for them, at most `timeout`. With `cancelRunning`, runs in
    /// progress stop after their current chunk and end `cancelled` (instead of `interrupted` later).
    package func stop(timeout: Duration = .seconds(30), cancelRunning: Bool = true) {
        state.withLock { $0.stopping = true }
        if cancelRunning { engine.cancelAllRunningHere() }
        wakeup.lock()
        wakeup.broadcast()
        wakeup.unlock()
        _ = finished.wait(timeout: .now() + timeout.seconds)
    }

    private var isStopping: Bool { state.withLock { $0.stopping } }

    private func work() {
        while !isStopping {
            if let id = nextPendingRun() {
                execute(id)
                continue
            }
            wakeup.lock()
            let signalled = state.withLock { s -> Bool in
                if s.pendingSignals > 0 { s.pendingSignals -= 1; return true }
                return false
            }
            if !signalled && !isStopping {
                _ = wakeup.wait(until: Date().addingTimeInterval(pollInterval.seconds))
            }
            wakeup.unlock()
        }
    }

    private func execute(_ id: Int64) {
        do {
            let run = try engine.execute(runID: id)
            if run.status == .failed { log("run \(id) failed: \(run.failureReason ?? "no reason recorded")") }
        } catch .conflict {
            // Another worker or process took it first: leave it alone for a while.
            let until = ContinuousClock.now + pollInterval
            state.withLock { $0.passedOver[id] = until }
        } catch {
            log("run \(id): \(error.description)")
        }
    }

    /// A thread that ends runs whose owner is gone every ``recoveryInterval``, whatever the
    /// workers are doing (they may all be busy with long imports); it wakes at once on stop.
    private func startRecovery() {
        finished.enter()
        let thread = Thread { [self] in
            while waitForNextRecovery() {
                do throws(EngineError) {
                    let ended = try engine.recoverAbandonedRuns()
                    if !ended.isEmpty {
                        log("recovered interrupted runs: \(ended.map(String.init).joined(separator: ", "))"
                            + (engine.configuration.autoResume ? " (resumed)" : ""))
                        notify()
                    }
                } catch {
                    log("recovery: \(error.description)")
                }
            }
            finished.leave()
        }
        thread.name = "ingest-recovery"
        thread.start()
    }

    /// Waits one recovery interval; false as soon as the pool stops.
    private func waitForNextRecovery() -> Bool {
        let deadline = Date().addingTimeInterval(recoveryInterval.seconds)
        wakeup.lock()
        defer { wakeup.unlock() }
        while !isStopping && wakeup.wait(until: deadline) {}
        return !isStopping
    }

    private func nextPendingRun() -> Int64? {
        if engine.claimsWithSkipLocked { return claimNextPending() }
        do {
            let ids = try engine.openStore().pendingRunIDs(limit: workerCount * 4)
            let skipped = runsPassedOver()
            return ids.first { !engine.isRunningHere($0) && !skipped.contains($0) }
        } catch {
            log("looking for pending runs: \(error)")
            return nil
        }
    }

    /// Runs another worker or process took first, still left alone (expired entries dropped).
    private func runsPassedOver() -> Set<Int64> {
        let now = ContinuousClock.now
        return state.withLock { s -> Set<Int64> in
            s.passedOver = s.passedOver.filter { $0.value > now }
            return Set(s.passedOver.keys)
        }
    }

    /// The next pending run, already claimed for this process (PostgreSQL: `SKIP LOCKED`, so
    /// workers of several nodes never wait on one another nor take the same run).
    private func claimNextPending() -> Int64? {
        do {
            return try engine.claimNextPending(excluding: runsPassedOver())
        } catch {
            log("claiming a pending run: \(error)")
            return nil
        }
    }
}
