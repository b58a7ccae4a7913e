import Synchronization
@testable import HTTP

/// Collects log lines so tests stay quiet and can assert on the access log.
final class LogCapture: Sendable {
    private let storage = Mutex<[String]>([])
    var lines: [String] { storage.withLock { $0 } }
    var logger: HTTPServer.Logger { { [self] line in storage.withLock { $0.append(line) } } }
}
