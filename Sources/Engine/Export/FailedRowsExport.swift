/// The failed rows of a run as CSV, for the fix-and-re-upload workflow.
///
/// Columns: the union of the rows' source headers in first-seen order, then `_error_message` and
/// `_row_number`. Rows are streamed twice from the database (once for the header union, once for
/// the rows), so memory does not grow with the number of failed rows.
package enum FailedRowsExport {
    package static let errorColumn = "_error_message"
    package static let rowNumberColumn = "_row_number"

    /// Writes the CSV through `sink`. Returns the number of rows written.
    @discardableResult
    package static func write(runID: Int64, store: RunStore, sink: @escaping ([UInt8]) throws -> Void) throws -> Int {
        var header: [String] = []
        var seen: Set<String> = []
        try store.forEachFailedRow(of: runID) { row in
            for (key, _) in row.data where !seen.contains(key) && key != errorColumn && key != rowNumberColumn {
                seen.insert(key)
                header.append(key)
            }
        }
        let writer = CSVWriter(sink: sink)
        try writer.write(header + [errorColumn, rowNumberColumn])
        var count = 0
        try store.forEachFailedRow(of: runID) { row in
            var values: [String: String] = [:]
            for (key, value) in row.data { values[key] = value }
            let fields = header.map { values[$0] ?? "" } + [row.errors?.flatMessage ?? "", String(row.rowNumber)]
            try writer.write(fields)
            count += 1
        }
        return count
    }
}
