import SQLite

/// Reads and writes `ingest_tokens` (created by the engine's schema migration 2).
///
/// Like its connection, a store belongs to one thread at a time.
package struct TokenStore {
    /// One stored credential, as the authenticator compares it.
    package struct Credential: Sendable {
        package var id: Int64
        package var name: String
        package var userID: Int64?
        /// What the token may do.
        package var scopes: Set<TokenScope>
        /// The stored SHA-256 hex digest, as bytes.
        package var hash: [UInt8]
        /// When the token was last recorded as used, if ever.
        package var lastUsedAt: String?
    }

    /// The connection used; any connection opened through the engine is migrated.
    let connection: any SQLDatabase

    /// A token store on the connection of `store`.
    package init(_ store: RunStore) {
        self.connection = store.db
    }

    /// Creates a token named `name` with `scopes` and returns it; only its hash is stored, so
    /// this is the only time the token can be seen.
    package func create(name: String, userID: Int64?, scopes: Set<TokenScope> = TokenScope.defaults)
        throws(TokenError) -> (token: String, record: APIToken) {
        guard TokenStore.isValid(name: name) else { throw .invalidName(name) }
        guard !scopes.isEmpty else { throw .invalidScope("") }
        let token = TokenGenerator.makeToken()
        let createdAt = Timestamp.now()
        do {
            let existing = try connection.scalar("SELECT COUNT(*) FROM ingest_tokens WHERE name = ?", [.text(name)])
            if (existing?.integerValue ?? 0) > 0 { throw TokenError.nameTaken(name) }
            _ = try connection.execute(
                "INSERT INTO ingest_tokens (name, token_hash, user_id, created_at, scopes) VALUES (?, ?, ?, ?, ?)",
                [.text(name), .text(TokenGenerator.hash(of: token)), userID.map(Value.integer) ?? .null, .text(createdAt),
                 .text(TokenScope.text(scopes))]
            )
        } catch let error as TokenError {
            throw error
        } catch let error as SQLiteError {
            // A concurrent create of the same name loses on the UNIQUE constraint.
            if error.isConstraintViolation { throw .nameTaken(name) }
            throw .database(error)
        } catch {
            throw .database(SQLiteError(extendedCode: 1, message: "unexpected error"))
        }
        return (token, APIToken(name: name, userID: userID, scopes: scopes, createdAt: createdAt, lastUsedAt: nil))
    }

    /// Every token, oldest first.
    package func list() throws(TokenError) -> [APIToken] {
        do {
            return try connection.query("SELECT name, user_id, created_at, last_used_at, scopes FROM ingest_tokens ORDER BY id").map { row in
                APIToken(name: row[0].textValue ?? "", userID: row[1].integerValue, scopes: TokenScope.stored(row[4].textValue),
                         createdAt: row[2].textValue ?? "", lastUsedAt: row[3].textValue)
            }
        } catch {
            throw .database(error)
        }
    }

    /// Deletes the token `name`; requests bearing it fail from the next one on.
    package func revoke(name: String) throws(TokenError) {
        let deleted: Int
        do {
            deleted = try connection.execute("DELETE FROM ingest_tokens WHERE name = ?", [.text(name)])
        } catch {
            throw .database(error)
        }
        if deleted == 0 { throw .notFound(name) }
    }

    /// Every stored credential, for the authenticator's constant-time scan.
    package func credentials() throws(SQLiteError) -> [Credential] {
        try connection.query("SELECT id, name, user_id, token_hash, last_used_at, scopes FROM ingest_tokens").map { row in
            Credential(id: row[0].integerValue ?? 0, name: row[1].textValue ?? "", userID: row[2].integerValue,
                       scopes: TokenScope.stored(row[5].textValue), hash: Array((row[3].textValue ?? "").utf8),
                       lastUsedAt: row[4].textValue)
        }
    }

    /// Whether the token whose row id is `id` still exists (one primary-key lookup): an open
    /// event stream asks this to end when its token is revoked.
    package func exists(id: Int64) throws(SQLiteError) -> Bool {
        try connection.scalar("SELECT 1 FROM ingest_tokens WHERE id = ?", [.integer(id)]) != nil
    }

    /// Stores that token `id` was used at `timestamp`.
    package func recordUse(of id: Int64, at timestamp: String) throws(SQLiteError) {
        _ = try connection.execute("UPDATE ingest_tokens SET last_used_at = ? WHERE id = ?", [.text(timestamp), .integer(id)])
    }

    /// 1 to 100 characters, none of them control characters.
    static func isValid(name: String) -> Bool {
        !name.isEmpty && name.count <= 100 && !name.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }
}
