/// The token that authenticated a request: who starts the runs it creates.
public struct AuthenticatedToken: Sendable, Equatable {
    /// The row id in `ingest_tokens`.
    public var id: Int64
    /// The token's name.
    public var name: String
    /// Recorded as `user_id` on runs the request starts (upload, trigger, retry).
    public var userID: Int64?

    /// Creates a principal.
    public init(id: Int64, name: String, userID: Int64?) {
        self.id = id
        self.name = name
        self.userID = userID
    }
}
