#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Clocks for the per-thread split of a run (`summary.meta.threads`).
enum ThreadClock {
    /// CPU time the calling thread has used so far.
    static func cpu() -> Duration {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return .seconds(Int64(ts.tv_sec)) + .nanoseconds(Int64(ts.tv_nsec))
    }

    /// A monotonic instant in nanoseconds: cheap (no system call on Linux), so it can time
    /// single rows; the thread's CPU clock is a system call that costs more than a row's bind.
    @inline(__always)
    static func nanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    /// What reading ``nanoseconds()`` twice costs: the median of 101 tries, taken once.
    static let pairCost: UInt64 = {
        var costs: [UInt64] = []
        for _ in 0...100 {
            let a = nanoseconds()
            costs.append(nanoseconds() &- a)
        }
        return costs.sorted()[50]
    }()

    /// `end - start` less the cost of reading the clock.
    @inline(__always)
    static func spent(since start: UInt64) -> UInt64 {
        let d = nanoseconds() &- start
        return d > pairCost ? d - pairCost : 0
    }

    /// Whole milliseconds of `d`.
    static func milliseconds(_ d: Duration) -> Int {
        let c = d.components
        return Int(c.seconds) * 1000 + Int(c.attoseconds / 1_000_000_000_000_000)
    }
}
