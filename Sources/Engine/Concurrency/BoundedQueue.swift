import Foundation

/// A blocking FIFO of fixed capacity joining the parse thread to the write thread.
///
/// The bound is what keeps memory flat: when SQLite falls behind, the parser waits instead of
/// piling chunks up. Elements may carry a weight (the bytes of a batch's rows): past `maxWeight`
/// queued, a push waits too, except into an empty queue, so one element of any weight always
/// gets through. `@unchecked Sendable` because every access to `items` holds `condition`.
final class BoundedQueue<Element: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [(element: Element, weight: Int)] = []
    private var queuedWeight = 0
    /// Maximum queued elements (chunks).
    let capacity: Int
    /// Maximum total weight queued while the queue is not empty.
    let maxWeight: Int

    init(capacity: Int, maxWeight: Int = .max) {
        self.capacity = max(1, capacity)
        self.maxWeight = max(0, maxWeight)
    }

    /// Appends, waiting while the queue is full (by count, or by weight unless it is empty).
    func push(_ element: Element, weight: Int = 0) {
        condition.lock()
        while items.count >= capacity || (!items.isEmpty && queuedWeight + weight > maxWeight) { condition.wait() }
        items.append((element, weight))
        queuedWeight += weight
        condition.broadcast()
        condition.unlock()
    }

    /// Removes the oldest element, waiting while the queue is empty.
    func pop() -> Element {
        condition.lock()
        while items.isEmpty { condition.wait() }
        // removeFirst is O(capacity), a handful of elements; keeping popped chunks in the array
        // instead would keep their rows alive.
        let (element, weight) = items.removeFirst()
        queuedWeight -= weight
        condition.broadcast()
        condition.unlock()
        return element
    }
}
