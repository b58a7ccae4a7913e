import Dispatch
import Engine
import Foundation
import HTTP
import Synchronization

/// Checks `Authorization: Bearer <token>` against the stored token hashes, and the dashboard's
/// session cookie against the stored sessions.
///
/// The presented token is hashed with SHA-256 and compared, in constant time, with every stored
/// hash, with no early exit: response times reveal neither which token nor how much of one
/// matched. The stored tokens are kept between requests only while the database's change
/// counter (``ChangeWatch``) is unchanged, i.e. until any connection of any process commits, so
/// `ingest token revoke` from another process takes effect at the next request.
///
/// `last_used_at` is written only when the stored value is older than ``usageRecordInterval``,
/// off the request thread and one write at a time: a write per request would queue API reads
/// behind long import transactions. The check uses the value read with the credentials, so the
/// request path takes no lock.
final class BearerAuthenticator: Sendable {
    /// How often `last_used_at` is refreshed for a busy token: 60 s.
    static let usageRecordInterval: Duration = .seconds(60)

    private let stores: StorePool
    private let changes: ChangeWatch
    /// The stored credentials and the change counter read before they were read.
    private let kept = Mutex<(version: Int64, credentials: [TokenStore.Credential])?>(nil)
    private let database: DatabaseLocation
    /// Whether a `last_used_at` write is queued or running; further ones are skipped meanwhile.
    private let recording = Atomic<Bool>(false)
    private let recorder = DispatchQueue(label: "ingest.api.token-usage")

    init(stores: StorePool, changes: ChangeWatch, database: DatabaseLocation) {
        self.stores = stores
        self.changes = changes
        self.database = database
    }

    /// The token behind a request: its `Authorization: Bearer` token when it has an
    /// `Authorization` header (a Bearer token always wins, and a bad one is `401` even with a
    /// good cookie), else the session of its `ingest_session` cookie, else
    /// ``APIError/unauthenticated``.
    func authenticate(_ headers: HTTPHeaders) throws -> AuthenticatedToken {
        if headers.contains("Authorization") {
            // Read before the token is checked, so the request's reads may use it for the read cache.
            let epoch = changes.version()
            guard let presented = BearerAuthenticator.bearerToken(in: headers),
                  let match = try credential(for: presented, epoch: epoch) else { throw APIError.unauthenticated }
            var token = AuthenticatedToken(id: match.id, name: match.name, userID: match.userID, scopes: match.scopes)
            token.changeEpoch = epoch
            return token
        }
        guard let sessionID = SessionCookie.sessionID(in: headers),
              let session = try stores.withStore({ store in try SessionStore(store).session(id: sessionID) })
        else { throw APIError.unauthenticated }
        return AuthenticatedToken(id: session.tokenID, name: session.tokenName, userID: session.userID, scopes: session.scopes,
                                  session: SessionCredentials(id: sessionID, csrfToken: session.csrfToken, expiresAt: session.expiresAt))
    }

    /// The stored credential of `presented` (``credential(for:epoch:)``, with the change counter
    /// read now).
    func credential(for presented: String) throws -> TokenStore.Credential? {
        try credential(for: presented, epoch: changes.version())
    }

    /// The stored credential of `presented`, compared in constant time with every stored hash,
    /// or `nil`; refreshes `last_used_at` when it is stale. `epoch` is the change counter read
    /// before this call (nil when it could not be read: the credentials are then read afresh).
    func credential(for presented: String, epoch: Int64?) throws -> TokenStore.Credential? {
        let digest = Array(TokenGenerator.hash(of: presented).utf8)
        let credentials = try storedCredentials(epoch: epoch)
        var match: TokenStore.Credential?
        for credential in credentials {
            // Every credential is compared, even after a match.
            if ConstantTime.equals(credential.hash, digest) { match = credential }
        }
        guard let match else { return nil }
        if BearerAuthenticator.isUsageStale(match.lastUsedAt) { recordUse(of: match.id) }
        return match
    }

    /// Every stored credential: the kept list while the database is unchanged since `version`
    /// was read (before this call), else read again.
    private func storedCredentials(epoch version: Int64?) throws -> [TokenStore.Credential] {
        if let version, let kept = kept.withLock({ $0 }), kept.version == version { return kept.credentials }
        let credentials = try stores.withStore { store in try TokenStore(store).credentials() }
        if let version { kept.withLock { $0 = (version, credentials) } }
        return credentials
    }

    /// The credentials of a `Bearer` authorization (RFC 6750 §2.1; the scheme is case-insensitive).
    static func bearerToken(in headers: HTTPHeaders) -> String? {
        guard let value = headers["Authorization"] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = String(parts[1]).trimmingASCIIWhitespace()
        return token.isEmpty ? nil : token
    }

    /// Whether `lastUsedAt` is missing or older than ``usageRecordInterval``.
    static func isUsageStale(_ lastUsedAt: String?) -> Bool {
        guard let lastUsedAt, let last = Timestamp.parse(lastUsedAt) else { return true }
        return Date().timeIntervalSince(last) >= Double(usageRecordInterval.components.seconds)
    }

    private func recordUse(of id: Int64) {
        guard recording.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        let timestamp = Timestamp.now()
        let database = database
        recorder.async { [self] in
            defer { recording.store(false, ordering: .releasing) }
            // Best effort with a short busy timeout: a missed update only makes last_used_at older.
            guard let store = try? RunStore(location: database, busyTimeout: 2_000) else { return }
            try? TokenStore(store).recordUse(of: id, at: timestamp)
        }
    }
}
