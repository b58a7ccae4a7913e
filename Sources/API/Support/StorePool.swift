import Engine
import Synchronization

/// Reuses `RunStore`s (SQLite connections) across requests.
///
/// Opening a connection costs a file open, pragmas and a migration check; doing that on every
/// request would dominate a `GET /{id}`. A store is checked out for the duration of one call and
/// used by exactly one thread meanwhile, which is what SQLite's multi-thread mode requires. At
/// most ``capacity`` idle stores are kept; extra ones close when returned.
final class StorePool: Sendable {
    /// A store in transit between threads. Safe because a pooled store is only touched by the
    /// thread that checked it out, and the mutex orders the hand-over.
    private final class Entry: @unchecked Sendable {
        let store: RunStore
        init(store: RunStore) { self.store = store }
    }

    private let engine: IngestEngine
    private let idle = Mutex<[Entry]>([])
    /// The most idle stores kept open.
    let capacity: Int

    /// A pool opening stores through `engine`.
    init(engine: IngestEngine, capacity: Int = 32) {
        self.engine = engine
        self.capacity = capacity
    }

    /// Runs `body` with a store of its own, then returns the store to the pool.
    func withStore<T>(_ body: (RunStore) throws -> T) throws -> T {
        let entry = try idle.withLock { $0.popLast() } ?? Entry(store: engine.openStore())
        defer {
            // A store left inside a transaction by a failed body must not be reused.
            if !entry.store.db.isInTransaction {
                idle.withLock { if $0.count < capacity { $0.append(entry) } }
            }
        }
        return try body(entry.store)
    }
}
