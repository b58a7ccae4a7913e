import Dispatch
import Glibc

extension HTTPServer {
    /// Runs the server until one of `signals` arrives (default SIGINT and SIGTERM), then shuts
    /// down gracefully and returns.
    ///
    /// The signals are routed through Dispatch sources rather than a C handler, so the shutdown
    /// code runs on an ordinary thread and may take locks. Their default disposition is
    /// restored on return.
    ///
    /// - Parameter onSignal: called (on a Dispatch queue) with the signal before shutdown
    ///   starts, e.g. to stop background workers too.
    package func runUntilSignalled(
        _ signals: [Int32] = [SIGINT, SIGTERM], onSignal: (@Sendable (Int32) -> Void)? = nil
    ) throws(HTTPServerError) {
        var sources: [any DispatchSourceSignal] = []
        for number in signals {
            // The signal must be ignored by the process for the Dispatch source to see it.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in
                onSignal?(number)
                shutdown()
            }
            source.resume()
            sources.append(source)
        }
        defer {
            for source in sources { source.cancel() }
            for number in signals { signal(number, SIG_DFL) }
        }
        try run()
    }
}
