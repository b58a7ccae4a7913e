import Foundation

/// What a token may do. Each endpoint needs one scope; a token holds any set of them.
///
/// - `read`: list and show runs, rows, errors, failed-row downloads, importers.
/// - `run`: upload, trigger, retry, cancel, apply and resume runs.
/// - `admin`: administration (the token list; editing definitions).
///
/// The scopes are independent: `admin` does not imply `read`. Tokens created before scopes
/// existed (stored with no scopes) hold ``legacy``: `read` and `run`.
package enum TokenScope: String, Sendable, CaseIterable, Comparable {
    case read, run, admin

    /// The scopes of a token stored without any: what every token could do before scopes.
    package static let legacy: Set<TokenScope> = [.read, .run]

    /// The scopes of `ingest token create` without `--scope`: the same as ``legacy``.
    package static let defaults: Set<TokenScope> = legacy

    package static func < (lhs: TokenScope, rhs: TokenScope) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }

    /// `read,run,admin` in that order, as stored and shown.
    package static func text(_ scopes: Set<TokenScope>) -> String {
        scopes.sorted().map(\.rawValue).joined(separator: ",")
    }

    /// Parses a comma-separated list (`read,run`); spaces around names are ignored.
    /// - Throws: ``TokenError/invalidScope(_:)`` for an unknown name or an empty list.
    package static func parse(_ list: String) throws(TokenError) -> Set<TokenScope> {
        var scopes: Set<TokenScope> = []
        for part in list.split(separator: ",", omittingEmptySubsequences: false) {
            let name = part.trimmingCharacters(in: .whitespaces)
            guard let scope = TokenScope(rawValue: name) else { throw .invalidScope(name) }
            scopes.insert(scope)
        }
        if scopes.isEmpty { throw .invalidScope(list) }
        return scopes
    }

    /// The scopes stored in a `scopes` column: `NULL` (a token older than scopes) is ``legacy``;
    /// unknown names are dropped, so a downgrade never widens a token.
    package static func stored(_ text: String?) -> Set<TokenScope> {
        guard let text else { return legacy }
        return Set(text.split(separator: ",").compactMap { TokenScope(rawValue: String($0)) })
    }
}
