import Rules
import Synchronization

/// Carries written arenas back from the write thread to the parse thread, which fills them again.
///
/// An arena keeps its memory from batch to batch, so a long import allocates a handful of them
/// (the queue's capacity plus the two in hand) and then none. Arenas that grew past
/// ``maxKeptBytes`` (a batch of very large cells) are dropped instead of kept.
final class RecycleBin: Sendable {
    private let arenas = Mutex<[RowArena]>([])
    /// Arenas kept at most, and the largest one kept.
    static let maxKept = 8
    static let maxKeptBytes = 8 << 20

    /// Keeps `arena` for the parse thread to fill again.
    func put(_ arena: RowArena) {
        guard arena.capacity <= RecycleBin.maxKeptBytes else { return }
        arenas.withLock { if $0.count < RecycleBin.maxKept { $0.append(arena) } }
    }

    /// An emptied arena of `width` values per row: a recycled one, or a new one.
    func take(width: Int) -> RowArena {
        if let arena = arenas.withLock({ $0.popLast() }), arena.width == width {
            arena.removeAll()
            return arena
        }
        return RowArena(width: width)
    }
}
