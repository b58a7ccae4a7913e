import Dispatch
import Engine
import HTTP
import Synchronization

/// Checks `Authorization: Bearer <token>` against the stored token hashes.
///
/// The presented token is hashed with SHA-256 and compared, in constant time, with every stored
/// hash, with no early exit: response times reveal neither which token nor how much of one
/// matched. Tokens are read from the database on every request, so `ingest token revoke` from
/// another process takes effect at once.
///
/// `last_used_at` is written at most once per ``usageRecordInterval`` per token, off the request
/// thread: a write per request would queue API reads behind long import transactions.
final class BearerAuthenticator: Sendable {
    /// How often `last_used_at` is refreshed for a busy token: 60 s.
    static let usageRecordInterval: Duration = .seconds(60)

    private let stores: StorePool
    private let databasePath: String
    private let lastRecorded = Mutex<[Int64: ContinuousClock.Instant]>([:])
    private let recorder = DispatchQueue(label: "ingest.api.token-usage")

    init(stores: StorePool, databasePath: String) {
        self.stores = stores
        self.databasePath = databasePath
    }

    /// The token behind `headers`' `Authorization`, or ``APIError/unauthenticated``.
    func authenticate(_ headers: HTTPHeaders) throws -> AuthenticatedToken {
        guard let presented = BearerAuthenticator.bearerToken(in: headers) else { throw APIError.unauthenticated }
        let digest = Array(TokenGenerator.hash(of: presented).utf8)
        let credentials = try stores.withStore { store in try TokenStore(connection: store.db).credentials() }
        var match: TokenStore.Credential?
        for credential in credentials {
            // Every credential is compared, even after a match.
            if ConstantTime.equals(credential.hash, digest) { match = credential }
        }
        guard let match else { throw APIError.unauthenticated }
        recordUse(of: match.id)
        return AuthenticatedToken(id: match.id, name: match.name, userID: match.userID)
    }

    /// The credentials of a `Bearer` authorization (RFC 6750 §2.1; the scheme is case-insensitive).
    static func bearerToken(in headers: HTTPHeaders) -> String? {
        guard let value = headers["Authorization"] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: [" ", "\t"])
        return token.isEmpty ? nil : token
    }

    private func recordUse(of id: Int64) {
        let now = ContinuousClock.now
        let due = lastRecorded.withLock { recorded -> Bool in
            if let last = recorded[id], now - last < BearerAuthenticator.usageRecordInterval { return false }
            recorded[id] = now
            return true
        }
        guard due else { return }
        let timestamp = Timestamp.now()
        let path = databasePath
        recorder.async {
            // Best effort with a short busy timeout: a missed update only makes last_used_at older.
            guard let store = try? RunStore(path: path, busyTimeout: 2_000) else { return }
            try? TokenStore(connection: store.db).recordUse(of: id, at: timestamp)
        }
    }
}

private extension Substring {
    func trimmingCharacters(in set: Set<Character>) -> String {
        var text = self
        while let first = text.first, set.contains(first) { text.removeFirst() }
        while let last = text.last, set.contains(last) { text.removeLast() }
        return String(text)
    }
}
