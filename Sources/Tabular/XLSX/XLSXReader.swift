/// Reads one worksheet of an XLSX workbook as rows, streaming the sheet XML.
///
/// - Memory is bounded by the shared-strings table (`maxSharedStringsBytes`) and one row,
///   not by the sheet size: the sheet part is inflated and parsed chunk by chunk.
/// - Cells: shared and inline strings as text (leading zeros kept), numbers exactly as written
///   in the XML, booleans as `true`/`false`, formulas as their cached value, error values
///   (`#N/A`, `#DIV/0!`…) as empty with a warning, date-formatted numbers as ISO 8601
///   (`2024-03-01`, `2024-03-01T10:30:00`, or `10:30:00` for a time-only format), in the
///   workbook's 1900 or 1904 date system.
/// - Rows: `recordNumber` is the sheet's row number. Rows without any non-empty cell are
///   skipped, like blank CSV lines. Gaps between sparse cells are empty cells. Data rows are
///   padded with empty cells to the header's width, and trailing empty cells beyond it dropped,
///   so only a row with real values past the header's last column is ragged.
/// - Defences: `maxZipEntries`, `maxUncompressedBytes`, `maxCompressionRatio`, `maxCells`,
///   `maxCellsPerRow`, `maxFieldBytes`; nothing from the archive is written to disk.
/// - `bytesRead` is the file size scaled by the share of the sheet's compressed data consumed.
package final class XLSXReader: TableReader {
    private let file: FileByteSource
    private let workbook: XLSXWorkbook
    private var sheetReader: SheetRowReader
    private let sheetStream: ZipEntryReader
    private let options: ReadOptions
    private var header: [String]?
    private var headerDone = false
    private var pendingError: TabularError?

    /// What was detected: format, sheet name, date system.
    package private(set) var detected: [String: String]

    /// The worksheet names in workbook order.
    package var sheetNames: [String] { workbook.sheets.map(\.name) }

    /// File bytes consumed, estimated from the sheet's compressed bytes consumed.
    package var bytesRead: Int64 {
        let total = file.totalBytes ?? 0
        let compressed = max(sheetStream.entry.compressedSize, 1)
        return min(total, total * sheetStream.compressedRead / compressed)
    }

    /// File size in bytes.
    package var totalBytes: Int64? { file.totalBytes }

    /// Opens the workbook at `path` and the sheet chosen by `options.sheet` (default: the first).
    package convenience init(path: String, options: ReadOptions) throws(TabularError) {
        try self.init(source: FileByteSource(path: path, blockBytes: 16), options: options)
    }

    /// Reads the already opened `file` (see ``OpenedFile``).
    package convenience init(file: OpenedFile, options: ReadOptions) throws(TabularError) {
        try self.init(source: FileByteSource(file: file, blockBytes: 16), options: options)
    }

    private init(source: FileByteSource, options: ReadOptions) throws(TabularError) {
        file = source
        self.options = options
        let archive = try ZipArchive(file: file, limits: options.limits)
        workbook = try XLSXWorkbook(archive: archive, limits: options.limits)
        let sheet = try Self.choose(options.sheet, in: workbook.sheets)
        guard let entry = workbook.entry(sheet.path) else {
            throw TabularError(.malformedXLSX, "sheet \"\(sheet.name)\" has no part \(sheet.path) in the archive")
        }
        let (parser, stream) = try workbook.parser(for: entry)
        sheetStream = stream
        sheetReader = SheetRowReader(parser: parser, workbook: workbook, limits: options.limits)
        detected = [
            "format": "xlsx",
            "sheet": sheet.name,
            "dateSystem": workbook.dateSystem == .from1904 ? "1904" : "1900",
        ]
    }

    static func choose(_ choice: ReadOptions.Sheet?, in sheets: [XLSXWorkbook.Sheet]) throws(TabularError) -> XLSXWorkbook.Sheet {
        let names = sheets.map { "\"\($0.name)\"" }.joined(separator: ", ")
        switch choice {
        case nil:
            if let first = sheets.first { return first }
        case .name(let name)?:
            if let exact = sheets.first(where: { $0.name == name }) { return exact }
            if let loose = sheets.first(where: { $0.name.lowercased() == name.lowercased() }) { return loose }
            throw TabularError(.sheetNotFound, "no sheet named \"\(name)\"; the workbook has \(names)")
        case .index(let index)?:
            if index >= 1 && index <= sheets.count { return sheets[index - 1] }
            throw TabularError(.sheetNotFound, "no sheet number \(index); the workbook has \(sheets.count) sheet(s): \(names)")
        }
        throw TabularError(.malformedXLSX, "the workbook has no worksheets")
    }

    /// The first non-blank row at or after `headerRow`, trailing empty cells removed; nil for an empty sheet.
    package func readHeader() throws(TabularError) -> [String]? {
        if headerDone { return header }
        headerDone = true
        while let row = try nextNonBlank() {
            if row.number < options.headerRow { continue }
            var cells = row.cells
            while cells.last?.isEmpty == true { cells.removeLast() }
            header = cells
            break
        }
        return header
    }

    /// The next non-blank row, padded to the header's width; `recordNumber` is the sheet row number.
    package func nextRow() throws(TabularError) -> TableRow? {
        if !headerDone { _ = try readHeader() }
        guard let row = try nextNonBlank() else { return nil }
        var cells = row.cells
        let width = header?.count ?? 0
        while cells.count > width, cells.last?.isEmpty == true { cells.removeLast() }
        if cells.count < width { cells.append(contentsOf: repeatElement("", count: width - cells.count)) }
        return TableRow(cells: cells, recordNumber: row.number, warnings: row.warnings)
    }

    private func nextNonBlank() throws(TabularError) -> SheetRowReader.Row? {
        if let pendingError { throw pendingError }
        do throws(TabularError) {
            while let row = try sheetReader.nextRow() {
                if row.cells.contains(where: { !$0.isEmpty }) || !row.warnings.isEmpty { return row }
            }
            return nil
        } catch {
            pendingError = error
            throw error
        }
    }
}
