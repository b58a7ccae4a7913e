/// JSON shapes shared by the API resources and the CLI's `--json` output, so both say the same.
extension IngestRun {
    /// The seed's `IngestRunResource` fields in its order, plus Ingest's additions after them.
    package func json(rows: [LoggedRow]? = nil) -> JSONValue {
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
            ("summary", summary.map(RunStore.encode) ?? .null),
            ("started_at", .optional(startedAt)),
            ("completed_at", .optional(completedAt)),
        ]
        if let rows { members.append(("rows", .array(rows.map { $0.json }))) }
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
        return .object(members)
    }
}

extension LoggedRow {
    /// `{row_number, status, data, errors}`.
    package var json: JSONValue {
        .object([
            ("row_number", .integer(Int64(rowNumber))),
            ("status", .string(status.rawValue)),
            ("data", RunStore.encodeData(data)),
            ("errors", errors.map(RunStore.encode) ?? .null),
        ])
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
