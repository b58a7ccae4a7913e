/// The summary of a finished run, as API.md specifies.
public struct RunSummary: Sendable, Equatable, Codable {
    /// Run-level errors (missing headers, budget exceeded, the first row errors).
    public var errors: [String]
    /// Things the user should know that did not fail rows (unmatched optional headers, reader notes).
    public var warnings: [String]
    public var meta: Meta

    public struct Meta: Sendable, Equatable, Codable {
        public var totalRows: Int
        public var successfulRows: Int
        public var failedRows: Int
        public var createdRows: Int
        public var updatedRows: Int
        public var skippedRows: Int
        public var durationMs: Int
        public var rowsPerSecond: Int
        public var dryRun: Bool
        /// What the reader detected: format, delimiter, encoding.
        public var source: [String: String]
        /// What was written and then rolled back (a dry run, or `transaction: all`/`chunk` after a
        /// bad row): what the run would have done. The counters above say what is in the table.
        public var rolledBack: Outcome?

        enum CodingKeys: String, CodingKey {
            case totalRows = "total_rows", successfulRows = "successful_rows", failedRows = "failed_rows"
            case createdRows = "created_rows", updatedRows = "updated_rows", skippedRows = "skipped_rows"
            case durationMs = "duration_ms", rowsPerSecond = "rows_per_second", dryRun = "dry_run", source
            case rolledBack = "rolled_back"
        }
    }

    /// Row outcomes of a part of a run.
    public struct Outcome: Sendable, Equatable, Codable {
        public var created: Int
        public var updated: Int
        public var skipped: Int
        public init(created: Int, updated: Int, skipped: Int) {
            self.created = created; self.updated = updated; self.skipped = skipped
        }
    }

    public init(errors: [String], warnings: [String], meta: Meta) {
        self.errors = errors; self.warnings = warnings; self.meta = meta
    }
}
