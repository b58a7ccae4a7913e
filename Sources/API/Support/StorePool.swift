import Engine
import Glibc
import Synchronization

/// Reuses `RunStore`s (SQLite connections) across requests.
///
/// Opening a connection costs a file open, pragmas and a migration check; doing that on every
/// request would dominate a `GET /{id}`. A store is checked out for the duration of one call and
/// used by exactly one thread meanwhile, which is what SQLite's multi-thread mode requires.
///
/// The idle stores are split over ``shardCount`` independently locked shards, picked by the
/// calling thread: with one lock, 16 busy connection threads spent a fifth of their CPU time
/// waiting for it (a profile under `wrk -c16`); sharded, the lock is almost never contended and a
/// keep-alive connection usually gets back the store it returned. At most ``capacityPerShard``
/// idle stores are kept per shard; extra ones close when returned.
final class StorePool: Sendable {
    /// A store in transit between threads. Safe because a pooled store is only touched by the
    /// thread that checked it out, and the shard's mutex orders the hand-over.
    private final class Entry: @unchecked Sendable {
        let store: RunStore
        init(store: RunStore) { self.store = store }
    }

    /// One lock and its idle stores.
    private final class Shard: Sendable {
        let idle = Mutex<[Entry]>([])
    }

    /// Independently locked groups of idle stores: 16.
    static let shardCount = 16
    /// The most idle stores kept per shard: 4, so 64 in all (the server's default connection cap).
    let capacityPerShard: Int
    private let engine: IngestEngine
    private let shards: [Shard]

    /// A pool opening stores through `engine`.
    init(engine: IngestEngine, capacityPerShard: Int = 4) {
        self.engine = engine
        self.capacityPerShard = capacityPerShard
        shards = (0..<StorePool.shardCount).map { _ in Shard() }
    }

    /// Runs `body` with a store of its own, then returns the store to the pool.
    func withStore<T>(_ body: (RunStore) throws -> T) throws -> T {
        let shard = shards[StorePool.shardIndex()]
        let entry = try shard.idle.withLock { $0.popLast() } ?? Entry(store: engine.openStore())
        defer {
            // A store left inside a transaction by a failed body must not be reused.
            if !entry.store.isInTransaction {
                shard.idle.withLock { if $0.count < capacityPerShard { $0.append(entry) } }
            }
        }
        return try body(entry.store)
    }

    /// The calling thread's shard: a mix of its pthread id, stable for the thread's life.
    static func shardIndex() -> Int {
        let id = UInt64(pthread_self())
        let mixed = (id ^ (id >> 17)) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: mixed >> 59) & (shardCount - 1)
    }
}
