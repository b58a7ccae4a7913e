import Foundation
import SQLite
import Testing
@testable import Engine

/// Migration 6 on a database made before scopes and sessions existed.
@Suite("Token scopes migration")
struct TokenScopeMigrationTests {
    @Test("a version-4 database with tokens gains scopes and sessions; its tokens keep read and run and their hashes")
    func migratesVersion4() throws {
        let path = NSTemporaryDirectory() + "ingest-scopes-\(UUID().uuidString.prefix(8)).sqlite"
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let db = try Connection(path: path)
            let before = Migrator(migrations: Schema.migrator.migrations.filter { $0.version <= 4 })
            try before.migrate(db)
            _ = try db.execute("INSERT INTO ingest_tokens (name, token_hash, user_id, created_at) VALUES ('old', ?, 3, '2024-01-01T00:00:00.000000Z')",
                               [.text(TokenGenerator.hash(of: "ingest_old"))])
        }
        let store = try RunStore(path: path)
        let tokens = TokenStore(store)
        let credential = try #require(try tokens.credentials().first)
        #expect(credential.name == "old")
        #expect(credential.scopes == [.read, .run])
        #expect(credential.hash == Array(TokenGenerator.hash(of: "ingest_old").utf8))
        #expect(try tokens.list().first?.scopes == [.read, .run])
        // A second open applies nothing again.
        #expect(try Schema.migrator.migrate(store.db).isEmpty)
        let sessions = SessionStore(store)
        let created = try sessions.create(for: credential, lifetime: .seconds(60))
        #expect(try sessions.session(id: created.id)?.scopes == [.read, .run])
        #expect(try sessions.session(id: String(created.id.reversed())) == nil)
    }

    @Test("scope lists parse strictly and print in a fixed order")
    func parsing() throws {
        #expect(try TokenScope.parse("run, read") == [.read, .run])
        #expect(TokenScope.text([.admin, .read]) == "read,admin")
        #expect(throws: TokenError.invalidScope("write")) { try TokenScope.parse("read,write") }
        #expect(throws: TokenError.invalidScope("")) { try TokenScope.parse("read,") }
        #expect(TokenScope.stored(nil) == [.read, .run])
        #expect(TokenScope.stored("admin,future") == [.admin])
    }
}
