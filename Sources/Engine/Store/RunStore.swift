import SQLite

/// Reads and writes `ingest_runs` and `ingest_rows` on one connection.
///
/// Like its connection, a store belongs to one thread at a time.
public final class RunStore {
    public let db: Connection

    public init(connection: Connection) { self.db = connection }

    /// Opens the database at `path`, migrating the bookkeeping tables.
    public convenience init(path: String, busyTimeout: Int32 = 10_000) throws(SQLiteError) {
        self.init(connection: try Schema.open(path: path, busyTimeout: busyTimeout))
    }

    static let runColumns = """
        id, importer, status, user_id, original_filename, source_path, definition_hash, dry_run, parent_id,
        retried_from_run_id, total_rows, processed_rows, successful_rows, failed_rows, created_rows, updated_rows,
        skipped_rows, bytes_read, bytes_total, summary, failure_reason, cancel_requested, created_at, started_at, completed_at, source_url
        """

    /// Facts of a new run.
    public struct NewRun: Sendable {
        public var importer: String
        public var userID: Int64?
        public var originalFilename: String?
        public var sourcePath: String?
        public var sourceURL: String?
        public var definitionHash: String?
        public var dryRun: Bool
        public var parentID: Int64?
        public var retriedFromRunID: Int64?
        public init(importer: String, userID: Int64? = nil, originalFilename: String? = nil, sourcePath: String? = nil,
                    definitionHash: String? = nil, dryRun: Bool = false, parentID: Int64? = nil, retriedFromRunID: Int64? = nil,
                    sourceURL: String? = nil) {
            self.sourceURL = sourceURL
            self.importer = importer; self.userID = userID; self.originalFilename = originalFilename
            self.sourcePath = sourcePath; self.definitionHash = definitionHash; self.dryRun = dryRun
            self.parentID = parentID; self.retriedFromRunID = retriedFromRunID
        }
    }

    /// Records a `pending` run and returns its id.
    public func createRun(_ run: NewRun) throws(SQLiteError) -> Int64 {
        try db.execute("""
            INSERT INTO ingest_runs (importer, status, user_id, original_filename, source_path, definition_hash, dry_run,
                parent_id, retried_from_run_id, created_at, source_url) VALUES (?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(run.importer), run.userID.map(Value.integer) ?? .null, run.originalFilename.map(Value.text) ?? .null,
                  run.sourcePath.map(Value.text) ?? .null, run.definitionHash.map(Value.text) ?? .null,
                  .integer(run.dryRun ? 1 : 0), run.parentID.map(Value.integer) ?? .null,
                  run.retriedFromRunID.map(Value.integer) ?? .null, .text(Timestamp.now()), run.sourceURL.map(Value.text) ?? .null])
        return db.lastInsertRowID
    }

    /// Moves a pending run to `processing`. Returns false when it was not pending (claimed by another worker).
    public func claim(_ id: Int64, definitionHash: String?, bytesTotal: Int64?) throws(SQLiteError) -> Bool {
        try db.execute("""
            UPDATE ingest_runs SET status = 'processing', started_at = ?, definition_hash = COALESCE(?, definition_hash),
                bytes_total = COALESCE(?, bytes_total) WHERE id = ? AND status = 'pending'
            """, [.text(Timestamp.now()), definitionHash.map(Value.text) ?? .null, bytesTotal.map(Value.integer) ?? .null, .integer(id)]) == 1
    }

    /// Stores progress counters.
    public func updateProgress(_ id: Int64, counts: RunCounts, bytesRead: Int64, bytesTotal: Int64? = nil) throws(SQLiteError) {
        try db.execute("""
            UPDATE ingest_runs SET total_rows = ?, processed_rows = ?, successful_rows = ?, failed_rows = ?, created_rows = ?,
                updated_rows = ?, skipped_rows = ?, bytes_read = ?, bytes_total = COALESCE(?, bytes_total) WHERE id = ?
            """, RunStore.countValues(counts) + [.integer(bytesRead), bytesTotal.map(Value.integer) ?? .null, .integer(id)])
    }

    static func countValues(_ c: RunCounts) -> [Value] {
        [c.total, c.processed, c.successful, c.failed, c.created, c.updated, c.skipped].map { .integer(Int64($0)) }
    }

    /// Ends a run.
    public func finish(_ id: Int64, status: RunStatus, counts: RunCounts, bytesRead: Int64, bytesTotal: Int64? = nil, summary: RunSummary?, failureReason: String?) throws(SQLiteError) {
        try db.execute("""
            UPDATE ingest_runs SET status = ?, total_rows = ?, processed_rows = ?, successful_rows = ?, failed_rows = ?,
                created_rows = ?, updated_rows = ?, skipped_rows = ?, bytes_read = ?, bytes_total = COALESCE(?, bytes_total), summary = ?, failure_reason = ?,
                started_at = COALESCE(started_at, ?), completed_at = ? WHERE id = ?
            """, [.text(status.rawValue)] + RunStore.countValues(counts) + [
                .integer(bytesRead), bytesTotal.map(Value.integer) ?? .null, summary.map { .text(RunStore.encode($0).text) } ?? .null,
                failureReason.map(Value.text) ?? .null, .text(Timestamp.now()), .text(Timestamp.now()), .integer(id)])
    }

    /// One run, or nil.
    public func run(_ id: Int64) throws(SQLiteError) -> IngestRun? {
        try db.query("SELECT \(RunStore.runColumns) FROM ingest_runs WHERE id = ?", [.integer(id)]).first.map(RunStore.decodeRun)
    }

    /// A page of runs, newest first, with the total count.
    public func runs(importer: String? = nil, status: RunStatus? = nil, limit: Int, offset: Int) throws(SQLiteError) -> (runs: [IngestRun], total: Int) {
        var conditions: [String] = []
        var args: [Value] = []
        if let importer { conditions.append("importer = ?"); args.append(.text(importer)) }
        if let status { conditions.append("status = ?"); args.append(.text(status.rawValue)) }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let total = Int(try db.scalar("SELECT COUNT(*) FROM ingest_runs \(whereClause)", args)?.integerValue ?? 0)
        let rows = try db.query("SELECT \(RunStore.runColumns) FROM ingest_runs \(whereClause) ORDER BY id DESC LIMIT ? OFFSET ?",
                                args + [.integer(Int64(limit)), .integer(Int64(offset))])
        return (rows.map(RunStore.decodeRun), total)
    }

    /// Outcome of a cancellation request.
    public enum CancelResult: Sendable, Equatable { case requested, notFound, alreadyFinished(RunStatus) }

    /// Flags a run for cancellation; a pending run is cancelled at once, a processing one between chunks.
    public func requestCancellation(of id: Int64) throws(SQLiteError) -> CancelResult {
        guard let run = try run(id) else { return .notFound }
        if run.status.isFinished { return .alreadyFinished(run.status) }
        try db.execute("UPDATE ingest_runs SET cancel_requested = 1 WHERE id = ?", [.integer(id)])
        let now = Timestamp.now()
        try db.execute("""
            UPDATE ingest_runs SET status = 'cancelled', failure_reason = 'Cancelled before it started.', completed_at = ?
            WHERE id = ? AND status = 'pending'
            """, [.text(now), .integer(id)])
        return .requested
    }

    /// Whether someone asked to cancel the run.
    public func isCancelRequested(_ id: Int64) throws(SQLiteError) -> Bool {
        try db.scalar("SELECT cancel_requested FROM ingest_runs WHERE id = ?", [.integer(id)])?.integerValue == 1
    }

    /// Pending runs, oldest first (the worker queue).
    public func pendingRunIDs(limit: Int = 100) throws(SQLiteError) -> [Int64] {
        try db.query("SELECT id FROM ingest_runs WHERE status = 'pending' ORDER BY id LIMIT ?", [.integer(Int64(limit))]).compactMap { $0[0].integerValue }
    }

    /// Ends runs left `processing` by a crashed process as `failed` ("interrupted"). Returns their ids.
    public func failInterruptedRuns() throws(SQLiteError) -> [Int64] {
        let ids = try db.query("SELECT id FROM ingest_runs WHERE status = 'processing'").compactMap { $0[0].integerValue }
        for id in ids {
            try db.execute("""
                UPDATE ingest_runs SET status = 'failed', failure_reason = 'interrupted: the process running it stopped before it finished.',
                completed_at = ? WHERE id = ? AND status = 'processing'
                """, [.text(Timestamp.now()), .integer(id)])
        }
        return ids
    }

    // MARK: rows

    static let insertRowSQL = "INSERT INTO ingest_rows (run_id, row_number, status, data, errors) VALUES (?, ?, ?, ?, ?)"

    /// Appends logged rows (the caller holds the transaction).
    public func append(_ rows: [LoggedRow]) throws(SQLiteError) {
        guard !rows.isEmpty else { return }
        let statement = try db.cachedStatement(RunStore.insertRowSQL)
        for row in rows {
            try statement.execute([.integer(row.runID), .integer(Int64(row.rowNumber)), .text(row.status.rawValue),
                                   .text(RunStore.encodeData(row.data).text), row.errors.map { .text(RunStore.encode($0).text) } ?? .null])
        }
    }

    /// Logged rows of a run in row order, optionally of one status.
    public func rows(of runID: Int64, status: LoggedRow.Status? = nil, limit: Int, offset: Int) throws(SQLiteError) -> (rows: [LoggedRow], total: Int) {
        var args: [Value] = [.integer(runID)]
        var filter = ""
        if let status { filter = " AND status = ?"; args.append(.text(status.rawValue)) }
        let total = Int(try db.scalar("SELECT COUNT(*) FROM ingest_rows WHERE run_id = ?\(filter)", args)?.integerValue ?? 0)
        let rows = try db.query("SELECT run_id, row_number, status, data, errors FROM ingest_rows WHERE run_id = ?\(filter) ORDER BY id LIMIT ? OFFSET ?",
                                args + [.integer(Int64(limit)), .integer(Int64(offset))])
        return (rows.map(RunStore.decodeRow), total)
    }

    /// Calls `body` for each failed row of a run in row order, without loading them all.
    public func forEachFailedRow(of runID: Int64, _ body: (LoggedRow) throws -> Void) throws {
        let statement = try db.prepare("SELECT run_id, row_number, status, data, errors FROM ingest_rows WHERE run_id = ? AND status = 'failed' ORDER BY id")
        try statement.bind([.integer(runID)])
        while try statement.step() {
            try body(RunStore.decodeRow((0..<5).map { statement.column($0) }))
        }
    }

    /// Number of failed rows logged for a run.
    public func failedRowCount(of runID: Int64) throws(SQLiteError) -> Int {
        Int(try db.scalar("SELECT COUNT(*) FROM ingest_rows WHERE run_id = ? AND status = 'failed'", [.integer(runID)])?.integerValue ?? 0)
    }

    // MARK: encoding

    static func decodeRun(_ r: [Value]) -> IngestRun {
        var counts = RunCounts()
        counts.total = Int(r[10].integerValue ?? 0); counts.processed = Int(r[11].integerValue ?? 0)
        counts.successful = Int(r[12].integerValue ?? 0); counts.failed = Int(r[13].integerValue ?? 0)
        counts.created = Int(r[14].integerValue ?? 0); counts.updated = Int(r[15].integerValue ?? 0)
        counts.skipped = Int(r[16].integerValue ?? 0)
        let summary = r[19].textValue.flatMap { try? JSONValue.parse($0) }.flatMap(RunStore.decodeSummary)
        return IngestRun(
            id: r[0].integerValue ?? 0, importer: r[1].textValue ?? "", status: RunStatus(rawValue: r[2].textValue ?? "") ?? .failed,
            userID: r[3].integerValue, originalFilename: r[4].textValue, sourcePath: r[5].textValue, sourceURL: r[25].textValue, definitionHash: r[6].textValue,
            dryRun: r[7].integerValue == 1, parentID: r[8].integerValue, retriedFromRunID: r[9].integerValue, counts: counts,
            bytesRead: r[17].integerValue ?? 0, bytesTotal: r[18].integerValue, summary: summary, failureReason: r[20].textValue,
            cancelRequested: r[21].integerValue == 1, createdAt: r[22].textValue ?? "", startedAt: r[23].textValue, completedAt: r[24].textValue)
    }

    static func decodeRow(_ r: [Value]) -> LoggedRow {
        var data: [(key: String, value: String)] = []
        if let text = r[3].textValue, let json = try? JSONValue.parse(text), let members = json.objectValue {
            data = members.map { (key: $0.0, value: $0.1.stringValue ?? "") }
        }
        let errors = r[4].textValue.flatMap { try? JSONValue.parse($0) }.flatMap(RunStore.decodeErrors)
        return LoggedRow(runID: r[0].integerValue ?? 0, rowNumber: Int(r[1].integerValue ?? 0),
                         status: LoggedRow.Status(rawValue: r[2].textValue ?? "") ?? .failed, data: data, errors: errors)
    }

    /// `data` as a JSON object keyed by source header, in header order.
    public static func encodeData(_ data: [(key: String, value: String)]) -> JSONValue {
        .object(data.map { ($0.key, .string($0.value)) })
    }

    /// `{message, validation: {column: [messages]}}`.
    public static func encode(_ e: RowErrors) -> JSONValue {
        var members: [(String, JSONValue)] = [("message", .string(e.message))]
        if !e.validation.isEmpty {
            members.append(("validation", .object(e.validation.map { ($0.column, .array($0.messages.map(JSONValue.string))) })))
        }
        return .object(members)
    }

    static func decodeErrors(_ json: JSONValue) -> RowErrors? {
        guard let message = json["message"]?.stringValue else { return nil }
        let validation = json["validation"]?.objectValue?.map { (column: $0.0, messages: $0.1.arrayValue?.compactMap(\.stringValue) ?? []) } ?? []
        return RowErrors(message: message, validation: validation)
    }

    public static func encode(_ s: RunSummary) -> JSONValue {
        let m = s.meta
        return .object([
            ("errors", .array(s.errors.map(JSONValue.string))),
            ("warnings", .array(s.warnings.map(JSONValue.string))),
            ("meta", .object([
                ("total_rows", .integer(Int64(m.totalRows))), ("successful_rows", .integer(Int64(m.successfulRows))),
                ("failed_rows", .integer(Int64(m.failedRows))), ("created_rows", .integer(Int64(m.createdRows))),
                ("updated_rows", .integer(Int64(m.updatedRows))), ("skipped_rows", .integer(Int64(m.skippedRows))),
                ("duration_ms", .integer(Int64(m.durationMs))), ("rows_per_second", .integer(Int64(m.rowsPerSecond))),
                ("dry_run", .bool(m.dryRun)),
                ("source", .object(m.source.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            ])),
        ])
    }

    static func decodeSummary(_ json: JSONValue) -> RunSummary? {
        guard let meta = json["meta"] else { return nil }
        func int(_ k: String) -> Int { Int(meta[k]?.intValue ?? 0) }
        var source: [String: String] = [:]
        for (k, v) in meta["source"]?.objectValue ?? [] { source[k] = v.stringValue ?? "" }
        return RunSummary(
            errors: json["errors"]?.arrayValue?.compactMap(\.stringValue) ?? [],
            warnings: json["warnings"]?.arrayValue?.compactMap(\.stringValue) ?? [],
            meta: .init(totalRows: int("total_rows"), successfulRows: int("successful_rows"), failedRows: int("failed_rows"),
                        createdRows: int("created_rows"), updatedRows: int("updated_rows"), skippedRows: int("skipped_rows"),
                        durationMs: int("duration_ms"), rowsPerSecond: int("rows_per_second"), dryRun: meta["dry_run"]?.boolValue ?? false,
                        source: source))
    }
}
