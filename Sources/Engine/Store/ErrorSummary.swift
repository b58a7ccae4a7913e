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
    /// SQLite counts the messages inside the stored `errors` JSON (`json_extract`, `json_each`,
    /// `GROUP BY`), so no row is decoded into Swift values: the grouped counts are few whatever
    /// the number of rows. They are then merged by Swift string equality and sorted here, as when
    /// the rows were counted one by one: a row's `message` (which must be a string), and each
    /// string in the arrays of its `validation` object as `column: message`. Groups are merged in
    /// the order their first row was logged, so of two messages Swift finds equal (canonically
    /// equivalent, different bytes) the one that came first is shown, as before.
    package func errorSummary(of runID: Int64) throws -> ErrorSummary {
        let total = try failedRowCount(of: runID)
        var messages: [String: Int] = [:]
        for group in try db.query("""
            SELECT json_extract(errors, '$.message'), json_type(errors, '$.message'), COUNT(*) FROM ingest_rows
            WHERE run_id = ? AND status = 'failed' AND errors IS NOT NULL GROUP BY 1, 2 ORDER BY MIN(id)
            """, [.integer(runID)]) {
            guard group[1].textValue == "text", let message = group[0].textValue else {
                throw SQLiteError.corruptRecord(table: "ingest_rows", id: runID, column: "errors", "the stored errors are not the JSON Ingest writes")
            }
            messages[message, default: 0] += Int(group[2].integerValue ?? 0)
        }
        var validation: [String: Int] = [:]
        for group in try db.query("""
            SELECT v.key, m.value, COUNT(*) FROM ingest_rows r, json_each(r.errors, '$.validation') v, json_each(v.value) m
            WHERE r.run_id = ? AND r.status = 'failed' AND r.errors IS NOT NULL AND json_type(r.errors, '$.validation') = 'object'
                AND v.type = 'array' AND m.type = 'text'
            GROUP BY 1, 2 ORDER BY MIN(r.id), MIN(v.id), MIN(m.id)
            """, [.integer(runID)]) {
            guard let column = group[0].textValue, let message = group[1].textValue else { continue }
            validation["\(column): \(message)", default: 0] += Int(group[2].integerValue ?? 0)
        }
        func sorted(_ d: [String: Int]) -> [ErrorSummary.Entry] {
            d.map { ErrorSummary.Entry(message: $0.key, count: $0.value) }
                .sorted { $0.count != $1.count ? $0.count > $1.count : $0.message < $1.message }
        }
        return ErrorSummary(totalFailedRows: total, errorSummary: sorted(messages), validationSummary: sorted(validation))
    }
}
