import CPq
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One `NOTIFY` received on a channel this connection listens to.
package struct PGNotification: Sendable, Equatable {
    package let channel: String
    package let payload: String
    /// The process id of the server backend that sent it.
    package let senderPID: Int32
}

extension PGConnection {
    /// `LISTEN channel`: notifications on it are queued for ``waitForNotification(timeoutMs:)``.
    package func listen(_ channel: String) throws(DatabaseError) {
        try execute("LISTEN " + quoteIdentifier(channel))
    }

    package func unlisten(_ channel: String) throws(DatabaseError) {
        try execute("UNLISTEN " + quoteIdentifier(channel))
    }

    /// Sends `payload` on `channel` (`pg_notify`: delivered when the current transaction commits).
    package func notify(_ channel: String, payload: String = "") throws(DatabaseError) {
        try execute("SELECT pg_notify(?, ?)", [.text(channel), .text(payload)])
    }

    /// The next notification: one already received, or one arriving within `timeoutMs`
    /// milliseconds (negative: wait without end). Nil on timeout.
    package func waitForNotification(timeoutMs: Int) throws(DatabaseError) -> PGNotification? {
        try checkUsable(sql: nil)
        var deadline = timeoutMs < 0 ? nil : monotonicMs() + timeoutMs
        while true {
            guard PQconsumeInput(handle) == 1 else { throw connectionError(sql: nil) }
            if let notification = nextNotification() { return notification }
            let remaining = deadline.map { max(0, $0 - monotonicMs()) } ?? -1
            if remaining == 0, deadline != nil { return nil }
            let socket = PQsocket(handle)
            guard socket >= 0 else { throw connectionError(sql: nil) }
            var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32(clamping: remaining))
            if ready < 0 && errno != EINTR { throw connectionError(sql: nil) }
            if ready == 0, deadline != nil { deadline = monotonicMs() }  // timed out: one last look
        }
    }

    private func nextNotification() -> PGNotification? {
        guard let notify = PQnotifies(handle) else { return nil }
        defer { PQfreemem(notify) }
        return PGNotification(channel: String(cString: notify.pointee.relname),
                              payload: notify.pointee.extra.map { String(cString: $0) } ?? "",
                              senderPID: notify.pointee.be_pid)
    }

    private func monotonicMs() -> Int {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int(now.tv_sec) * 1000 + Int(now.tv_nsec) / 1_000_000
    }
}
