/// The entry point: picks and opens the reader for a file's format.
package enum TableReaders {
    /// Opens `path` with the reader for its format. `fileName` (the user's original name) drives extension detection when the path is a temp file.
    package static func open(path: String, fileName: String? = nil, options: ReadOptions) throws(TabularError) -> any TableReader {
        let format: ReadOptions.Format
        if let chosen = options.format {
            format = chosen
        } else {
            format = try detectFormat(path: path, fileName: fileName)
        }
        switch format {
        case .csv, .tsv:
            return try CSVReader(path: path, format: format, options: options)
        case .json, .ndjson:
            return try JSONRowReader(path: path, format: format, options: options)
        case .xlsx:
            return try XLSXReader(path: path, options: options)
        }
    }

    /// Opens the already opened `file` (see ``OpenedFile``) with the reader for its format: every
    /// byte read, format sniffing included, comes from that open file, never from a path.
    package static func open(file: OpenedFile, fileName: String?, options: ReadOptions) throws(TabularError) -> any TableReader {
        let format: ReadOptions.Format
        if let chosen = options.format {
            format = chosen
        } else {
            format = try detectFormat(file: file, fileName: fileName)
        }
        switch format {
        case .csv, .tsv:
            return try CSVReader(file: file, format: format, options: options)
        case .json, .ndjson:
            return try JSONRowReader(file: file, format: format, options: options)
        case .xlsx:
            return try XLSXReader(file: file, options: options)
        }
    }

    /// ``detectFormat(path:fileName:)`` for an already opened file.
    package static func detectFormat(file: OpenedFile, fileName: String?) throws(TabularError) -> ReadOptions.Format {
        if let known = formatFromExtension(fileName ?? file.path) { return known }
        return try sniffFormat(reading: FileByteSource(file: file))
    }

    /// Detects the format from extension and content (ZIP magic → xlsx, `[`/`{` → json/ndjson, else csv/tsv).
    ///
    /// A known extension (`.csv`, `.tsv`/`.tab`, `.xlsx`/`.xlsm`, `.json`, `.ndjson`/`.jsonl`)
    /// wins; otherwise the first 4 KiB decide. `{` followed by a second line that also starts
    /// with `{` is NDJSON; a TAB and no comma on the first line is TSV.
    package static func detectFormat(path: String, fileName: String?) throws(TabularError) -> ReadOptions.Format {
        if let known = formatFromExtension(fileName ?? path) { return known }
        return try sniffFormat(reading: FileByteSource(path: path))
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

    /// The format the first 4 KiB of `source` suggest (a legacy workbook is an error).
    static func sniffFormat(reading source: FileByteSource) throws(TabularError) -> ReadOptions.Format {
        let head = try source.read(at: 0, count: 4096)
        if head.starts(with: compoundFileMagic) {
            throw TabularError(.unsupportedFormat, "this is a legacy .xls workbook or an encrypted .xlsx; save it as .xlsx (without a password) or CSV")
        }
        return sniffFormat(head)
    }

    /// OLE2 compound file signature: legacy .xls, or an .xlsx encrypted with a password.
    static let compoundFileMagic: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]

    /// Content sniffing over the first bytes of a file.
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
