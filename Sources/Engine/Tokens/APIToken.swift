/// What `ingest token list` shows of a stored token: never the token, never its hash.
package struct APIToken: Sendable, Equatable {
    /// The unique name given at creation, e.g. `ci-deploy`.
    package var name: String
    /// The user recorded on runs the token starts, if any.
    package var userID: Int64?
    /// When the token was created (ISO 8601 UTC with microseconds).
    package var createdAt: String
    /// What the token may do (``TokenScope``).
    package var scopes: Set<TokenScope>
    /// When the token last authenticated a request, to within ``BearerAuthenticator/usageRecordInterval``.
    package var lastUsedAt: String?

    /// Creates a token description.
    package init(name: String, userID: Int64?, scopes: Set<TokenScope> = TokenScope.defaults, createdAt: String, lastUsedAt: String?) {
        self.name = name
        self.scopes = scopes
        self.userID = userID
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
    }
}
