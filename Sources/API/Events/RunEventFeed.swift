import Engine
import Foundation
import Synchronization

/// Follows runs through the database for the event streams, whoever executes them: this
/// server's workers, another server, or `ingest run` in another process.
///
/// One connection of its own asks SQLite's `PRAGMA data_version` at most once per
/// ``minimumInterval``; the number moves only when some other connection committed, so while
/// nothing is written a tick costs that one pragma whatever the number of streams. When it
/// moved, a run a stream asks for is read again (once per change, however many streams follow
/// it), and the list feed compares the live runs with what it saw last.
///
/// Only the event-stream thread calls it in the server; the mutex makes any other caller safe.
final class RunEventFeed: Sendable {
    /// The feed's store. Safe to send: it is only touched under the feed's mutex.
    private final class StoreBox: @unchecked Sendable {
        let store: RunStore
        init(_ store: RunStore) { self.store = store }
    }

    private struct Cached {
        var generation: Int
        var run: IngestRun?
    }

    private struct State {
        var store: StoreBox?
        var dataVersion: Int64?
        var checkedAt: ContinuousClock.Instant?
        /// Moves on with every change of `data_version`.
        var generation = 0
        var cache: [Int64: Cached] = [:]
        /// The list feed: the generation it last compared, the live runs it saw then, the newest
        /// id it knows, and the changes it found, numbered.
        var listGeneration = -1
        var snapshot: [Int64: IngestRun] = [:]
        var newestID: Int64 = 0
        var changes: [(sequence: Int, run: IngestRun)] = []
        var sequence = 0
        /// The credentials of open streams as last looked up.
        var credentials: [StreamCredential: CheckedCredential] = [:]
    }

    private struct CheckedCredential {
        var generation: Int
        var checkedAt: ContinuousClock.Instant
        var live: Bool
    }

    /// How long a credential's lookup is trusted while `data_version` does not move: 5 s.
    static let credentialRecheckInterval: Duration = .seconds(5)

    /// Runs whose reads are cached at most: 1024 (older entries are dropped at the next change).
    static let maxCachedRuns = 1024
    /// Changes of the list feed kept for streams that are behind: 1024.
    static let maxKeptChanges = 1024

    private let engine: IngestEngine
    /// How often `data_version` is asked at most: 100 ms.
    let minimumInterval: Duration
    private let state = Mutex(State())

    init(engine: IngestEngine, minimumInterval: Duration = .milliseconds(100)) {
        self.engine = engine
        self.minimumInterval = minimumInterval
    }

    /// Run `id` as the database holds it now (at most ``minimumInterval`` old), or nil when there
    /// is no such run (any more).
    func run(_ id: Int64, now: ContinuousClock.Instant) throws -> IngestRun? {
        try state.withLock { state in
            let store = try refresh(&state, now: now)
            if let cached = state.cache[id], cached.generation == state.generation { return cached.run }
            let run = try store.run(id)
            if state.cache.count >= RunEventFeed.maxCachedRuns {
                let generation = state.generation
                state.cache = state.cache.filter { $0.value.generation == generation }
            }
            state.cache[id] = Cached(generation: state.generation, run: run)
            return run
        }
    }

    /// Where the list feed is now: a new list stream reports the changes after it.
    func listCursor(now: ContinuousClock.Instant) throws -> Int {
        try listChanges(after: Int.max, now: now).cursor
    }

    /// The runs that changed (were created, progressed or changed status) after `cursor`, oldest
    /// change first, and the new cursor.
    func listChanges(after cursor: Int, now: ContinuousClock.Instant) throws -> (runs: [IngestRun], cursor: Int) {
        try state.withLock { state in
            let store = try refresh(&state, now: now)
            if state.listGeneration != state.generation {
                try compareLiveRuns(&state, store: store)
                state.listGeneration = state.generation
            }
            let runs = state.changes.filter { $0.sequence > cursor }.map(\.run)
            return (runs, state.sequence)
        }
    }

    /// Whether `credential` still authorizes a stream: its session has not expired by the clock,
    /// and (looked up again when `data_version` moved or ``credentialRecheckInterval`` passed,
    /// one indexed query shared by every stream with that credential) its token still exists and
    /// its session is still stored and unexpired.
    func isLive(_ credential: StreamCredential, now: ContinuousClock.Instant) throws -> Bool {
        if credential.hasExpired(at: Date()) { return false }
        return try state.withLock { state in
            let store = try refresh(&state, now: now)
            if let checked = state.credentials[credential], checked.generation == state.generation,
               checked.checkedAt.duration(to: now) < RunEventFeed.credentialRecheckInterval {
                return checked.live
            }
            let live: Bool
            if let hash = credential.sessionHash {
                live = try SessionStore(store).isLive(hash: hash)
            } else {
                live = try TokenStore(store).exists(id: credential.tokenID)
            }
            if state.credentials.count >= RunEventFeed.maxCachedRuns { state.credentials.removeAll() }
            state.credentials[credential] = CheckedCredential(generation: state.generation, checkedAt: now, live: live)
            return live
        }
    }

    /// The runs that are `pending` or `processing` now.
    func liveRuns(now: ContinuousClock.Instant) throws -> [IngestRun] {
        try state.withLock { state in
            let store = try refresh(&state, now: now)
            return try store.liveRuns(orNewerThan: Int64.max)
        }
    }

    /// Asks `data_version` when ``minimumInterval`` has passed; a new number starts a generation.
    private func refresh(_ state: inout State, now: ContinuousClock.Instant) throws -> RunStore {
        let box: StoreBox
        if let existing = state.store { box = existing } else {
            box = StoreBox(try engine.openStore())
            state.store = box
        }
        if let checked = state.checkedAt, checked.duration(to: now) < minimumInterval { return box.store }
        state.checkedAt = now
        let version = try box.store.changeToken()
        if version != state.dataVersion {
            state.dataVersion = version
            state.generation += 1
        }
        return box.store
    }

    /// Records every live or new run that differs from the snapshot, and the last state of the
    /// runs that left the live set.
    private func compareLiveRuns(_ state: inout State, store: RunStore) throws {
        let first = state.listGeneration < 0
        if first { state.newestID = try store.newestRunID() }
        var current = try store.liveRuns(orNewerThan: state.newestID)
        let seen = Set(current.map(\.id))
        current += try store.runs(ids: state.snapshot.keys.filter { !seen.contains($0) }.sorted())
        var next: [Int64: IngestRun] = [:]
        for run in current {
            if !first && state.snapshot[run.id] != run {
                state.sequence += 1
                state.changes.append((state.sequence, run))
            }
            if !run.status.isFinished { next[run.id] = run }
            state.newestID = max(state.newestID, run.id)
        }
        state.snapshot = next
        if state.changes.count > RunEventFeed.maxKeptChanges {
            state.changes.removeFirst(state.changes.count - RunEventFeed.maxKeptChanges)
        }
    }
}
