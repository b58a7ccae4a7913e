/// Why a file could not be read as a table.
///
/// Every malformed input ends in one of these, never in a crash. The message is meant for the
/// person who uploaded the file: it names the place (byte offset and/or line, sheet cell, JSON
/// pointer) where the reader gave up, and never echoes more than a few bytes of the data.
package struct TabularError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, coarse enough to map to a status or an exit code.
    package enum Kind: String, Sendable, Equatable, CaseIterable {
        /// The file could not be opened or read (missing, permissions, I/O error).
        case io
        /// The file's bytes are not valid in the declared or detected text encoding.
        case invalidEncoding
        /// The CSV/TSV text breaks a rule the reader cannot recover from (unterminated quote).
        case malformedCSV
        /// The JSON text is not valid JSON, or the value at `jsonPointer` is not an array of objects.
        case malformedJSON
        /// The XLSX (ZIP + XML) container or one of its parts is damaged or not a workbook.
        case malformedXLSX
        /// A configured cap (`ReadLimits`) was exceeded: field size, cells per row, zip bomb defences…
        case limitExceeded
        /// The JSON/NDJSON objects have more distinct keys than `ReadLimits.maxJSONHeaderKeys`.
        case tooManyColumns
        /// The requested sheet does not exist in the workbook.
        case sheetNotFound
        /// The format could not be determined or is not supported.
        case unsupportedFormat
        /// The reader was used in a way the protocol does not allow.
        case invalidState
    }

    /// What went wrong.
    package var kind: Kind
    /// A human sentence without location; `description` adds the location.
    package var message: String
    /// Offset in bytes from the start of the file (or of the decompressed XML part for XLSX).
    package var byteOffset: Int64?
    /// 1-based physical line where the problem was found, when the format has lines.
    package var line: Int?
    /// 1-based column (in characters) on `line`; set for JSON syntax errors.
    package var column: Int?

    /// Creates an error; pass the location you know.
    package init(_ kind: Kind, _ message: String, byteOffset: Int64? = nil, line: Int? = nil) {
        self.kind = kind
        self.message = message
        self.byteOffset = byteOffset
        self.line = line
    }

    /// The message with its location, e.g. "invalid UTF-8 at byte 1234 (line 17)".
    package var description: String {
        if kind == .malformedJSON, let line, let column { return "invalid JSON at \(line):\(column): \(message)" }
        switch (byteOffset, line) {
        case let (offset?, line?): return "\(message) at byte \(offset) (line \(line))"
        case let (offset?, nil): return "\(message) at byte \(offset)"
        case let (nil, line?): return "\(message) (line \(line))"
        case (nil, nil): return message
        }
    }
}
