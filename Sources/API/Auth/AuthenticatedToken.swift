/// The token that authenticated a request: who starts the runs it creates.
package struct AuthenticatedToken: Sendable, Equatable {
    /// The row id in `ingest_tokens`.
    package var id: Int64
    /// The token's name.
    package var name: String
    /// Recorded as `user_id` on runs the request starts (upload, trigger, retry).
    package var userID: Int64?
    /// The database's change epoch (``ChangeWatch``) read before the token was checked, if it
    /// could be read: the request's reads may use it for the read cache instead of reading it
    /// again, since it was read before anything they build.
    var changeEpoch: Int64?

    /// Creates a principal.
    package init(id: Int64, name: String, userID: Int64?) {
        self.id = id
        self.name = name
        self.userID = userID
    }
}
