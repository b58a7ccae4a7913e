/// Why reading from or writing to a connection failed.
package enum HTTPIOError: Error, Sendable, Equatable {
    /// The deadline for the operation passed before it could make progress.
    case timedOut
    /// The peer closed or reset the connection.
    case peerClosed
    /// The server is shutting down and gave up waiting.
    case shuttingDown
    /// A system call failed with this `errno`.
    case system(errno: Int32)
}
