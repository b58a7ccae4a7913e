import SQLite

/// The versioned schema of Ingest's own bookkeeping tables (`ingest_*`).
///
/// Append migrations; never edit one that has shipped, since databases in the field have applied it.
enum Schema {
    static let migrator = Migrator(migrations: [
        .init(version: 1, name: "runs and rows", sql: """
            CREATE TABLE ingest_runs (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                importer TEXT NOT NULL,
                status TEXT NOT NULL DEFAULT 'pending',
                user_id INTEGER,
                original_filename TEXT,
                source_path TEXT,
                definition_hash TEXT,
                dry_run INTEGER NOT NULL DEFAULT 0,
                parent_id INTEGER REFERENCES ingest_runs(id) ON DELETE SET NULL,
                retried_from_run_id INTEGER REFERENCES ingest_runs(id) ON DELETE SET NULL,
                total_rows INTEGER NOT NULL DEFAULT 0,
                processed_rows INTEGER NOT NULL DEFAULT 0,
                successful_rows INTEGER NOT NULL DEFAULT 0,
                failed_rows INTEGER NOT NULL DEFAULT 0,
                created_rows INTEGER NOT NULL DEFAULT 0,
                updated_rows INTEGER NOT NULL DEFAULT 0,
                skipped_rows INTEGER NOT NULL DEFAULT 0,
                bytes_read INTEGER NOT NULL DEFAULT 0,
                bytes_total INTEGER,
                summary TEXT,
                failure_reason TEXT,
                cancel_requested INTEGER NOT NULL DEFAULT 0,
                created_at TEXT NOT NULL,
                started_at TEXT,
                completed_at TEXT
            );
            CREATE INDEX ingest_runs_importer_status ON ingest_runs(importer, status);
            CREATE INDEX ingest_runs_status ON ingest_runs(status);
            CREATE TABLE ingest_rows (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                run_id INTEGER NOT NULL REFERENCES ingest_runs(id) ON DELETE CASCADE,
                row_number INTEGER NOT NULL,
                status TEXT NOT NULL,
                data TEXT NOT NULL,
                errors TEXT
            );
            CREATE INDEX ingest_rows_run_status ON ingest_rows(run_id, status);
            """),
        .init(version: 2, name: "tokens", sql: """
            CREATE TABLE ingest_tokens (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT NOT NULL UNIQUE,
                token_hash TEXT NOT NULL UNIQUE,
                user_id INTEGER,
                created_at TEXT NOT NULL,
                last_used_at TEXT
            );
            """),
        .init(version: 3, name: "url sources", sql: "ALTER TABLE ingest_runs ADD COLUMN source_url TEXT"),
    ])

    /// Opens the database at `path` and brings its schema up to date.
    static func open(path: String, busyTimeout: Int32 = 10_000) throws(SQLiteError) -> Connection {
        let db = try Connection(path: path, busyTimeout: busyTimeout)
        try migrator.migrate(db)
        return db
    }
}
