import Engine

/// The token that authenticated a request (directly, or through a dashboard session made with
/// it): who starts the runs it creates and what it may do.
package struct AuthenticatedToken: Sendable, Equatable {
    /// The row id in `ingest_tokens`.
    package var id: Int64
    /// The token's name.
    package var name: String
    /// Recorded as `user_id` on runs the request starts (upload, trigger, retry).
    package var userID: Int64?
    /// What the request may do: the token's scopes (for a session, as they were at sign-in).
    package var scopes: Set<TokenScope>
    /// Set when the request came with the dashboard's session cookie rather than a Bearer token:
    /// then every state-changing request must carry its CSRF token.
    package var session: SessionCredentials?
    /// The database's change epoch (``ChangeWatch``) read before the token was checked, if it
    /// could be read: the request's reads may use it for the read cache instead of reading it
    /// again, since it was read before anything they build.
    var changeEpoch: Int64?

    /// Creates a principal.
    package init(id: Int64, name: String, userID: Int64?, scopes: Set<TokenScope> = TokenScope.legacy,
                 session: SessionCredentials? = nil) {
        self.id = id
        self.name = name
        self.userID = userID
        self.scopes = scopes
        self.session = session
    }
}

/// The session behind a request authenticated by cookie.
package struct SessionCredentials: Sendable, Equatable {
    /// The session id, as the cookie carries it (needed to sign out).
    package var id: String
    /// What `X-CSRF-Token` must be on a state-changing request.
    package var csrfToken: String
    /// When the session ends.
    package var expiresAt: String
}
