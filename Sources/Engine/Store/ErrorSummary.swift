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
    /// Builds the error summary of a run from its failed rows (streamed, so any number of rows works).
    package func errorSummary(of runID: Int64) throws -> ErrorSummary {
        var total = 0
        var messages: [String: Int] = [:]
        var validation: [String: Int] = [:]
        try forEachFailedRow(of: runID) { row in
            total += 1
            guard let errors = row.errors else { return }
            messages[errors.message, default: 0] += 1
            for (column, list) in errors.validation {
                for message in list { validation["\(column): \(message)", default: 0] += 1 }
            }
        }
        func sorted(_ d: [String: Int]) -> [ErrorSummary.Entry] {
            d.map { ErrorSummary.Entry(message: $0.key, count: $0.value) }
                .sorted { $0.count != $1.count ? $0.count > $1.count : $0.message < $1.message }
        }
        return ErrorSummary(totalFailedRows: total, errorSummary: sorted(messages), validationSummary: sorted(validation))
    }
}
