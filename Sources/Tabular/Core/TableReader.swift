/// A streaming source of rows of text cells, one reader per file.
///
/// Deliberately not `Sendable`: one thread owns a reader from open to end. Readers never hold
/// the whole file in memory; their footprint is bounded by `ReadLimits` and the read block size.
package protocol TableReader: AnyObject {
    /// The header cells (UTF-8 BOM removed); nil for an empty file (0 bytes or only blank lines).
    ///
    /// Calling it again returns the same header. `nextRow()` calls it implicitly if needed.
    func readHeader() throws(TabularError) -> [String]?
    /// The next data row, or nil at the end. Blank lines (a record that is one empty field) are skipped.
    ///
    /// After an error has been thrown, rows read before the faulty place have all been returned;
    /// further calls throw the same error again.
    func nextRow() throws(TabularError) -> TableRow?
    /// Bytes of the underlying file consumed so far (for progress / ETA).
    var bytesRead: Int64 { get }
    /// File size in bytes when known.
    var totalBytes: Int64? { get }
    /// What the reader detected, for the run summary: e.g. ["format": "csv", "delimiter": ",", "encoding": "utf-8"].
    var detected: [String: String] { get }
    /// Remarks about the whole file for the run's warnings, e.g. that its name said CSV but its
    /// content is a workbook. Empty by default.
    var notes: [String] { get }
}

extension TableReader {
    /// No remarks.
    package var notes: [String] { [] }
}
