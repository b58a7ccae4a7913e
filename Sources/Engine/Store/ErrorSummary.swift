import SQLite

/// Aggregated errors of a run: the seed's `IngestErrorSummaryResource`.
package struct ErrorSummary: Sendable, Equatable {
    package struct Entry: Sendable, Equatable {
        package var message: String
        package var count: Int
    }
    package var totalFailedRows: Int
    /// Row-level messages ("The given data was invalid.", "Duplicate entry found for key 'sku'."), most frequent first.
    package var errorSummary: [Entry]
    /// "column: message" for each validation message, most frequent first.
    package var validationSummary: [Entry]
}

extension RunStore {
    /// Builds the error summary of a run from its failed rows.
    ///
    /// Failed rows mostly share their errors (the same rules fail in the same way), so SQLite
    /// groups the rows by their stored `errors` text (a byte comparison) and each distinct text is
    /// decoded once and counted as many times as rows carry it: a row's `message`, and each of its
    /// validation messages as `column: message`. The distinct texts come in the order of their
    /// first row, so the counts merge in the same order as when the rows were counted one by one
    /// (of two messages Swift finds equal, canonically equivalent with different bytes, the one
    /// logged first is shown).
    package func errorSummary(of runID: Int64) throws -> ErrorSummary {
        let total = try failedRowCount(of: runID)
        var messages: [String: Int] = [:]
        var validation: [String: Int] = [:]
        try db.forEachRow("""
            SELECT errors, COUNT(*) FROM ingest_rows WHERE run_id = ? AND status = 'failed' AND errors IS NOT NULL
            GROUP BY errors ORDER BY MIN(id)
            """, [.integer(runID)]) { row throws(SQLiteError) in
            let count = Int(row.value(1).integerValue ?? 0)
            guard let text = row.value(0).textValue, let json = try? JSONValue.parse(text),
                  let errors = RunStore.decodeErrors(json) else {
                throw SQLiteError.corruptRecord(table: "ingest_rows", id: runID, column: "errors", "the stored errors are not the JSON Ingest writes")
            }
            messages[errors.message, default: 0] += count
            for (column, list) in errors.validation {
                for message in list { validation["\(column): \(message)", default: 0] += count }
            }
        }
        func sorted(_ d: [String: Int]) -> [ErrorSummary.Entry] {
            d.map { ErrorSummary.Entry(message: $0.key, count: $0.value) }
                .sorted { $0.count != $1.count ? $0.count > $1.count : $0.message < $1.message }
        }
        return ErrorSummary(totalFailedRows: total, errorSummary: sorted(messages), validationSummary: sorted(validation))
    }
}
