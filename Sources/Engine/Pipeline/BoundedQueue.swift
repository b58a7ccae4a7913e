import Foundation

/// A blocking FIFO of fixed capacity joining the parse thread to the write thread.
///
/// The bound is what keeps memory flat: when SQLite falls behind, the parser waits instead of
/// piling chunks up. `@unchecked Sendable` because every access to `items` holds `condition`.
final class BoundedQueue<Element: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Element] = []
    private var head = 0
    /// Maximum queued elements (chunks).
    let capacity: Int

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Appends, waiting while the queue is full.
    func push(_ element: Element) {
        condition.lock()
        while items.count - head >= capacity { condition.wait() }
        items.append(element)
        condition.broadcast()
        condition.unlock()
    }

    /// Removes the oldest element, waiting while the queue is empty.
    func pop() -> Element {
        condition.lock()
        while items.count - head == 0 { condition.wait() }
        let element = items[head]
        head += 1
        if head > 64 && head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
        condition.broadcast()
        condition.unlock()
        return element
    }
}
