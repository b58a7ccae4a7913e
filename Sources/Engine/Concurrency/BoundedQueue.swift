import Foundation

/// A blocking FIFO of fixed capacity joining the parse thread to the write thread.
///
/// The bound is what keeps memory flat: when SQLite falls behind, the parser waits instead of
/// piling chunks up. `@unchecked Sendable` because every access to `items` holds `condition`.
final class BoundedQueue<Element: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Element] = []
    /// Maximum queued elements (chunks).
    let capacity: Int

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Appends, waiting while the queue is full.
    func push(_ element: Element) {
        condition.lock()
        while items.count >= capacity { condition.wait() }
        items.append(element)
        condition.broadcast()
        condition.unlock()
    }

    /// Removes the oldest element, waiting while the queue is empty.
    func pop() -> Element {
        condition.lock()
        while items.isEmpty { condition.wait() }
        // removeFirst is O(capacity), a handful of elements; keeping popped chunks in the array
        // instead would keep their rows alive.
        let element = items.removeFirst()
        condition.broadcast()
        condition.unlock()
        return element
    }
}
