import Glibc
import IngestSupport

/// One accepted TCP connection, read and written with deadlines.
///
/// The descriptor stays in blocking mode, but every call is preceded by `poll()` and made with
/// `MSG_DONTWAIT`, so no call can block past its deadline. Not `Sendable`: it belongs to the
/// connection thread (the server only ever calls `shutdown()` on the descriptor from outside).
final class ConnectionSocket {
    let descriptor: Int32
    private var isClosed = false
    /// Called just before the descriptor is closed, so the server can forget it first.
    var willClose: (() -> Void)?

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        close()
    }

    /// Waits until the socket is readable, the deadline passes, or `wake` becomes readable.
    ///
    /// - Throws: ``HTTPIOError/timedOut`` or ``HTTPIOError/shuttingDown``.
    func waitReadable(until deadline: ContinuousClock.Instant, wake: Int32? = nil) throws(HTTPIOError) {
        try wait(events: Int16(POLLIN), until: deadline, wake: wake)
    }

    /// Appends what is available (at most `scratch.count` bytes) to `buffer`, waiting until the
    /// deadline for something to arrive.
    ///
    /// - Returns: the number of bytes appended; `0` means the peer closed its side.
    func receive(
        appendingTo buffer: inout [UInt8], scratch: inout [UInt8], until deadline: ContinuousClock.Instant, wake: Int32? = nil
    ) throws(HTTPIOError) -> Int {
        while true {
            try waitReadable(until: deadline, wake: wake)
            let count = scratch.withUnsafeMutableBytes { raw in
                recv(descriptor, raw.baseAddress, raw.count, Int32(MSG_DONTWAIT))
            }
            if count > 0 {
                buffer.append(contentsOf: scratch[0..<count])
                return count
            }
            if count == 0 { return 0 }
            let error = errno
            if error == EAGAIN || error == EWOULDBLOCK || error == EINTR { continue }
            if error == ECONNRESET || error == EPIPE || error == ENOTCONN { throw .peerClosed }
            throw .system(errno: error)
        }
    }

    /// Receives what is available (at most `buffer.count` bytes) straight into `buffer`, waiting
    /// until the deadline only when nothing has arrived yet: the read is tried first, so a
    /// stream that keeps the socket full costs one system call per read, not two.
    ///
    /// - Returns: the number of bytes received; `0` means the peer closed its side.
    func receive(into buffer: UnsafeMutableRawBufferPointer, until deadline: ContinuousClock.Instant) throws(HTTPIOError) -> Int {
        while true {
            let count = recv(descriptor, buffer.baseAddress, buffer.count, Int32(MSG_DONTWAIT))
            if count >= 0 { return count }
            let error = errno
            if error == EAGAIN || error == EWOULDBLOCK {
                try waitReadable(until: deadline)
                continue
            }
            if error == EINTR { continue }
            if error == ECONNRESET || error == EPIPE || error == ENOTCONN { throw .peerClosed }
            throw .system(errno: error)
        }
    }

    /// Writes all of `bytes`; `timeout` bounds each wait for the peer to accept more.
    func send(_ bytes: some Collection<UInt8>, timeout: Duration) throws(HTTPIOError) {
        let result: Result<Void, HTTPIOError> = bytes.withContiguousStorageIfAvailable { buffer in
            sendAll(UnsafeRawBufferPointer(buffer), timeout: timeout)
        } ?? Array(bytes).withUnsafeBytes { sendAll($0, timeout: timeout) }
        try result.get()
    }

    /// Writes `head` and then `body` with one gathering `sendmsg` (more only if the peer is slow
    /// to accept them), without copying the body behind the head first.
    func send(head: [UInt8], body: [UInt8], timeout: Duration) throws(HTTPIOError) {
        let result: Result<Int, HTTPIOError> = head.withUnsafeBytes { headBytes in
            body.withUnsafeBytes { bodyBytes in sendGathered(headBytes, bodyBytes) }
        }
        let sent = try result.get()
        if sent < head.count {
            try send(head[sent...], timeout: timeout)
            try send(body, timeout: timeout)
        } else if sent < head.count + body.count {
            try send(body[(sent - head.count)...], timeout: timeout)
        }
    }

    /// One `sendmsg` of both buffers without waiting; the number of bytes the kernel took (0 when
    /// the socket buffer is full).
    private func sendGathered(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) -> Result<Int, HTTPIOError> {
        var vectors = [
            iovec(iov_base: UnsafeMutableRawPointer(mutating: first.baseAddress), iov_len: first.count),
            iovec(iov_base: UnsafeMutableRawPointer(mutating: second.baseAddress), iov_len: second.count),
        ]
        while true {
            let sent = vectors.withUnsafeMutableBufferPointer { iov in
                var message = msghdr()
                message.msg_iov = iov.baseAddress
                message.msg_iovlen = iov.count
                return sendmsg(descriptor, &message, Int32(MSG_DONTWAIT | MSG_NOSIGNAL))
            }
            if sent >= 0 { return .success(sent) }
            let error = errno
            if error == EINTR { continue }
            if error == EAGAIN || error == EWOULDBLOCK { return .success(0) }
            if error == EPIPE || error == ECONNRESET || error == ENOTCONN { return .failure(.peerClosed) }
            return .failure(.system(errno: error))
        }
    }

    private func sendAll(_ raw: UnsafeRawBufferPointer, timeout: Duration) -> Result<Void, HTTPIOError> {
        guard let base = raw.baseAddress else { return .success(()) }
        var offset = 0
        var deadline = ContinuousClock.now + timeout
        while offset < raw.count {
            let sent = Glibc.send(descriptor, base + offset, raw.count - offset, Int32(MSG_DONTWAIT | MSG_NOSIGNAL))
            if sent > 0 {
                offset += sent
                deadline = ContinuousClock.now + timeout
                continue
            }
            let error = errno
            if sent < 0 && (error == EAGAIN || error == EWOULDBLOCK) {
                do {
                    try wait(events: Int16(POLLOUT), until: deadline, wake: nil)
                } catch {
                    return .failure(error)
                }
                continue
            }
            if sent < 0 && error == EINTR { continue }
            if error == EPIPE || error == ECONNRESET || error == ENOTCONN { return .failure(.peerClosed) }
            return .failure(.system(errno: error))
        }
        return .success(())
    }

    private func wait(events: Int16, until deadline: ContinuousClock.Instant, wake: Int32?) throws(HTTPIOError) {
        var fds = [pollfd(fd: descriptor, events: events, revents: 0)]
        if let wake { fds.append(pollfd(fd: wake, events: Int16(POLLIN), revents: 0)) }
        while true {
            let remaining = ContinuousClock.now.duration(to: deadline)
            // A deadline already past still polls once without waiting, so that what has
            // already arrived can be read.
            let milliseconds = remaining <= .zero ? 0
                : remaining.pollMilliseconds
            let ready = poll(&fds, nfds_t(fds.count), milliseconds)
            if ready < 0 {
                if errno == EINTR { continue }
                throw .system(errno: errno)
            }
            if ready == 0 {
                if remaining <= .zero { throw .timedOut }
                continue
            }
            if fds.count > 1 && fds[1].revents != 0 { throw .shuttingDown }
            // POLLHUP / POLLERR also wake us: the following call reports what happened.
            if fds[0].revents != 0 { return }
        }
    }

    /// Closes in two steps (RFC 9112 §9.6): stop sending, then read and discard what the client
    /// is still sending for a short while, so that unread request bytes do not make the kernel
    /// reset the connection and destroy the response before the client reads it.
    func lingeringClose(linger: Duration = .milliseconds(500), maxDiscardBytes: Int = 1024 * 1024) {
        guard !isClosed else { return }
        _ = Glibc.shutdown(descriptor, Int32(SHUT_WR))
        let deadline = ContinuousClock.now + linger
        var discarded = 0
        var sink: [UInt8] = []
        var scratch = [UInt8](repeating: 0, count: 16 * 1024)
        while discarded < maxDiscardBytes {
            sink.removeAll(keepingCapacity: true)
            guard let count = try? receive(appendingTo: &sink, scratch: &scratch, until: deadline), count > 0 else { break }
            discarded += count
        }
        close()
    }

    /// Gives the descriptor away (to the event-stream thread) without closing it: the server
    /// forgets it as if it were closed, and this socket no longer touches it.
    func detach() -> Int32 {
        isClosed = true
        willClose?()
        return descriptor
    }

    /// Closes the descriptor once.
    func close() {
        guard !isClosed else { return }
        isClosed = true
        willClose?()
        _ = Glibc.close(descriptor)
    }
}
