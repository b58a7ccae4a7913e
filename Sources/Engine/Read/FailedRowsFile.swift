import Tabular

/// Ingest's own failed-rows CSV coming back for re-import (fix the cells, import the file
/// again): recognised by its last two columns, `_error_message` and `_row_number`, it is
/// accepted by an importer whatever its `formats`, and the `'` the export put before
/// formula-like cells is removed again, exactly where the export added it (see
/// ``CSVWriter/neutralize(_:)``), so `@handle` comes back as `@handle`.
enum FailedRowsFile {
    /// Whether `header` is that of a failed-rows export.
    static func isExport(header: [String]) -> Bool {
        header.count >= 2 && header[header.count - 2] == FailedRowsExport.errorColumn
            && header[header.count - 1] == FailedRowsExport.rowNumberColumn
    }

    /// `reader`, or a reader that restores the exported cells when `reader` reads a failed-rows
    /// CSV. Reads the header (readers return the same header again).
    static func restoring(_ reader: any TableReader) throws(TabularError) -> any TableReader {
        let format = reader.detected["format"]
        guard format == "csv" || format == "tsv", let header = try reader.readHeader(), isExport(header: header) else { return reader }
        return RestoringReader(base: reader, header: header.map(CSVWriter.restore))
    }
}

/// A failed-rows CSV read back: every cell (and header cell) as it was before the export
/// neutralised it.
final class RestoringReader: TableReader {
    private let base: any TableReader
    private let header: [String]

    init(base: any TableReader, header: [String]) {
        self.base = base
        self.header = header
    }

    func readHeader() throws(TabularError) -> [String]? { header }

    func nextRow() throws(TabularError) -> TableRow? {
        guard var row = try base.nextRow() else { return nil }
        row.cells = row.cells.map(CSVWriter.restore)
        return row
    }

    var bytesRead: Int64 { base.bytesRead }
    var totalBytes: Int64? { base.totalBytes }
    var detected: [String: String] {
        var d = base.detected
        d["failed_rows_file"] = "true"
        return d
    }
    var notes: [String] { base.notes }
}
