/// The summary of a finished run, as API.md specifies.
package struct RunSummary: Sendable, Equatable, Codable {
    /// Run-level errors (missing headers, budget exceeded, the first row errors).
    package var errors: [String]
    /// Things the user should know that did not fail rows (unmatched optional headers, reader notes).
    package var warnings: [String]
    package var meta: Meta

    package struct Meta: Sendable, Equatable, Codable {
        package var totalRows: Int
        package var successfulRows: Int
        package var failedRows: Int
        package var createdRows: Int
        package var updatedRows: Int
        package var skippedRows: Int
        package var durationMs: Int
        package var rowsPerSecond: Int
        package var dryRun: Bool
        /// What the reader detected: format, delimiter, encoding.
        package var source: [String: String]
        /// What was written and then rolled back (a dry run, or `transaction: all`/`chunk` after a
        /// bad row): what the run would have done. The counters above say what is in the table.
        package var rolledBack: Outcome?
        /// Where the run's time went, per thread (runs that read rows).
        package var threads: Threads?
        /// `relate_many` importers: pivot rows attached and detached, related rows created, as
        /// committed (a dry run's as predicted).
        package var relations: Relations?
        /// `target.route` and `nest` importers: created/updated/skipped per table (the target,
        /// each routed table, each child table), as committed (a dry run's as predicted).
        package var tables: [String: Outcome]?

        enum CodingKeys: String, CodingKey {
            case totalRows = "total_rows", successfulRows = "successful_rows", failedRows = "failed_rows"
            case createdRows = "created_rows", updatedRows = "updated_rows", skippedRows = "skipped_rows"
            case durationMs = "duration_ms", rowsPerSecond = "rows_per_second", dryRun = "dry_run", source
            case rolledBack = "rolled_back", threads, relations, tables
        }
    }

    /// CPU time of the two threads of a run, and the part of the write thread spent inside SQLite.
    package struct Threads: Sendable, Equatable, Codable {
        /// CPU time of the parse thread: reading the source, validating and coercing rows.
        package var readValidateCPUMs: Int
        /// CPU time of the write thread: binding, writing, lookups, commits and row logs.
        package var writeCPUMs: Int
        /// The part of `writeCPUMs` spent inside SQLite: the share of the write thread's busy time
        /// spent in SQLite calls (row statements sampled every 16th row and scaled; queries and
        /// commits in full), applied to its CPU time.
        package var writeSQLiteMs: Int

        package init(readValidateCPUMs: Int, writeCPUMs: Int, writeSQLiteMs: Int) {
            self.readValidateCPUMs = readValidateCPUMs; self.writeCPUMs = writeCPUMs; self.writeSQLiteMs = writeSQLiteMs
        }

        enum CodingKeys: String, CodingKey {
            case readValidateCPUMs = "read_validate_cpu_ms", writeCPUMs = "write_cpu_ms", writeSQLiteMs = "write_sqlite_ms"
        }
    }

    /// What `relate_many` columns did to their pivot and related tables.
    package struct Relations: Sendable, Equatable, Codable {
        /// Pivot rows inserted.
        package var attached: Int
        /// Pivot rows deleted (`mode: sync`).
        package var detached: Int
        /// Related rows inserted (`on_missing: create`).
        package var created: Int
        package init(attached: Int, detached: Int, created: Int) {
            self.attached = attached; self.detached = detached; self.created = created
        }
    }

    /// Row outcomes of a part of a run.
    package struct Outcome: Sendable, Equatable, Codable {
        package var created: Int
        package var updated: Int
        package var skipped: Int
        package init(created: Int, updated: Int, skipped: Int) {
            self.created = created; self.updated = updated; self.skipped = skipped
        }
    }

    package init(errors: [String], warnings: [String], meta: Meta) {
        self.errors = errors; self.warnings = warnings; self.meta = meta
    }
}
