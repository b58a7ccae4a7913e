import Foundation
import SQLite

/// Reads and writes `ingest_sessions`: the dashboard's sign-in sessions (created by the engine's
/// schema migration 6).
///
/// A session is made by presenting a token once. Its id (64 hex digits from the kernel CSPRNG)
/// lives only in the browser's cookie; the table keeps its SHA-256, the token it came from, the
/// token's scopes at sign-in, a CSRF token and an absolute expiry. A session dies with its token
/// (`ingest token revoke` deletes it, and every lookup joins the token table).
///
/// Like its connection, a store belongs to one thread at a time.
package struct SessionStore {
    /// A live session, as a lookup finds it.
    package struct Session: Sendable, Equatable {
        package var tokenID: Int64
        package var tokenName: String
        package var userID: Int64?
        package var scopes: Set<TokenScope>
        /// The token that state-changing requests must echo in `X-CSRF-Token`.
        package var csrfToken: String
        package var expiresAt: String
    }

    /// A session just created: the id goes into the cookie and is never stored.
    package struct Created: Sendable {
        package var id: String
        package var session: Session
    }

    let connection: any SQLDatabase

    /// A session store on the connection of `store`.
    package init(_ store: RunStore) {
        self.connection = store.db
    }

    /// Starts a session for `credential` that ends after `lifetime`; expired sessions are
    /// deleted on the way.
    package func create(for credential: TokenStore.Credential, lifetime: Duration) throws(SQLiteError) -> Created {
        let id = TokenGenerator.randomHex()
        let now = Date()
        let seconds = Double(lifetime.components.seconds)
        let session = Session(tokenID: credential.id, tokenName: credential.name, userID: credential.userID,
                              scopes: credential.scopes, csrfToken: TokenGenerator.randomHex(),
                              expiresAt: Timestamp.format(now.addingTimeInterval(seconds)))
        _ = try connection.execute("DELETE FROM ingest_sessions WHERE expires_at <= ?", [.text(Timestamp.format(now))])
        _ = try connection.execute(
            "INSERT INTO ingest_sessions (session_hash, token_id, scopes, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
            [.text(TokenGenerator.hash(of: id)), .integer(credential.id), .text(TokenScope.text(credential.scopes)),
             .text(session.csrfToken), .text(Timestamp.format(now)), .text(session.expiresAt)])
        return Created(id: id, session: session)
    }

    /// The unexpired session whose id is `id`, if its token still exists.
    package func session(id: String) throws(SQLiteError) -> Session? {
        let rows = try connection.query("""
            SELECT s.token_id, t.name, t.user_id, s.scopes, s.csrf_token, s.expires_at
            FROM ingest_sessions AS s JOIN ingest_tokens AS t ON t.id = s.token_id
            WHERE s.session_hash = ? AND s.expires_at > ?
            """, [.text(TokenGenerator.hash(of: id)), .text(Timestamp.now())])
        guard let row = rows.first else { return nil }
        return Session(tokenID: row[0].integerValue ?? 0, tokenName: row[1].textValue ?? "", userID: row[2].integerValue,
                       scopes: TokenScope.stored(row[3].textValue), csrfToken: row[4].textValue ?? "",
                       expiresAt: row[5].textValue ?? "")
    }

    /// Whether the session whose stored hash is `hash` (``TokenGenerator/hash(of:)`` of its id)
    /// still exists, is unexpired and its token still exists: one lookup on the unique
    /// `session_hash`, for open event streams.
    package func isLive(hash: String) throws(SQLiteError) -> Bool {
        try connection.scalar("""
            SELECT 1 FROM ingest_sessions AS s JOIN ingest_tokens AS t ON t.id = s.token_id
            WHERE s.session_hash = ? AND s.expires_at > ?
            """, [.text(hash), .text(Timestamp.now())]) != nil
    }

    /// Ends the session `id` (signing out); nothing happens when there is none.
    package func delete(id: String) throws(SQLiteError) {
        _ = try connection.execute("DELETE FROM ingest_sessions WHERE session_hash = ?", [.text(TokenGenerator.hash(of: id))])
    }
}
