import Engine
import Synchronization

/// Response bodies of `GET /`, `GET /{id}` and `GET /{id}/errors/summary`, kept while they are
/// still true, so a repeated read sends bytes instead of querying and writing JSON again.
///
/// **When an entry is true.** Every entry carries the database's change counter
/// (``ChangeWatch``) read *before* its body was built, and is served only while the counter is
/// unchanged: no connection of any process has committed since, so the same queries would give
/// the same bytes. Any commit (a run's progress, a new run, a token's use, an edit by hand)
/// retires every entry at once. Whether a run is finished does not matter and is not trusted: a
/// finished run's record can still change (`cancel_requested` set in a race with the end,
/// `owned_file` handed on by an apply or resume, a manual repair), and so can its rows. While
/// imports commit, a read builds its body again after each commit and is served from the cache
/// until the next one.
///
/// **Size.** The cache is split into ``shardCount`` parts picked by the calling thread (like
/// ``StorePool``'s shards: one shared lock was a tenth of the server's CPU under `wrk -c16`), each
/// with at most ``maxBytesPerShard`` (2 MiB) of bodies and ``maxEntriesPerShard`` (128) entries,
/// so at most 16 MiB in all; a body over a quarter of a shard's budget (512 KiB) is not kept. A
/// hot body is kept once per shard that serves it. When a shard is full, its least recently used
/// entry goes. Keys are the endpoint and the request target (path and query), so pages and
/// filters of the list are entries of their own.
final class ReadCache: Sendable {
    /// A kept body and the counter it was built at.
    struct Entry: Sendable {
        /// The change counter read before the body was built.
        var version: Int64
        /// The response body.
        var body: [UInt8]
        fileprivate var lastUse: UInt64 = 0

        init(version: Int64, body: [UInt8]) {
            self.version = version
            self.body = body
        }
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var bytes = 0
        var clock: UInt64 = 0
    }

    private final class Shard: Sendable {
        let state = Mutex(State())
    }

    /// Parts of the cache, each with its own lock: 8.
    let shardCount: Int
    /// The most body bytes kept per shard: 2 MiB.
    let maxBytesPerShard: Int
    /// The most entries kept per shard: 128.
    let maxEntriesPerShard: Int
    private let shards: [Shard]

    init(shardCount: Int = 8, maxBytesPerShard: Int = 2 << 20, maxEntriesPerShard: Int = 128) {
        self.shardCount = max(1, shardCount)
        self.maxBytesPerShard = maxBytesPerShard
        self.maxEntriesPerShard = maxEntriesPerShard
        shards = (0..<max(1, shardCount)).map { _ in Shard() }
    }

    /// The calling thread's shard.
    private var shard: Shard { shards[StorePool.shardIndex() % shardCount] }

    /// The body kept for `key` at `version`, marked as just used; nil when there is none or it
    /// was built at another version.
    func body(_ key: String, version: Int64) -> [UInt8]? {
        shard.state.withLock { state in
            guard let entry = state.entries[key], entry.version == version else { return nil }
            state.clock &+= 1
            state.entries[key]?.lastUse = state.clock
            return entry.body
        }
    }

    /// Keeps `entry` under `key`, evicting the least recently used entries beyond the limits.
    func store(_ key: String, _ entry: Entry) {
        guard entry.body.count <= maxBytesPerShard / 4 else { return }
        shard.state.withLock { state in
            var entry = entry
            state.clock &+= 1
            entry.lastUse = state.clock
            if let old = state.entries.updateValue(entry, forKey: key) { state.bytes -= old.body.count }
            state.bytes += entry.body.count
            while state.bytes > maxBytesPerShard || state.entries.count > maxEntriesPerShard {
                guard let oldest = state.entries.min(by: { $0.value.lastUse < $1.value.lastUse }) else { break }
                state.entries[oldest.key] = nil
                state.bytes -= oldest.value.body.count
            }
        }
    }

    /// Bytes of the kept bodies, all shards (for tests).
    var storedBytes: Int { shards.reduce(0) { sum, shard in sum + shard.state.withLock { $0.bytes } } }
    /// Number of kept entries, all shards (for tests).
    var count: Int { shards.reduce(0) { sum, shard in sum + shard.state.withLock { $0.entries.count } } }
}

/// A counter that moves whenever anything commits to the database, read without a shared lock.
///
/// SQLite's `data_version` of a connection moves when any *other* connection commits, so a
/// connection that only ever reads it sees every commit: the API's own writes (uploads, cancels)
/// through pooled connections, the worker pool's imports, and other processes such as `ingest
/// token revoke`. One `PRAGMA` on an idle connection: no table is read.
///
/// One watching connection would be a lock every request thread takes (a profile under
/// `wrk -c16` showed a quarter of the server's CPU spinning on it), so there are
/// ``StorePool/shardCount`` of them, picked by the calling thread like the store pool's shards.
/// Their `data_version`s cannot be compared with each other, so they feed one process-wide
/// *epoch*: a watcher that sees its `data_version` move adds one to the epoch before its lock is
/// released, and every caller gets the epoch. The first look through any watcher after a commit
/// sees the commit and moves the epoch, so an epoch read after a commit is always greater than
/// one read before it (a commit may move it more than once, which only costs a rebuild).
final class ChangeWatch: Sendable {
    private struct Watcher {
        var store: RunStore?
        var seen: Int64?
    }

    /// One watcher behind its own lock.
    private final class Slot: Sendable {
        let watcher = Mutex(Watcher())
    }

    private let engine: IngestEngine
    private let slots: [Slot]
    private let epoch = Atomic<Int64>(0)

    init(engine: IngestEngine) {
        self.engine = engine
        slots = (0..<StorePool.shardCount).map { _ in Slot() }
    }

    /// The current epoch, or nil when the database cannot be read (then nothing is cached).
    ///
    /// A watcher's connection, once open, is kept for the server's life, even after an error:
    /// a new connection would start its `data_version` over, and its first value is treated as
    /// a change anyway.
    func version() -> Int64? {
        slots[StorePool.shardIndex()].watcher.withLock { watcher in
            if watcher.store == nil { watcher.store = try? engine.openStore() }
            guard let current = try? watcher.store?.changeToken() else { return nil }
            if watcher.seen != current {
                watcher.seen = current
                epoch.add(1, ordering: .sequentiallyConsistent)
            }
            return epoch.load(ordering: .sequentiallyConsistent)
        }
    }
}
