import Tabular

/// The failed rows of a run as CSV or XLSX, for the fix-and-re-upload workflow.
///
/// Columns: the union of the rows' source headers in first-seen order, then `_error_message` and
/// `_row_number`. Rows are streamed twice from the database (once for the header union, once for
/// the rows), so memory does not grow with the number of failed rows.
///
/// The CSV is formula-safe (``CSVWriter/neutralize(_:)`` prefixes `'` to formula-like cells);
/// imported again, it is recognised by its last two columns and the prefixes are removed, so the
/// round trip is lossless. The XLSX holds every cell as an inline string, exactly as logged.
package enum FailedRowsExport {
    package static let errorColumn = "_error_message"
    package static let rowNumberColumn = "_row_number"

    /// The export formats.
    package enum Format: String, Sendable, CaseIterable {
        case csv, xlsx

        /// The `Content-Type` of a download.
        package var contentType: String {
            switch self {
            case .csv: "text/csv; charset=utf-8"
            case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        }
    }

    /// The one record sink of both formats.
    private struct RecordWriter {
        let write: ([String]) throws -> Void
        let finish: () throws -> Void
    }

    /// Writes the export through `sink`. Returns the number of rows written.
    @discardableResult
    package static func write(runID: Int64, store: RunStore, format: Format = .csv, sink: @escaping ([UInt8]) throws -> Void) throws -> Int {
        var header: [String] = []
        var seen: Set<String> = []
        try store.forEachFailedRow(of: runID) { row in
            for (key, _) in row.data where !seen.contains(key) && key != errorColumn && key != rowNumberColumn {
                seen.insert(key)
                header.append(key)
            }
        }
        let writer: RecordWriter
        switch format {
        case .csv:
            let csv = CSVWriter(sink: sink)
            writer = RecordWriter(write: csv.write, finish: {})
        case .xlsx:
            let xlsx = try XLSXWriter(sheetName: "Failed rows", sink: sink)
            writer = RecordWriter(write: xlsx.write, finish: xlsx.finish)
        }
        try writer.write(header + [errorColumn, rowNumberColumn])
        var count = 0
        try store.forEachFailedRow(of: runID) { row in
            var values: [String: String] = [:]
            for (key, value) in row.data { values[key] = value }
            let fields = header.map { values[$0] ?? "" } + [row.errors?.flatMessage ?? "", String(row.rowNumber)]
            try writer.write(fields)
            count += 1
        }
        try writer.finish()
        return count
    }
}
