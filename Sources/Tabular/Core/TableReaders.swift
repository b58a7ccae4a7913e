/// The entry point: picks and opens the reader for a file's format.
package enum TableReaders {
    /// Opens `path` with the reader for its format. `fileName` (the user's original name) drives
    /// extension detection when the path is a temp file; the content wins over it (see
    /// ``ContentSniffer``), with a note in the reader's `notes` when they disagree.
    package static func open(path: String, fileName: String? = nil, options: ReadOptions) throws(TabularError) -> any TableReader {
        if let chosen = options.format { return try open(path: path, format: chosen, options: options) }
        let detection = try detect(path: path, fileName: fileName)
        return noted(try open(path: path, format: detection.format, options: options), detection.note)
    }

    /// Opens the already opened `file` (see ``OpenedFile``) with the reader for its format: every
    /// byte read, format sniffing included, comes from that open file, never from a path.
    package static func open(file: OpenedFile, fileName: String?, options: ReadOptions) throws(TabularError) -> any TableReader {
        if let chosen = options.format { return try open(file: file, format: chosen, options: options) }
        let detection = try detect(file: file, fileName: fileName)
        return noted(try open(file: file, format: detection.format, options: options), detection.note)
    }

    private static func open(path: String, format: ReadOptions.Format, options: ReadOptions) throws(TabularError) -> any TableReader {
        switch format {
        case .csv, .tsv: return try CSVReader(path: path, format: format, options: options)
        case .json, .ndjson: return try JSONRowReader(path: path, format: format, options: options)
        case .xlsx: return try XLSXReader(path: path, options: options)
        }
    }

    private static func open(file: OpenedFile, format: ReadOptions.Format, options: ReadOptions) throws(TabularError) -> any TableReader {
        switch format {
        case .csv, .tsv: return try CSVReader(file: file, format: format, options: options)
        case .json, .ndjson: return try JSONRowReader(file: file, format: format, options: options)
        case .xlsx: return try XLSXReader(file: file, options: options)
        }
    }

    private static func noted(_ reader: any TableReader, _ note: String?) -> any TableReader {
        guard let note else { return reader }
        return NotedReader(base: reader, notes: [note])
    }

    /// The format of an already opened file, by content first (see ``ContentSniffer``).
    package static func detect(file: OpenedFile, fileName: String?) throws(TabularError) -> ContentSniffer.Detection {
        try ContentSniffer.detect(FileByteSource(file: file), fileName: fileName ?? file.path)
    }

    /// The format of `path`, by content first: a ZIP signature is XLSX whatever the name (when
    /// the archive holds a workbook), bytes no text file holds are refused (`.unsupportedFormat`),
    /// and text is CSV, TSV, JSON or NDJSON by its extension or, without one, its first bytes.
    package static func detect(path: String, fileName: String?) throws(TabularError) -> ContentSniffer.Detection {
        try ContentSniffer.detect(FileByteSource(path: path), fileName: fileName ?? path)
    }

    /// ``detect(file:fileName:)``'s format.
    package static func detectFormat(file: OpenedFile, fileName: String?) throws(TabularError) -> ReadOptions.Format {
        try detect(file: file, fileName: fileName).format
    }

    /// ``detect(path:fileName:)``'s format.
    package static func detectFormat(path: String, fileName: String?) throws(TabularError) -> ReadOptions.Format {
        try detect(path: path, fileName: fileName).format
    }

    /// The format a known extension names, or nil.
    static func formatFromExtension(_ fileName: String) -> ReadOptions.Format? {
        let name = fileName.lowercased()
        guard let dot = name.lastIndex(of: "."), !name[dot...].contains("/") else { return nil }
        switch name[name.index(after: dot)...] {
        case "csv": return .csv
        case "tsv", "tab": return .tsv
        case "xlsx", "xlsm": return .xlsx
        case "json": return .json
        case "ndjson", "jsonl": return .ndjson
        default: return nil
        }
    }

    /// OLE2 compound file signature: legacy .xls, or an .xlsx encrypted with a password.
    static let compoundFileMagic: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]

    /// The text format the first bytes of a text file suggest: `[` JSON, `{` JSON or (a second
    /// object on the next line) NDJSON, a TAB and no comma on the first line TSV, else CSV.
    static func sniffFormat(_ head: [UInt8]) -> ReadOptions.Format {
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return .xlsx }
        var bytes = head[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        let text = bytes.drop(while: isSpace)
        if text.first == UInt8(ascii: "[") { return .json }
        if text.first == UInt8(ascii: "{") {
            // NDJSON: the first line ends and the next non-blank line starts another object.
            if let newline = text.firstIndex(of: 0x0A) {
                let rest = text[(newline + 1)...].drop(while: isSpace)
                if rest.first == UInt8(ascii: "{") { return .ndjson }
            }
            return .json
        }
        let firstLine = bytes.prefix(while: { $0 != 0x0A && $0 != 0x0D })
        if firstLine.contains(0x09) && !firstLine.contains(UInt8(ascii: ",")) { return .tsv }
        return .csv
    }
}

/// A reader with notes about its file (its name said another format than its content), which a
/// run adds to its warnings.
final class NotedReader: TableReader {
    private let base: any TableReader
    let notes: [String]

    init(base: any TableReader, notes: [String]) {
        self.base = base
        self.notes = notes
    }

    func readHeader() throws(TabularError) -> [String]? { try base.readHeader() }
    func nextRow() throws(TabularError) -> TableRow? { try base.nextRow() }
    var bytesRead: Int64 { base.bytesRead }
    var totalBytes: Int64? { base.totalBytes }
    var detected: [String: String] { base.detected }
}
