/// The protocol version of a request line (RFC 9112 §2.3).
package struct HTTPVersion: Hashable, Sendable, CustomStringConvertible {
    /// The major version digit.
    package var major: Int
    /// The minor version digit.
    package var minor: Int

    /// Creates a version from its two digits.
    package init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// HTTP/1.0.
    package static let http1_0 = HTTPVersion(major: 1, minor: 0)
    /// HTTP/1.1.
    package static let http1_1 = HTTPVersion(major: 1, minor: 1)

    /// The version as written on a request line, e.g. `HTTP/1.1`.
    package var description: String { "HTTP/\(major).\(minor)" }
}
