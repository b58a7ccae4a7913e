/// Applies numbered schema migrations once each, in order, recording them in `ingest_migrations`.
///
/// Each migration runs in its own transaction, so a failure leaves the schema at the last good
/// version. Two processes migrating one database at once apply each step once: on SQLite the
/// check runs inside an IMMEDIATE transaction (the write lock); on PostgreSQL inside a
/// transaction holding an advisory lock (``advisoryLockKey``).
package struct Migrator: Sendable {
    /// One schema step. `version` values must be unique and increasing; each dialect has its own
    /// SQL for the same step.
    package struct Migration: Sendable {
        package let version: Int
        package let name: String
        package let sqlite: String
        package let postgres: String
        /// A step whose SQL both dialects accept.
        package init(version: Int, name: String, sql: String) { self.init(version: version, name: name, sqlite: sql, postgres: sql) }
        package init(version: Int, name: String, sqlite: String, postgres: String) {
            self.version = version; self.name = name; self.sqlite = sqlite; self.postgres = postgres
        }
        package func sql(for dialect: SQLDialect) -> String { dialect == .sqlite ? sqlite : postgres }
    }

    package let migrations: [Migration]
    package init(migrations: [Migration]) { self.migrations = migrations.sorted { $0.version < $1.version } }

    /// The key of the PostgreSQL advisory lock migrations hold (the bytes of "ingest").
    package static let advisoryLockKey: Int64 = 0x696E_6765_7374

    /// Applies the missing migrations; returns the versions applied.
    @discardableResult
    package func migrate(_ db: any SQLDatabase) throws(DatabaseError) -> [Int] {
        if try !db.tableExists("ingest_migrations") {
            try locked(db) { () throws(DatabaseError) in try db.execute(Migrator.migrationsTable(db.dialect)) }
        }
        var applied: [Int] = []
        // Read first: an up-to-date database needs no write lock, so opening it never waits on a
        // long-running writer (a run in `transaction: all`).
        let done = Set(try db.query("SELECT version FROM ingest_migrations").compactMap { $0[0].integerValue.map(Int.init) })
        for migration in migrations where !done.contains(migration.version) {
            // Checked again under the lock, so two processes opening at once don't both apply it.
            try locked(db) { () throws(DatabaseError) in
                let version = Value.integer(Int64(migration.version))
                guard try db.scalar("SELECT 1 FROM ingest_migrations WHERE version = ?", [version]) == nil else { return }
                try db.execute(migration.sql(for: db.dialect))
                try db.execute("INSERT INTO ingest_migrations(version, name) VALUES (?, ?)", [version, .text(migration.name)])
                applied.append(migration.version)
            }
        }
        return applied
    }

    /// Runs `body` in a transaction that excludes every other migrating connection.
    private func locked(_ db: any SQLDatabase, _ body: () throws(DatabaseError) -> Void) throws(DatabaseError) {
        try db.begin(.immediate)
        do {
            if db.dialect == .postgres {
                _ = try db.query("SELECT pg_advisory_xact_lock(?)", [.integer(Migrator.advisoryLockKey)])
            }
            try body()
            try db.commit()
        } catch {
            try? db.rollback()
            throw error
        }
    }

    static func migrationsTable(_ dialect: SQLDialect) -> String {
        let now = dialect == .sqlite
            ? "strftime('%Y-%m-%dT%H:%M:%fZ','now')"
            : #"to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')"#
        return """
            CREATE TABLE IF NOT EXISTS ingest_migrations (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at TEXT NOT NULL DEFAULT (\(now))
            )
            """
    }

    /// The highest applied version, 0 for a new database.
    package func currentVersion(_ db: any SQLDatabase) throws(DatabaseError) -> Int {
        Int(try db.scalar("SELECT COALESCE(MAX(version), 0) FROM ingest_migrations")?.integerValue ?? 0)
    }
}
