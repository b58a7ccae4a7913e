import Synchronization

/// Carries written batches back from the write thread to the parse thread, which frees them.
///
/// Every row's strings and arrays were allocated on the parse thread; releasing them on the write
/// thread costs a cache miss per object (the reference counts live in the other core's cache) on
/// the thread that is the pipeline's bottleneck. Handing the batch back makes the final release
/// happen where the objects were made, on the thread with time to spare.
final class RecycleBin: Sendable {
    private let batches = Mutex<[[PendingRow]]>([])

    /// Keeps `rows` for the parse thread to free.
    func put(_ rows: [PendingRow]) {
        batches.withLock { $0.append(rows) }
    }

    /// Frees everything handed back so far, on the calling thread.
    func empty() {
        let taken = batches.withLock { b -> [[PendingRow]] in
            let all = b
            b.removeAll(keepingCapacity: true)
            return all
        }
        _ = taken.count
    }
}
