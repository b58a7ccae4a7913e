/// The token that authenticated a request: who starts the runs it creates.
package struct AuthenticatedToken: Sendable, Equatable {
    /// The row id in `ingest_tokens`.
    package var id: Int64
    /// The token's name.
    package var name: String
    /// Recorded as `user_id` on runs the request starts (upload, trigger, retry).
    package var userID: Int64?

    /// Creates a principal.
    package init(id: Int64, name: String, userID: Int64?) {
        self.id = id
        self.name = name
        self.userID = userID
    }
}
