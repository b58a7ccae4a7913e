import Dispatch
import Foundation
import Synchronization
import Glibc

/// A blocking HTTP/1.1 server: one thread per connection, deadlines by `poll()`.
///
/// Handlers are plain synchronous closures, which keeps them easy to write and test; the cost
/// is a thread per connection, bounded by ``HTTPServerConfiguration/maxConnections``. Past the
/// cap, new connections wait in the kernel backlog (back-pressure) for
/// ``HTTPServerConfiguration/connectionQueueTimeout`` and are then answered `503` with
/// `Retry-After`.
///
/// Lifecycle: ``start()`` binds and starts accepting on a background thread; ``run()`` blocks
/// until ``shutdown()`` (or a signal, see ``runUntilSignalled(_:)``), then stops accepting, lets
/// in-flight requests finish within ``HTTPServerConfiguration/drainTimeout`` and returns.
public final class HTTPServer: Sendable {
    /// Receives one line per request (the access log) and error notes; never response bodies.
    public typealias Logger = @Sendable (String) -> Void

    /// Writes each line to standard error.
    public static let standardErrorLogger: Logger = { line in
        let bytes = Array((line + "\n").utf8)
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            _ = Glibc.write(2, base, raw.count)
        }
    }

    /// Discards every line, for tests.
    public static let silentLogger: Logger = { _ in }

    /// The configuration the server was created with.
    public let configuration: HTTPServerConfiguration
    private let router: Router
    private let logger: Logger

    private enum Phase { case created, running, stopping, stopped }

    private struct State {
        var phase = Phase.created
        var listener: ListeningSocket?
        var wakeRead: Int32 = -1
        var wakeWrite: Int32 = -1
        var connections: [Int: Int32] = [:]
        var nextConnectionID = 0
        var rejecting = 0
        var acceptLoopRunning = false
    }

    private let state = Mutex(State())
    private let shutdownRequested = DispatchSemaphore(value: 0)
    private let acceptLoopFinished = DispatchSemaphore(value: 0)

    /// The most connections being answered `503` at once; more are closed without an answer.
    private static let maxRejecting = 16

    /// Creates a server; the router is copied, so later changes to it have no effect.
    public init(configuration: HTTPServerConfiguration = HTTPServerConfiguration(), router: Router, logger: @escaping Logger = HTTPServer.standardErrorLogger) {
        self.configuration = configuration
        self.router = router
        self.logger = logger
    }

    /// The bound port (the ephemeral one when configured with port 0), or 0 before ``start()``.
    public var port: Int {
        state.withLock { $0.listener?.port ?? 0 }
    }

    /// Binds, listens and starts accepting connections on a background thread.
    ///
    /// - Returns: the bound port.
    @discardableResult
    public func start() throws(HTTPServerError) -> Int {
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
    public func run() throws(HTTPServerError) {
        let phase = state.withLock { $0.phase }
        if phase == .stopped { return }
        if phase == .created { try start() }
        shutdownRequested.wait()
        shutdownRequested.signal()
        drain()
    }

    /// Asks the server to stop: no new connections are accepted, idle keep-alive connections
    /// close, in-flight requests finish. Returns at once; ``run()`` returns when it is done.
    public func shutdown() {
        let wake = state.withLock { state -> Int32? in
            guard state.phase == .running else {
                if state.phase == .created { state.phase = .stopped }
                return nil
            }
            state.phase = .stopping
            return state.wakeWrite
        }
        if let wake {
            var byte: UInt8 = 1
            _ = Glibc.write(wake, &byte, 1)
        }
        shutdownRequested.signal()
    }

    /// ``shutdown()`` followed by waiting for the drain, for tests and embedding code.
    public func stop() {
        shutdown()
        try? run()
    }

    /// Whether ``shutdown()`` has been called.
    var isShuttingDown: Bool {
        state.withLock { $0.phase == .stopping || $0.phase == .stopped }
    }

    private func drain() {
        let wasAccepting = state.withLock { $0.acceptLoopRunning }
        if wasAccepting {
            acceptLoopFinished.wait()
            acceptLoopFinished.signal()
        }
        let deadline = ContinuousClock.now + configuration.drainTimeout
        while ContinuousClock.now < deadline, state.withLock({ !$0.connections.isEmpty || $0.rejecting > 0 }) {
            Thread.sleep(forTimeInterval: 0.005)
        }
        // Past the drain timeout: wake every blocked read and write so the threads finish.
        let remaining = state.withLock { Array($0.connections.values) }
        for descriptor in remaining { _ = Glibc.shutdown(descriptor, Int32(SHUT_RDWR)) }
        let grace = ContinuousClock.now + .seconds(1)
        while ContinuousClock.now < grace, state.withLock({ !$0.connections.isEmpty }) {
            Thread.sleep(forTimeInterval: 0.005)
        }
        state.withLock { state in
            // The wake pipe is only closed when no thread can still poll it.
            if state.connections.isEmpty && state.rejecting == 0 && state.wakeRead >= 0 {
                _ = Glibc.close(state.wakeRead)
                _ = Glibc.close(state.wakeWrite)
                state.wakeRead = -1
                state.wakeWrite = -1
            }
            state.phase = .stopped
        }
    }

    // MARK: - Accepting

    private func acceptLoop(listener: ListeningSocket, wake: Int32) {
        defer {
            listener.close()
            state.withLock { $0.acceptLoopRunning = false }
        }
        var fds = [pollfd(fd: listener.descriptor, events: Int16(POLLIN), revents: 0), pollfd(fd: wake, events: Int16(POLLIN), revents: 0)]
        while true {
            fds[0].revents = 0
            fds[1].revents = 0
            let ready = poll(&fds, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                logger("error poll on listening socket: errno \(errno)")
                return
            }
            if fds[1].revents != 0 || isShuttingDown { return }
            guard fds[0].revents != 0 else { continue }

            // Back-pressure: while at the cap, leave the connection in the backlog for a while
            // in the hope that a slot frees up.
            let queueDeadline = ContinuousClock.now + configuration.connectionQueueTimeout
            while state.withLock({ $0.connections.count >= configuration.maxConnections }), ContinuousClock.now < queueDeadline {
                if isShuttingDown { return }
                Thread.sleep(forTimeInterval: 0.002)
            }
            guard let (descriptor, remoteAddress) = listener.accept() else {
                let error = errno
                if error != EAGAIN && error != EWOULDBLOCK && error != EINTR && error != ECONNABORTED {
                    // Out of descriptors or memory: the connection stays pending, so pause
                    // instead of spinning on a listening socket that stays readable.
                    logger("error accept: errno \(error)")
                    Thread.sleep(forTimeInterval: 0.05)
                }
                continue
            }
            let admitted = state.withLock { state -> (id: Int, admitted: Bool, reject: Bool) in
                if state.connections.count < configuration.maxConnections {
                    let id = state.nextConnectionID
                    state.nextConnectionID += 1
                    state.connections[id] = descriptor
                    return (id, true, false)
                }
                if state.rejecting < HTTPServer.maxRejecting {
                    state.rejecting += 1
                    return (0, false, true)
                }
                return (0, false, false)
            }
            if admitted.admitted {
                Thread.detachNewThread { [self] in
                    serveConnection(id: admitted.id, descriptor: descriptor, remoteAddress: remoteAddress, wake: wake)
                }
            } else if admitted.reject {
                Thread.detachNewThread { [self] in
                    reject(descriptor: descriptor, remoteAddress: remoteAddress)
                }
            } else {
                _ = Glibc.close(descriptor)
            }
        }
    }

    private func serveConnection(id: Int, descriptor: Int32, remoteAddress: String, wake: Int32) {
        let socket = ConnectionSocket(descriptor: descriptor)
        // Deregister before the descriptor is closed, so drain() never shuts down a number that
        // has been reused by another connection.
        socket.willClose = { [self] in state.withLock { _ = $0.connections.removeValue(forKey: id) } }
        let connection = HTTPConnection(
            socket: socket, remoteAddress: remoteAddress, configuration: configuration, router: router,
            logger: logger, shutdownSignal: wake, isShuttingDown: { [self] in isShuttingDown }
        )
        connection.serve()
        socket.close()
    }

    /// Answers a connection over the cap with `503` and `Retry-After`, without reading it.
    private func reject(descriptor: Int32, remoteAddress: String) {
        defer { state.withLock { $0.rejecting -= 1 } }
        let socket = ConnectionSocket(descriptor: descriptor)
        let error = HTTPError(
            .serviceUnavailable, message: "The server is busy; retry later.",
            headers: ["Retry-After": String(configuration.retryAfterSeconds)]
        )
        let response = HTTPResponse(error: error)
        var head = "HTTP/1.1 503 \(HTTPStatus.serviceUnavailable.reasonPhrase)\r\n"
        for field in response.headers.fields { head += "\(field.name): \(field.value)\r\n" }
        let body = (try? response.collectBody()) ?? []
        head += "Content-Length: \(body.count)\r\nDate: \(HTTPDate.now())\r\nConnection: close\r\n\r\n"
        try? socket.send(Array(head.utf8) + body, timeout: .seconds(1))
        logger("\(remoteAddress) - - 503 \(body.count)B 0ms")
        socket.lingeringClose(linger: .milliseconds(200))
    }
}
