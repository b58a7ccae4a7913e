import Glibc

/// Why the server could not start.
package enum HTTPServerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The host could not be resolved to an address.
    case invalidAddress(host: String, port: Int)
    /// A socket system call failed; `operation` names it (`socket`, `bind`, `listen`, …).
    case socket(operation: String, errno: Int32)
    /// `start()` was called on a server that already started.
    case alreadyStarted

    /// A readable description for logs and the CLI.
    package var description: String {
        switch self {
        case .invalidAddress(let host, let port): "Cannot resolve \(host):\(port)."
        case .socket(let operation, let errno): "\(operation) failed: \(String(cString: strerror(errno)))"
        case .alreadyStarted: "The server is already started."
        }
    }
}
