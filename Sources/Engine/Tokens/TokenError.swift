import SQLite

/// Why a token could not be created or revoked.
package enum TokenError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The name is empty, longer than 100 characters or contains control characters.
    case invalidName(String)
    /// A `--scope` name that is not `read`, `run` or `admin`, or an empty list.
    case invalidScope(String)
    /// Another token already has this name; names are unique so `revoke NAME` is unambiguous.
    case nameTaken(String)
    /// No token has this name.
    case notFound(String)
    /// The database refused the operation.
    case database(SQLiteError)

    /// A sentence for the command line.
    package var description: String {
        switch self {
        case .invalidName(let name): "The token name '\(name)' is invalid: use 1 to 100 printable characters."
        case .invalidScope(let name):
            "The scope '\(name)' is unknown: use a comma-separated list of \(TokenScope.allCases.map(\.rawValue).joined(separator: ", "))."
        case .nameTaken(let name): "A token named '\(name)' already exists; revoke it first or choose another name."
        case .notFound(let name): "No token named '\(name)'."
        case .database(let error): "Database error: \(error.message)"
        }
    }
}
