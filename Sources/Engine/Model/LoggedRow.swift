/// One row of `ingest_rows`: a source row with its outcome.
package struct LoggedRow: Sendable, Equatable {
    package enum Status: String, Sendable, Equatable, Codable, CaseIterable {
        case success, failed, skipped
        /// Valid, but undone because its chunk or run was rolled back.
        case rolledBack = "rolled_back"
    }
    package var runID: Int64
    /// The row's record number in the source (header = 1, first data row = 2).
    package var rowNumber: Int
    package var status: Status
    /// The original row keyed by source header, in header order.
    package var data: [(key: String, value: String)]
    package var errors: RowErrors?

    package init(runID: Int64, rowNumber: Int, status: Status, data: [(key: String, value: String)], errors: RowErrors? = nil) {
        self.runID = runID; self.rowNumber = rowNumber; self.status = status; self.data = data; self.errors = errors
    }

    package static func == (a: LoggedRow, b: LoggedRow) -> Bool {
        a.runID == b.runID && a.rowNumber == b.rowNumber && a.status == b.status && a.errors == b.errors
            && a.data.map(\.key) == b.data.map(\.key) && a.data.map(\.value) == b.data.map(\.value)
    }
}

/// A logged row as stored: `data` and `errors` kept as their JSON text (checked to be JSON
/// objects when read), for responses that copy them (`RunStore.storedRows`).
package struct StoredRow: Sendable, Equatable {
    package var rowNumber: Int
    package var status: LoggedRow.Status
    /// `ingest_rows.data`: the original row, a JSON object keyed by source header.
    package var data: RawJSON
    /// `ingest_rows.errors`, nil for rows that did not fail.
    package var errors: RawJSON?

    package init(rowNumber: Int, status: LoggedRow.Status, data: RawJSON, errors: RawJSON?) {
        self.rowNumber = rowNumber; self.status = status; self.data = data; self.errors = errors
    }
}

/// Why a row failed: `{message, validation: {column: [messages]}}`.
package struct RowErrors: Sendable, Equatable {
    /// "The given data was invalid." for validation failures, else the specific reason.
    package var message: String
    /// Column → messages, in column order.
    package var validation: [(column: String, messages: [String])]

    package init(message: String, validation: [(column: String, messages: [String])] = []) {
        self.message = message; self.validation = validation
    }

    package static let invalidData = "The given data was invalid."

    package static func == (a: RowErrors, b: RowErrors) -> Bool {
        a.message == b.message && a.validation.map(\.column) == b.validation.map(\.column)
            && a.validation.map(\.messages) == b.validation.map(\.messages)
    }

    /// One line for the failed-rows CSV: the validation messages, or the message.
    package var flatMessage: String {
        if validation.isEmpty { return message }
        return validation.flatMap { $0.messages }.joined(separator: " ")
    }
}
