import Foundation
import SQLite
import Synchronization

/// Ownership by lease, for nodes sharing one PostgreSQL database (docs/RUNS.md, "Several nodes").
///
/// A node that claims a run holds its lease (`ingest_runs.lease_until`, by the database's clock)
/// and renews it from a heartbeat thread every third of the lease, and at every committed chunk.
/// A run whose lease has passed belongs to a node that stopped (crashed, killed, cut off or
/// frozen): any node's recovery takes it over in one statement and ends it interrupted. The old
/// owner, should it come back, can commit nothing more: every chunk's progress write is fenced by
/// the owner, and its heartbeat finds the run gone and stops the run.
final class LeaseRunOwnership: RunOwnership {
    let owner: RunOwner
    let location: DatabaseLocation
    /// How long a claim or renewal holds: ``EngineConfiguration/leaseDuration``.
    let leaseMilliseconds: Int64

    init(location: DatabaseLocation, lease: Duration) {
        self.location = location
        leaseMilliseconds = Int64(max(1, ThreadClock.milliseconds(lease)))
        owner = RunOwner(host: LocalRunOwnership.hostName, pid: Int64(getpid()), startedAt: LocalRunOwnership.processStart)
    }

    /// The lease itself is written by the claim (``RunStore/claimRow``, or the insert of a run
    /// created claimed) in the caller's transaction; this starts renewing it.
    func acquire(_ id: Int64) throws(EngineError) -> RunClaim? {
        LeaseRunClaim(runID: id, owner: owner, location: location, leaseMilliseconds: leaseMilliseconds, heartbeat: true)
    }

    func abandonedClaim(of run: IngestRun, store: RunStore) throws(EngineError) -> RunClaim? {
        do {
            guard try store.takeOverExpiredLease(run.id, owner: owner) else { return nil }
        } catch { throw .database(error) }
        return LeaseRunClaim(runID: run.id, owner: owner, location: location, leaseMilliseconds: leaseMilliseconds, heartbeat: false)
    }
}

/// A run held by lease: a heartbeat thread renews it until ``release()``.
final class LeaseRunClaim: RunClaim, @unchecked Sendable {
    // `@unchecked`: every mutable field is inside `state`.
    private let runID: Int64
    private let owner: RunOwner
    private let location: DatabaseLocation
    private let leaseMilliseconds: Int64
    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)

    struct State {
        var released = false
        var onStop: (@Sendable () -> Void)?
        var stopRequested = false
    }

    init(runID: Int64, owner: RunOwner, location: DatabaseLocation, leaseMilliseconds: Int64, heartbeat: Bool) {
        self.runID = runID
        self.owner = owner
        self.location = location
        self.leaseMilliseconds = leaseMilliseconds
        super.init()
        if heartbeat { startHeartbeat() }
    }

    /// Renews every third of the lease (at least every 100 ms apart), until released or lost.
    private func startHeartbeat() {
        let interval = max(0.1, Double(leaseMilliseconds) / 3000)
        let thread = Thread { [self] in
            var store: RunStore?
            // The claim commits after the heartbeat starts: until one renewal has seen the run as
            // this process's, "not found" means "not committed yet", never "lost".
            var confirmed = false
            while wake.wait(timeout: .now() + interval) == .timedOut {
                if state.withLock({ $0.released }) { return }
                do {
                    if store == nil {
                        let opened = RunStore(connection: try location.connect())
                        opened.leaseMilliseconds = leaseMilliseconds
                        store = opened
                    }
                    guard let renewal = try store?.renewLease(runID, owner: owner) else { continue }
                    switch renewal {
                    case .lost:
                        if confirmed { requestStop(); return }
                    case .renewed(let cancelRequested):
                        confirmed = true
                        if cancelRequested { requestStop() }
                    }
                } catch {
                    // Unreachable for now: keep trying while the lease lasts; the chunk commits are fenced anyway.
                    store = nil
                }
            }
        }
        thread.name = "ingest-lease-\(runID)"
        thread.start()
    }

    private func requestStop() {
        let action = state.withLock { s -> (@Sendable () -> Void)? in
            s.stopRequested = true
            return s.onStop
        }
        action?()
    }

    override func whenStopRequested(_ action: @escaping @Sendable () -> Void) {
        let now = state.withLock { s -> Bool in
            s.onStop = action
            return s.stopRequested
        }
        if now { action() }
    }

    /// Stops renewing: the lease runs out and recovery (on any node) ends the run.
    override func abandon(reason: String) { release() }

    override func release() {
        let first = state.withLock { s -> Bool in
            defer { s.released = true }
            return !s.released
        }
        if first { wake.signal() }
    }

    deinit { release() }
}
