import Dispatch
import Foundation
import Synchronization
import Glibc
import IngestSupport

/// A blocking HTTP/1.1 server: one thread per connection, deadlines by `poll()`.
///
/// Handlers are plain synchronous closures, which keeps them easy to write and test; the cost
/// is a thread per connection, bounded by ``HTTPServerConfiguration/maxConnections``. Which
/// connection gets a thread is decided by a ``ConnectionTable``: every connection is accepted at
/// once and waits in the server for a slot; unauthenticated connections (see ``Admission``) are
/// capped in total and per client address, and the oldest of them is closed to make room, so
/// they can never take the slots that authenticated clients need. A connection that finds no
/// slot within ``HTTPServerConfiguration/connectionQueueTimeout`` of its arrival is answered
/// `503` with `Retry-After` by the accept loop itself.
///
/// Lifecycle: ``start()`` binds and starts accepting on a background thread; ``run()`` blocks
/// until ``shutdown()`` (or a signal, see ``runUntilSignalled(_:)``), then stops accepting, lets
/// in-flight requests finish within ``HTTPServerConfiguration/drainTimeout`` and returns.
package final class HTTPServer: Sendable {
    /// Receives one line per request (the access log) and error notes; never response bodies.
    package typealias Logger = @Sendable (String) -> Void

    /// Writes each line to standard error.
    package static let standardErrorLogger: Logger = { line in
        let bytes = Array((line + "\n").utf8)
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            _ = Glibc.write(2, base, raw.count)
        }
    }

    /// Discards every line, for tests.
    package static let silentLogger: Logger = { _ in }

    /// The configuration the server was created with.
    package let configuration: HTTPServerConfiguration
    private let router: Router
    private let logger: Logger
    /// Serves the open `text/event-stream` responses on one thread of their own.
    private let eventStreams: EventStreamHub

    private enum Phase { case created, running, stopping, stopped }

    private struct State {
        var phase = Phase.created
        var listener: ListeningSocket?
        var wakeRead: Int32 = -1
        var wakeWrite: Int32 = -1
        var table: ConnectionTable
        var acceptLoopRunning = false
    }

    private let state: Mutex<State>
    /// Set (for good) when the phase becomes `stopping` or `stopped`: connection threads ask on
    /// every request, and taking `state`'s lock for that was contended under load (a profile).
    private let stopRequested = Atomic<Bool>(false)
    private let shutdownRequested = DispatchSemaphore(value: 0)
    private let acceptLoopFinished = DispatchSemaphore(value: 0)
    /// Signalled whenever a connection leaves the table, so the drain waits without polling.
    private let departed = NSCondition()

    /// Creates a server; the router is copied, so later changes to it have no effect.
    package init(configuration: HTTPServerConfiguration = HTTPServerConfiguration(), router: Router, logger: @escaping Logger = HTTPServer.standardErrorLogger) {
        self.configuration = configuration
        self.router = router
        self.logger = logger
        self.state = Mutex(State(table: ConnectionTable(limits: ConnectionTable.Limits(configuration))))
        self.eventStreams = EventStreamHub(
            limit: configuration.maxEventStreams, tick: configuration.eventStreamTick,
            heartbeat: configuration.eventStreamHeartbeat, logger: logger)
    }

    /// Event streams open now (served by the event-stream thread), for tests.
    package var openEventStreams: Int { eventStreams.openStreams }

    /// The bound port (the ephemeral one when configured with port 0), or 0 before ``start()``.
    package var port: Int {
        state.withLock { $0.listener?.port ?? 0 }
    }

    /// Unauthenticated connections holding a slot now, for tests.
    var unauthenticatedConnections: Int {
        state.withLock { $0.table.unauthenticatedCount }
    }

    /// Binds, listens and starts accepting connections on a background thread.
    ///
    /// - Returns: the bound port.
    @discardableResult
    package func start() throws(HTTPServerError) -> Int {
        let alreadyStarted = state.withLock { state -> Bool in
            if state.phase != .created { return true }
            state.phase = .running
            return false
        }
        if alreadyStarted { throw .alreadyStarted }
        let listener: ListeningSocket
        do {
            listener = try ListeningSocket.bind(host: configuration.host, port: configuration.port, backlog: configuration.backlog)
        } catch {
            state.withLock { $0.phase = .created }
            throw error
        }
        var pipeEnds: [Int32] = [-1, -1]
        guard pipe(&pipeEnds) == 0 else {
            let error = errno
            listener.close()
            state.withLock { $0.phase = .created }
            throw .socket(operation: "pipe", errno: error)
        }
        let (wakeRead, wakeWrite) = (pipeEnds[0], pipeEnds[1])
        _ = fcntl(wakeRead, F_SETFD, FD_CLOEXEC)
        _ = fcntl(wakeWrite, F_SETFD, FD_CLOEXEC)
        state.withLock {
            $0.listener = listener
            $0.wakeRead = wakeRead
            $0.wakeWrite = wakeWrite
            $0.acceptLoopRunning = true
        }
        Thread.detachNewThread { [self] in
            acceptLoop(listener: listener, wake: wakeRead)
            acceptLoopFinished.signal()
        }
        return listener.port
    }

    /// Starts the server if needed, then blocks until ``shutdown()`` is called and the
    /// connections have drained (at most ``HTTPServerConfiguration/drainTimeout``).
    package func run() throws(HTTPServerError) {
        let phase = state.withLock { $0.phase }
        if phase == .stopped { return }
        if phase == .created { try start() }
        shutdownRequested.wait()
        shutdownRequested.signal()
        drain()
    }

    /// Asks the server to stop: no new connections are accepted, idle keep-alive connections
    /// close, in-flight requests finish. Returns at once; ``run()`` returns when it is done.
    package func shutdown() {
        let wake = state.withLock { state -> Int32? in
            guard state.phase == .running else {
                if state.phase == .created { state.phase = .stopped; stopRequested.store(true, ordering: .releasing) }
                return nil
            }
            state.phase = .stopping
            stopRequested.store(true, ordering: .releasing)
            return state.wakeWrite
        }
        if let wake {
            var byte: UInt8 = 1
            _ = Glibc.write(wake, &byte, 1)
        }
        shutdownRequested.signal()
    }

    /// ``shutdown()`` followed by waiting for the drain, for tests and embedding code.
    package func stop() {
        shutdown()
        try? run()
    }

    /// Whether ``shutdown()`` has been called.
    var isShuttingDown: Bool {
        stopRequested.load(ordering: .acquiring)
    }

    private func drain() {
        let wasAccepting = state.withLock { $0.acceptLoopRunning }
        if wasAccepting {
            acceptLoopFinished.wait()
            acceptLoopFinished.signal()
        }
        // Event streams never end on their own: close them now rather than wait for them.
        eventStreams.stop()
        waitUntilNoConnections(for: configuration.drainTimeout)
        // Past the drain timeout: wake every blocked read and write so the threads finish.
        state.withLock { state in
            for descriptor in state.table.openDescriptors { _ = Glibc.shutdown(descriptor, Int32(SHUT_RDWR)) }
        }
        waitUntilNoConnections(for: .seconds(1))
        state.withLock { state in
            // The wake pipe is only closed when no thread can still poll it.
            if state.table.isEmpty && state.wakeRead >= 0 {
                _ = Glibc.close(state.wakeRead)
                _ = Glibc.close(state.wakeWrite)
                state.wakeRead = -1
                state.wakeWrite = -1
            }
            state.phase = .stopped
            stopRequested.store(true, ordering: .releasing)
        }
    }

    /// Waits until every connection has left the table, at most `limit`; woken by each departure.
    private func waitUntilNoConnections(for limit: Duration) {
        let deadline = Date().addingTimeInterval(limit.seconds)
        departed.lock()
        defer { departed.unlock() }
        while state.withLock({ !$0.table.isEmpty }) {
            guard departed.wait(until: deadline) else { return }
        }
    }

    // MARK: - Accepting

    /// Accepts every connection at once and hands it to the ``ConnectionTable``; answers `503`
    /// to the connections the table rejects and lingers over them, all without blocking.
    private func acceptLoop(listener: ListeningSocket, wake: Int32) {
        var rejected = RejectedConnections(retryAfterSeconds: configuration.retryAfterSeconds)
        defer {
            listener.close()
            let changes = state.withLock { $0.table.stopAdmitting() }
            apply(changes, wake: wake, rejected: &rejected)
            rejected.closeAll()
            state.withLock { $0.acceptLoopRunning = false }
        }
        while true {
            var fds = [pollfd(fd: listener.descriptor, events: Int16(POLLIN), revents: 0), pollfd(fd: wake, events: Int16(POLLIN), revents: 0)]
            fds += rejected.pollDescriptors
            let deadline = [state.withLock { $0.table.nextWakeup(after: .now) }, rejected.nextDeadline].compactMap { $0 }.min()
            let ready = poll(&fds, nfds_t(fds.count), HTTPServer.pollTimeout(until: deadline))
            if ready < 0 {
                if errno == EINTR { continue }
                logger("error poll on listening socket: errno \(errno)")
                return
            }
            if fds[1].revents != 0 || isShuttingDown { return }
            let now = ContinuousClock.now
            rejected.service(fds[2...], now: now)
            let changes = state.withLock { state in
                let changes = state.table.tick(now: now)
                HTTPServer.evict(changes)
                return changes
            }
            apply(changes, wake: wake, rejected: &rejected)
            if fds[0].revents != 0 { acceptPending(listener: listener, wake: wake, rejected: &rejected) }
        }
    }

    /// Accepts what the listening socket holds (at most 64 at a time, so expiries keep being
    /// served under a flood).
    private func acceptPending(listener: ListeningSocket, wake: Int32, rejected: inout RejectedConnections) {
        for _ in 0..<64 {
            guard let (descriptor, remoteAddress) = listener.accept() else {
                let error = errno
                if error != EAGAIN && error != EWOULDBLOCK && error != EINTR && error != ECONNABORTED {
                    // Out of descriptors or memory: the connection stays pending, so pause
                    // instead of spinning on a listening socket that stays readable.
                    logger("error accept: errno \(error)")
                    Thread.sleep(forTimeInterval: 0.05)
                }
                return
            }
            let changes = state.withLock { state in
                let changes = state.table.arrive(descriptor: descriptor, remoteAddress: remoteAddress, now: .now)
                HTTPServer.evict(changes)
                return changes
            }
            apply(changes, wake: wake, rejected: &rejected)
        }
    }

    /// Carries out what the table decided, from the accept loop: new threads, `503`s, log lines.
    private func apply(_ changes: ConnectionTable.Changes, wake: Int32, rejected: inout RejectedConnections) {
        logEvictions(changes)
        for admitted in changes.admitted {
            Thread.detachNewThread { [self] in serve(admitted, wake: wake) }
        }
        let now = ContinuousClock.now
        for connection in changes.rejected {
            rejected.reject(connection.descriptor, now: now)
            logger("\(connection.remoteAddress) - - 503 \(rejected.content.count)B 0ms")
        }
    }

    /// Closes (shuts down) the evicted connections; called under the state lock, which keeps
    /// their descriptors from being closed and reused meanwhile.
    private static func evict(_ changes: ConnectionTable.Changes) {
        for victim in changes.evicted { _ = Glibc.shutdown(victim.descriptor, Int32(SHUT_RDWR)) }
    }

    private func logEvictions(_ changes: ConnectionTable.Changes) {
        for victim in changes.evicted {
            logger("\(victim.remoteAddress) - - closed: unauthenticated connection evicted to make room")
        }
    }

    /// `poll()`'s timeout in milliseconds until `deadline` (rounded up), or -1 for none.
    static func pollTimeout(until deadline: ContinuousClock.Instant?) -> Int32 {
        guard let deadline else { return -1 }
        return ContinuousClock.now.duration(to: deadline).pollMilliseconds
    }

    // MARK: - Serving

    /// Serves `first`, then, on the same thread, whichever waiting connection its slot goes to.
    private func serve(_ first: ConnectionTable.Admitted, wake: Int32) {
        var next: ConnectionTable.Admitted? = first
        while let admitted = next {
            serveConnection(admitted, wake: wake)
            departed.lock()
            let changes = state.withLock { state in
                let changes = state.table.depart(admitted.id, now: .now)
                HTTPServer.evict(changes)
                return changes
            }
            departed.broadcast()
            departed.unlock()
            logEvictions(changes)
            next = changes.admitted.first
            for other in changes.admitted.dropFirst() {
                Thread.detachNewThread { [self] in serve(other, wake: wake) }
            }
        }
    }

    private func serveConnection(_ admitted: ConnectionTable.Admitted, wake: Int32) {
        let socket = ConnectionSocket(descriptor: admitted.descriptor)
        let id = admitted.id
        // Deregister before the descriptor is closed, so neither drain() nor an eviction ever
        // shuts down a number that has been reused by another connection.
        socket.willClose = { [self] in state.withLock { $0.table.descriptorClosed(id) } }
        let connection = HTTPConnection(
            socket: socket, remoteAddress: admitted.remoteAddress, configuration: configuration, router: router,
            logger: logger, eventStreams: eventStreams, shutdownSignal: wake, isShuttingDown: { [self] in isShuttingDown },
            onAuthenticated: { [self] in authenticated(id, wake: wake) }
        )
        connection.serve()
        socket.close()  // no-op when the socket went to the event-stream thread
    }

    /// Connection `id` authenticated: its unauthenticated slot may go to a waiting connection.
    private func authenticated(_ id: Int, wake: Int32) {
        let changes = state.withLock { state in
            let changes = state.table.authenticated(id, now: .now)
            HTTPServer.evict(changes)
            return changes
        }
        logEvictions(changes)
        for admitted in changes.admitted {
            Thread.detachNewThread { [self] in serve(admitted, wake: wake) }
        }
    }
}
