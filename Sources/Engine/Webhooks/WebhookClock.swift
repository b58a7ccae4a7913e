import Foundation
import Synchronization

/// The wall clock the deliverer reads: when a delivery is due, when the next attempt is, the
/// `X-Ingest-Timestamp` it signs. Tests move it forward (``advance(by:)``) to drive the backoff
/// without waiting; in production it is the system clock.
package final class WebhookClock: Sendable {
    private let offset = Mutex(Duration.zero)

    package init() {}

    /// The system clock, plus whatever it was advanced by.
    package func now() -> Date { Date().addingTimeInterval(offset.withLock { $0 }.seconds) }

    /// Moves this clock forward by `duration` (tests).
    package func advance(by duration: Duration) { offset.withLock { $0 += duration } }
}
