import Engine
import Foundation
import HTTP

/// What authenticated an event stream, kept so the stream can end when it stops being valid:
/// the token's row id, and for a dashboard session its stored hash and its expiry.
struct StreamCredential: Sendable, Hashable {
    /// The row id in `ingest_tokens`.
    let tokenID: Int64
    /// `TokenGenerator.hash(of:)` of the session id, for a stream opened with the session cookie.
    let sessionHash: String?
    /// When the session ends, for a stream opened with the session cookie.
    let expiresAt: Date?

    /// The credential of `token`, hashing its session id once.
    init(_ token: AuthenticatedToken) {
        tokenID = token.id
        sessionHash = token.session.map { TokenGenerator.hash(of: $0.id) }
        // A session whose expiry cannot be read counts as expired: the stream ends at once.
        expiresAt = token.session.map { Timestamp.parse($0.expiresAt) ?? .distantPast }
    }

    /// Whether a session's expiry has passed at `date` (never for a Bearer token).
    func hasExpired(at date: Date) -> Bool {
        guard let expiresAt else { return false }
        return date >= expiresAt
    }
}

/// Wraps an event stream's producer so the stream ends when the credential that opened it does.
///
/// Before each batch the credential is checked (``RunEventFeed/isLive(_:now:)``): it is looked up
/// again whenever the database's `data_version` moved (a revoke or a sign-out commits, so it
/// moves it) and at least every ``RunEventFeed/credentialRecheckInterval``; a session's expiry is
/// compared with the clock at every tick. When the token was revoked, the session was signed out
/// or deleted, or the session expired, the stream sends the comment `: unauthenticated` and the
/// server closes the connection; a reconnecting client then gets `401`.
final class AuthorizedEventStream: EventStreamProducer {
    /// The comment sent before the connection is closed.
    static let closingComment = "unauthenticated"

    private let inner: any EventStreamProducer
    private let credential: StreamCredential
    private let feed: RunEventFeed

    init(_ inner: any EventStreamProducer, credential: StreamCredential, feed: RunEventFeed) {
        self.inner = inner
        self.credential = credential
        self.feed = feed
    }

    func nextEvents(now: ContinuousClock.Instant) throws -> EventStreamBatch {
        guard try feed.isLive(credential, now: now) else {
            return EventStreamBatch(isFinal: true, comment: AuthorizedEventStream.closingComment)
        }
        return try inner.nextEvents(now: now)
    }
}
