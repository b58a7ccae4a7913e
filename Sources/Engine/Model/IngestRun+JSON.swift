import Foundation

/// JSON shapes shared by the API resources and the CLI's `--json` output, so both say the same.
extension IngestRun {
    /// The seed's `IngestRunResource` fields in its order, plus Ingest's additions after them
    /// (`rows_per_second` and `eta_seconds` last).
    package func json(rows: [LoggedRow]? = nil) -> JSONValue {
        json(rowObjects: rows?.map(\.json))
    }

    /// The same, with `rows` already rendered (``LoggedRow/json`` or ``StoredRow/json``).
    package func json(rowObjects rows: [JSONValue]?) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("id", .integer(id)),
            ("importer", .string(importer)),
            ("status", .string(status.rawValue)),
            ("user_id", .optional(userID)),
            ("original_filename", .optional(originalFilename)),
            ("progress", .object([
                ("total", .integer(Int64(counts.total))),
                ("processed", .integer(Int64(counts.processed))),
                ("successful", .integer(Int64(counts.successful))),
                ("failed", .integer(Int64(counts.failed))),
                ("created", .integer(Int64(counts.created))),
                ("updated", .integer(Int64(counts.updated))),
                ("skipped", .integer(Int64(counts.skipped))),
                ("bytes_read", .integer(bytesRead)),
                ("bytes_total", .optional(bytesTotal)),
            ])),
            ("summary", storedSummary.map(JSONValue.raw) ?? .null),
            ("started_at", .optional(startedAt)),
            ("completed_at", .optional(completedAt)),
        ]
        if let rows { members.append(("rows", .array(rows))) }
        members += [
            ("dry_run", .bool(dryRun)),
            ("parent_id", .optional(parentID)),
            ("retried_from_run_id", .optional(retriedFromRunID)),
            ("definition_hash", .optional(definitionHash)),
            ("failure_reason", .optional(failureReason)),
            ("cancel_requested", .bool(cancelRequested)),
            ("created_at", .string(createdAt)),
            ("resumable", .bool(resumable)),
            ("resumed_from_run_id", .optional(resumedFromRunID)),
            ("applied_from_run_id", .optional(appliedFromRunID)),
            ("rolled_back_rows", .integer(Int64(rolledBackRows))),
        ]
        // The rate depends on when the object is written (see `RunRate`).
        let speed = rate(at: Date())
        members.append(("rows_per_second", speed.rowsPerSecond.map(JSONValue.number) ?? .null))
        members.append(("eta_seconds", speed.etaSeconds.map(JSONValue.number) ?? .null))
        return .object(members)
    }
}

extension LoggedRow {
    /// `{row_number, status, data, errors}`.
    package var json: JSONValue {
        LoggedRow.json(rowNumber: rowNumber, status: status, data: RunStore.encodeData(data), errors: errors.map(RunStore.encode) ?? .null)
    }

    /// The row object from its parts.
    static func json(rowNumber: Int, status: Status, data: JSONValue, errors: JSONValue) -> JSONValue {
        .object([
            ("row_number", .integer(Int64(rowNumber))),
            ("status", .string(status.rawValue)),
            ("data", data),
            ("errors", errors),
        ])
    }
}

extension StoredRow {
    /// `{row_number, status, data, errors}` with `data` and `errors` copied as stored: the same
    /// JSON as ``LoggedRow/json`` of the decoded row, byte for byte for rows Ingest wrote.
    package var json: JSONValue {
        LoggedRow.json(rowNumber: rowNumber, status: status, data: .raw(data), errors: errors.map(JSONValue.raw) ?? .null)
    }
}

extension ErrorSummary {
    /// The seed's `IngestErrorSummaryResource` fields.
    package var json: JSONValue {
        .object([
            ("total_failed_rows", .integer(Int64(totalFailedRows))),
            ("error_summary", .array(errorSummary.map { .object([("message", .string($0.message)), ("count", .integer(Int64($0.count)))]) })),
            ("validation_summary", .array(validationSummary.map { .object([("message", .string($0.message)), ("count", .integer(Int64($0.count)))]) })),
        ])
    }
}
