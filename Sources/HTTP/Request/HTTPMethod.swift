/// An HTTP request method (RFC 9110 §9).
///
/// A struct rather than an enum because methods are an open set: an unknown token is still a
/// valid method that the router answers with `405` or `404`, not a parse failure.
package struct HTTPMethod: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The method token exactly as sent; methods are case-sensitive (RFC 9110 §9.1).
    package let rawValue: String

    /// Creates a method from its token.
    package init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// Creates a method from its token.
    package init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    /// `GET`.
    package static let get = HTTPMethod("GET")
    /// `HEAD`.
    package static let head = HTTPMethod("HEAD")
    /// `POST`.
    package static let post = HTTPMethod("POST")
    /// `PUT`.
    package static let put = HTTPMethod("PUT")
    /// `PATCH`.
    package static let patch = HTTPMethod("PATCH")
    /// `DELETE`.
    package static let delete = HTTPMethod("DELETE")
    /// `OPTIONS`.
    package static let options = HTTPMethod("OPTIONS")

    /// The method token.
    package var description: String { rawValue }

    /// Alphabetical order, so `Allow` lists are stable.
    package static func < (lhs: HTTPMethod, rhs: HTTPMethod) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}
