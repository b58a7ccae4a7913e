import CSQLite
#if canImport(Glibc)
import Glibc
#endif

/// Fair turns between writers of one database in several processes.
///
/// SQLite's own busy handler sleeps with a growing back-off (up to 100 ms) while another
/// connection holds the write lock. A process that commits a chunk and at once begins the next
/// one holds that lock almost all the time, so a waiter in another process that polls every
/// 100 ms keeps missing the moments in between and gives up after the busy timeout with "database
/// is locked", although nothing was stuck (seen with two servers and a CLI import on one
/// database). Two small changes make the waiting fair:
///
/// - A waiter polls every 1–2 ms and, while it waits, holds a shared `flock` on the side file
///   `<database>-wait` (it says "someone is waiting", nothing else).
/// - After each commit, a writer checks that file; while someone waits (an exclusive `flock`
///   without blocking fails) it stays out for up to ``maxCourtesy`` in 1 ms steps, so the waiter
///   takes the lock in between. Uncontended, the check is two system calls per commit.
///
/// The busy timeout keeps its meaning: a waiter gives up after that long. SQLite's locks still
/// decide who writes; this only spreads the turns.
final class WriterTurns {
    /// The longest a writer stays out after a commit for a waiter: 20 ms.
    static let maxCourtesy = 20
    private let waitPath: String
    private let timeoutMs: Int64
    private var descriptor: Int32 = -1
    private var announced = false
    private var waitStarted: Int64 = 0

    init(databasePath: String, timeoutMs: Int32) {
        waitPath = databasePath + "-wait"
        self.timeoutMs = Int64(max(0, timeoutMs))
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Installs the handler on `db`; the connection keeps `self` for as long as `db` is open.
    func install(on db: OpaquePointer) {
        sqlite3_busy_handler(db, { context, count in
            guard let context else { return 0 }
            return Unmanaged<WriterTurns>.fromOpaque(context).takeUnretainedValue().busy(count: count)
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    /// SQLite's busy callback: 1 to keep waiting (after a short sleep), 0 to give up.
    private func busy(count: Int32) -> Int32 {
        let now = Self.milliseconds()
        if count == 0 {
            waitStarted = now
            announce()
        }
        if now - waitStarted >= timeoutMs {
            endWait()
            return 0
        }
        usleep(1_000 + UInt32.random(in: 0..<1_000))
        return 1
    }

    /// Ends this connection's wait (called when a statement that may have waited has returned).
    func endWait() {
        guard announced else { return }
        announced = false
        _ = flock(descriptor, LOCK_UN)
    }

    /// After a commit: stays out while another connection waits, up to ``maxCourtesy`` ms.
    func yieldToWaiters() {
        endWait()
        guard openFile() else { return }
        for _ in 0..<Self.maxCourtesy {
            if flock(descriptor, LOCK_EX | LOCK_NB) == 0 {
                _ = flock(descriptor, LOCK_UN)
                return
            }
            usleep(1_000)
        }
    }

    private func announce() {
        guard openFile() else { return }
        announced = flock(descriptor, LOCK_SH) == 0
    }

    /// Opens (creating if needed) the side file; false when that is impossible (a read-only
    /// folder), and then the turns are left to SQLite.
    private func openFile() -> Bool {
        if descriptor >= 0 { return true }
        descriptor = open(waitPath, O_RDONLY | O_CREAT | O_CLOEXEC, 0o644)
        return descriptor >= 0
    }

    private static func milliseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000 + Int64(ts.tv_nsec) / 1_000_000
    }
}
