/// One data row as read from the file, before any typing or validation.
package struct TableRow: Sendable, Equatable {
    /// As many cells as the record has: ragged rows are not an error here (the engine reports them).
    package var cells: [String]
    /// 1-based record index in the file with the header counted, so the first data row under a
    /// header on record 1 is 2, like a spreadsheet row. For XLSX it is the sheet's row number;
    /// for JSON/NDJSON it is the object's position + 1.
    package var recordNumber: Int
    /// Non-fatal remarks about this row, e.g. "C7: #N/A error value read as empty".
    package var warnings: [String]

    /// Creates a row.
    package init(cells: [String], recordNumber: Int, warnings: [String] = []) {
        self.cells = cells
        self.recordNumber = recordNumber
        self.warnings = warnings
    }
}
