import Foundation
import Glibc
import Synchronization

/// Serves every open `text/event-stream` response on one thread, multiplexed with `poll()`.
///
/// A connection thread writes a stream's head, then hands its socket here and goes back to the
/// ``ConnectionTable``, so long-lived streams never hold the slots that requests need (at most
/// ``HTTPServerConfiguration/maxConnections``). Streams have their own budget,
/// ``HTTPServerConfiguration/maxEventStreams``: ``reserve()`` fails past it and the request is
/// answered `503`. Each tick (``HTTPServerConfiguration/eventStreamTick``) the hub asks every
/// producer for its events, sends a `: keep-alive` comment on streams that were quiet for
/// ``HTTPServerConfiguration/eventStreamHeartbeat``, and closes streams whose client went away
/// (read end closed or reset), whose producer finished, or that fell more than
/// ``maxPendingBytes`` behind. Writes never block: what the socket does not take waits for
/// `POLLOUT`.
final class EventStreamHub: Sendable {
    /// Bytes a stream may have waiting for a slow client before it is closed: 1 MiB.
    static let maxPendingBytes = 1024 * 1024

    /// A producer on its way from the connection thread to the hub thread. Safe because the
    /// connection thread lets go of it when it calls ``adopt(descriptor:producer:)`` and only the
    /// hub thread uses it afterwards; the state mutex orders the hand-over.
    private final class Handoff: @unchecked Sendable {
        let descriptor: Int32
        let producer: any EventStreamProducer
        init(descriptor: Int32, producer: any EventStreamProducer) {
            self.descriptor = descriptor
            self.producer = producer
        }
    }

    private struct State {
        var reserved = 0
        var incoming: [Handoff] = []
        var stopping = false
        var threadRunning = false
        var wakeRead: Int32 = -1
        var wakeWrite: Int32 = -1
    }

    /// One stream, owned by the hub thread.
    private final class Stream {
        let descriptor: Int32
        let producer: any EventStreamProducer
        var pending: [UInt8] = []
        var lastWrite: ContinuousClock.Instant
        var finishing = false
        var dead = false
        init(_ handoff: Handoff, now: ContinuousClock.Instant) {
            descriptor = handoff.descriptor
            producer = handoff.producer
            lastWrite = now
        }
    }

    private let limit: Int
    private let tick: Duration
    private let heartbeat: Duration
    private let logger: HTTPServer.Logger
    private let state = Mutex(State())
    private let finished = DispatchSemaphore(value: 0)

    init(limit: Int, tick: Duration, heartbeat: Duration, logger: @escaping HTTPServer.Logger) {
        self.limit = max(0, limit)
        self.tick = tick
        self.heartbeat = heartbeat
        self.logger = logger
    }

    /// Streams open or promised now, for tests and the `503` message.
    var openStreams: Int { state.withLock { $0.reserved } }

    /// The budget: ``HTTPServerConfiguration/maxEventStreams``.
    var capacity: Int { limit }

    /// Takes one stream from the budget; false when it is used up or the hub is stopping.
    func reserve() -> Bool {
        state.withLock { state in
            guard !state.stopping, state.reserved < limit else { return false }
            state.reserved += 1
            return true
        }
    }

    /// Gives back a reservation that will not become a stream (the head could not be written).
    func cancelReservation() {
        state.withLock { $0.reserved -= 1 }
    }

    /// Takes over a reserved stream whose head was sent: the hub now owns (and will close)
    /// `descriptor`. Starts the hub's thread on first use.
    func adopt(descriptor: Int32, producer: any EventStreamProducer) {
        let handoff = Handoff(descriptor: descriptor, producer: producer)
        let (accepted, startThread) = state.withLock { state -> (Bool, Bool) in
            guard !state.stopping else { return (false, false) }
            if !state.threadRunning {
                guard openWakePipe(&state) else { return (false, false) }
                state.threadRunning = true
                state.incoming.append(handoff)
                return (true, true)
            }
            state.incoming.append(handoff)
            EventStreamHub.poke(state.wakeWrite)
            return (true, false)
        }
        guard accepted else {
            _ = Glibc.close(descriptor)
            state.withLock { $0.reserved -= 1 }
            return
        }
        if startThread {
            Thread.detachNewThread { [self] in
                loop()
                finished.signal()
            }
        }
    }

    /// Closes every stream and stops the thread; waits for it (at most 2 s).
    func stop() {
        let running = state.withLock { state -> Bool in
            state.stopping = true
            // Under the lock: the hub thread closes the pipe under it too, so the descriptor
            // written is never one reused by something else.
            if state.threadRunning { EventStreamHub.poke(state.wakeWrite) }
            return state.threadRunning
        }
        guard running else { return }
        _ = finished.wait(timeout: .now() + 2)
    }

    private func openWakePipe(_ state: inout State) -> Bool {
        if state.wakeRead >= 0 { return true }
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            logger("error event streams: pipe errno \(errno)")
            return false
        }
        for end in ends {
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
        }
        (state.wakeRead, state.wakeWrite) = (ends[0], ends[1])
        return true
    }

    private static func poke(_ wake: Int32) {
        var byte: UInt8 = 1
        _ = Glibc.write(wake, &byte, 1)
    }

    // MARK: - The hub thread

    private func loop() {
        var streams: [Stream] = []
        var nextTick = ContinuousClock.now
        let wake = state.withLock { $0.wakeRead }
        while true {
            let (arrivals, stopping) = state.withLock { state in
                defer { state.incoming.removeAll() }
                return (state.incoming, state.stopping)
            }
            let now = ContinuousClock.now
            if stopping {
                for stream in streams + arrivals.map({ Stream($0, now: now) }) { close(stream) }
                closeWakePipe()
                return
            }
            for handoff in arrivals {
                let stream = Stream(handoff, now: now)
                streams.append(stream)
                produce(stream, now: now)
            }
            if now >= nextTick {
                for stream in streams where !stream.finishing && !stream.dead { produce(stream, now: now) }
                nextTick = now + tick
            }
            for stream in streams where !stream.dead { flush(stream) }
            streams.removeAll { stream in
                let done = stream.dead || (stream.finishing && stream.pending.isEmpty)
                if done { close(stream) }
                return done
            }
            waitForActivity(streams, wake: wake, until: nextTick)
        }
    }

    /// Adds the producer's events (or a heartbeat) to the stream's pending bytes.
    private func produce(_ stream: Stream, now: ContinuousClock.Instant) {
        do {
            let batch = try stream.producer.nextEvents(now: now)
            for event in batch.events { stream.pending += event.encoded }
            if batch.isFinal { stream.finishing = true }
        } catch {
            logger("error event stream: \(String(describing: error))")
            stream.dead = true
            return
        }
        if stream.pending.isEmpty && stream.lastWrite.duration(to: now) >= heartbeat {
            stream.pending += ServerSentEvent.comment("keep-alive")
        }
        if stream.pending.count > EventStreamHub.maxPendingBytes { stream.dead = true }
    }

    /// Sends what the socket takes without waiting.
    private func flush(_ stream: Stream) {
        while !stream.pending.isEmpty {
            let sent = stream.pending.withUnsafeBytes { raw in
                Glibc.send(stream.descriptor, raw.baseAddress, raw.count, Int32(MSG_DONTWAIT | MSG_NOSIGNAL))
            }
            if sent > 0 {
                stream.pending.removeFirst(sent)
                stream.lastWrite = .now
                continue
            }
            let error = errno
            if sent < 0 && error == EINTR { continue }
            if sent < 0 && (error == EAGAIN || error == EWOULDBLOCK) { return }
            stream.dead = true
            return
        }
    }

    /// Polls the streams (readable: the client sent something or closed; writable when bytes
    /// wait) and the wake pipe until the next tick.
    private func waitForActivity(_ streams: [Stream], wake: Int32, until deadline: ContinuousClock.Instant) {
        var fds = [pollfd(fd: wake, events: Int16(POLLIN), revents: 0)]
        for stream in streams {
            let events = Int16(POLLIN) | (stream.pending.isEmpty ? 0 : Int16(POLLOUT))
            fds.append(pollfd(fd: stream.descriptor, events: events, revents: 0))
        }
        let ready = poll(&fds, nfds_t(fds.count), HTTPServer.pollTimeout(until: deadline))
        guard ready > 0 else { return }
        if fds[0].revents != 0 { drainWakePipe(wake) }
        for (index, stream) in streams.enumerated() {
            let revents = fds[index + 1].revents
            if revents & Int16(POLLERR | POLLHUP | POLLNVAL) != 0 { stream.dead = true; continue }
            if revents & Int16(POLLIN) != 0 { discardInput(stream) }
        }
    }

    /// Reads and drops what the client sent; a closed or reset connection ends the stream.
    private func discardInput(_ stream: Stream) {
        var scratch = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = scratch.withUnsafeMutableBytes { raw in
                recv(stream.descriptor, raw.baseAddress, raw.count, Int32(MSG_DONTWAIT))
            }
            if count > 0 { continue }
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return }
            if count < 0 && errno == EINTR { continue }
            stream.dead = true
            return
        }
    }

    private func closeWakePipe() {
        state.withLock { state in
            _ = Glibc.close(state.wakeRead)
            _ = Glibc.close(state.wakeWrite)
            (state.wakeRead, state.wakeWrite) = (-1, -1)
            state.threadRunning = false
        }
    }

    private func drainWakePipe(_ wake: Int32) {
        var bytes = [UInt8](repeating: 0, count: 64)
        while Glibc.read(wake, &bytes, bytes.count) > 0 {}
    }

    private func close(_ stream: Stream) {
        _ = Glibc.shutdown(stream.descriptor, Int32(SHUT_WR))
        _ = Glibc.close(stream.descriptor)
        state.withLock { $0.reserved -= 1 }
    }
}
