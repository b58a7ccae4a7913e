import Synchronization

/// A flag one thread raises and another polls: cancellation from a signal handler, a server
/// request, or the writer telling the parser to stop early.
public final class CancellationFlag: Sendable {
    private let raised = Atomic<Bool>(false)
    public init() {}
    public func raise() { raised.store(true, ordering: .releasing) }
    public var isRaised: Bool { raised.load(ordering: .acquiring) }
}
