import Synchronization

/// A flag one thread raises and another polls: cancellation from a signal handler, a server
/// request, or the writer telling the parser to stop early.
public final class CancellationFlag: Sendable {
    private let raised = Atomic<Bool>(false)
    public init() {}
    public func raise() { raised.store(true, ordering: .releasing) }
    public var isRaised: Bool { raised.load(ordering: .acquiring) }
}

/// Hands a non-`Sendable` value to exactly one other thread.
///
/// Used for the reader and row processor, which are created on the calling thread and then owned
/// by the parse thread alone; the creating thread never touches them again.
struct Handoff<Value>: @unchecked Sendable {
    let value: Value
}
