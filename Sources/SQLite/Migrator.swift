/// Applies numbered schema migrations once each, in order, recording them in `ingest_migrations`.
///
/// Each migration runs in its own transaction, so a failure leaves the schema at the last good version.
package struct Migrator: Sendable {
    /// One schema step. `version` values must be unique and increasing.
    package struct Migration: Sendable {
        package let version: Int
        package let name: String
        package let sql: String
        package init(version: Int, name: String, sql: String) { self.version = version; self.name = name; self.sql = sql }
    }

    package let migrations: [Migration]
    package init(migrations: [Migration]) { self.migrations = migrations.sorted { $0.version < $1.version } }

    /// Applies the missing migrations; returns the versions applied.
    @discardableResult
    package func migrate(_ db: Connection) throws(SQLiteError) -> [Int] {
        if try !db.tableExists("ingest_migrations") {
            try db.execute("""
            CREATE TABLE IF NOT EXISTS ingest_migrations (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
            )
            """)
        }
        var applied: [Int] = []
        // Read first: an up-to-date database needs no write lock, so opening it never waits on a
        // long-running writer (a run in `transaction: all`).
        let done = Set(try db.query("SELECT version FROM ingest_migrations").compactMap { $0[0].integerValue.map(Int.init) })
        for migration in migrations where !done.contains(migration.version) {
            // Check inside an IMMEDIATE transaction so two processes opening at once don't both apply it.
            try db.begin(.immediate)
            do {
                let done = try db.scalar("SELECT 1 FROM ingest_migrations WHERE version = ?", [.integer(Int64(migration.version))]) != nil
                if !done {
                    try db.execute(migration.sql)
                    try db.execute("INSERT INTO ingest_migrations(version, name) VALUES (?, ?)", [.integer(Int64(migration.version)), .text(migration.name)])
                    applied.append(migration.version)
                }
                try db.commit()
            } catch {
                try? db.rollback()
                throw error
            }
        }
        return applied
    }

    /// The highest applied version, 0 for a new database.
    package func currentVersion(_ db: Connection) throws(SQLiteError) -> Int {
        Int(try db.scalar("SELECT COALESCE(MAX(version), 0) FROM ingest_migrations")?.integerValue ?? 0)
    }
}
