import Synchronization

/// A flag one thread raises and another polls: cancellation from a signal handler, a server
/// request, or the writer telling the parser to stop early.
package final class CancellationFlag: Sendable {
    private let raised = Atomic<Bool>(false)
    package init() {}
    package func raise() { raised.store(true, ordering: .releasing) }
    package var isRaised: Bool { raised.load(ordering: .acquiring) }
}
