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
        .init(version: 4, name: "run ownership, files, apply and resume", sql: """
            ALTER TABLE ingest_runs ADD COLUMN owner_host TEXT;
            ALTER TABLE ingest_runs ADD COLUMN owner_pid INTEGER;
            ALTER TABLE ingest_runs ADD COLUMN owner_started_at TEXT;
            ALTER TABLE ingest_runs ADD COLUMN heartbeat_at TEXT;
            ALTER TABLE ingest_runs ADD COLUMN owned_file TEXT;
            ALTER TABLE ingest_runs ADD COLUMN source_fingerprint TEXT;
            ALTER TABLE ingest_runs ADD COLUMN resume_position INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE ingest_runs ADD COLUMN rolled_back_rows INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE ingest_runs ADD COLUMN resumable INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE ingest_runs ADD COLUMN resumed_from_run_id INTEGER REFERENCES ingest_runs(id) ON DELETE SET NULL;
            ALTER TABLE ingest_runs ADD COLUMN applied_from_run_id INTEGER REFERENCES ingest_runs(id) ON DELETE SET NULL;
            ALTER TABLE ingest_runs ADD COLUMN read_to_end INTEGER NOT NULL DEFAULT 1;
            UPDATE ingest_runs
                SET status = CASE status WHEN 'pending' THEN 'cancelled' ELSE 'failed' END,
                    failure_reason = 'Ended by the upgrade to one retry at a time: another retry of the same run was active.',
                    completed_at = created_at
                WHERE retried_from_run_id IS NOT NULL AND status IN ('pending', 'processing') AND id NOT IN (
                    SELECT (SELECT keep.id FROM ingest_runs AS keep
                            WHERE keep.retried_from_run_id = active.retried_from_run_id AND keep.status IN ('pending', 'processing')
                            ORDER BY keep.status = 'processing' DESC, keep.id LIMIT 1)
                    FROM ingest_runs AS active
                    WHERE active.retried_from_run_id IS NOT NULL AND active.status IN ('pending', 'processing')
                    GROUP BY active.retried_from_run_id);
            CREATE UNIQUE INDEX ingest_runs_one_active_retry ON ingest_runs(retried_from_run_id)
                WHERE retried_from_run_id IS NOT NULL AND status IN ('pending', 'processing');
            CREATE UNIQUE INDEX ingest_runs_one_apply ON ingest_runs(applied_from_run_id)
                WHERE applied_from_run_id IS NOT NULL AND status NOT IN ('failed', 'cancelled');
            CREATE UNIQUE INDEX ingest_runs_one_resume ON ingest_runs(resumed_from_run_id)
                WHERE resumed_from_run_id IS NOT NULL AND status NOT IN ('failed', 'cancelled');
            """),
        .init(version: 5, name: "webhooks", sql: """
            CREATE TABLE ingest_webhook_deliveries (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                delivery_id TEXT NOT NULL UNIQUE,
                run_id INTEGER NOT NULL REFERENCES ingest_runs(id) ON DELETE CASCADE,
                event TEXT NOT NULL,
                url TEXT NOT NULL,
                secret_env TEXT NOT NULL,
                payload TEXT NOT NULL,
                status TEXT NOT NULL DEFAULT 'pending',
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at TEXT,
                lease_owner TEXT,
                lease_until TEXT,
                last_status_code INTEGER,
                last_error TEXT,
                created_at TEXT NOT NULL,
                delivered_at TEXT
            );
            CREATE INDEX ingest_webhook_deliveries_due ON ingest_webhook_deliveries(status, next_attempt_at);
            CREATE INDEX ingest_webhook_deliveries_run ON ingest_webhook_deliveries(run_id);
            CREATE TABLE ingest_webhook_attempts (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                delivery INTEGER NOT NULL REFERENCES ingest_webhook_deliveries(id) ON DELETE CASCADE,
                attempt INTEGER NOT NULL,
                started_at TEXT NOT NULL,
                duration_ms INTEGER NOT NULL,
                status_code INTEGER,
                error TEXT,
                next_attempt_at TEXT
            );
            CREATE INDEX ingest_webhook_attempts_delivery ON ingest_webhook_attempts(delivery);
            """),
        // Tokens created before scopes have `scopes` NULL: they keep `read` and `run`
        // (``TokenScope/legacy``). A session dies with its token (and is checked against it).
        .init(version: 6, name: "token scopes and dashboard sessions", sql: """
            ALTER TABLE ingest_tokens ADD COLUMN scopes TEXT;
            CREATE TABLE ingest_sessions (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                session_hash TEXT NOT NULL UNIQUE,
                token_id INTEGER NOT NULL REFERENCES ingest_tokens(id) ON DELETE CASCADE,
                scopes TEXT NOT NULL,
                csrf_token TEXT NOT NULL,
                created_at TEXT NOT NULL,
                expires_at TEXT NOT NULL
            );
            CREATE INDEX ingest_sessions_token ON ingest_sessions(token_id);
            """),
    ])

    /// Opens the database at `path` and brings its schema up to date.
    static func open(path: String, busyTimeout: Int32 = 10_000) throws(SQLiteError) -> Connection {
        let db = try Connection(path: path, busyTimeout: busyTimeout)
        try migrator.migrate(db)
        return db
    }
}
