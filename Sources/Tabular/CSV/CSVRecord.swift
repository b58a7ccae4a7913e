/// One CSV record as produced by `CSVParser`: its cells and the physical line it started on.
package struct CSVRecord: Sendable, Equatable {
    /// The record's fields, unquoted and unescaped.
    package var cells: [String]
    /// 1-based physical line on which the record starts (differs from the record index when
    /// quoted fields contain line breaks).
    package var line: Int

    /// Creates a record.
    package init(cells: [String], line: Int) {
        self.cells = cells
        self.line = line
    }

    /// True for a blank line: a record that is one empty field.
    package var isBlank: Bool {
        cells.count == 1 && cells[0].isEmpty
    }
}
