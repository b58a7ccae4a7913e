/// Reads CSV/TSV files as a stream of rows: file blocks → `TextDecoder` → `CSVParser`.
///
/// Memory is constant in the file size: one 64 KiB read block, the records of that block, and
/// the current field. The encoding and (unless set) the delimiter are detected from the first
/// block, before any row is returned.
package final class CSVReader: TableReader {
    private let source: FileByteSource
    private let options: ReadOptions
    private var decoder: TextDecoder
    private var parser: CSVParser
    private var queue: [CSVRecord] = []
    private var head = 0
    private var finished = false
    private var pendingError: TabularError?
    private var recordIndex = 0
    private var header: [String]?
    private var headerDone = false
    private let format: ReadOptions.Format

    /// What was detected: format, delimiter, encoding.
    package private(set) var detected: [String: String] = [:]

    /// Bytes of the file consumed so far.
    package var bytesRead: Int64 { source.bytesRead }
    /// File size in bytes when known.
    package var totalBytes: Int64? { source.totalBytes }

    /// Opens `path` as delimited text; `format` is `.csv` or `.tsv` (TSV defaults the delimiter to TAB).
    package convenience init(path: String, format: ReadOptions.Format = .csv, options: ReadOptions) throws(TabularError) {
        try self.init(source: FileByteSource(path: path), format: format, options: options)
    }

    /// Reads the already opened `file` (see ``OpenedFile``).
    package convenience init(file: OpenedFile, format: ReadOptions.Format = .csv, options: ReadOptions) throws(TabularError) {
        try self.init(source: FileByteSource(file: file), format: format, options: options)
    }

    init(source: FileByteSource, format: ReadOptions.Format, options: ReadOptions) throws(TabularError) {
        self.source = source
        self.options = options
        self.format = format
        guard options.quote < 0x80, options.delimiter.map({ $0 < 0x80 && $0 != options.quote && $0 != 0x0A && $0 != 0x0D }) ?? true else {
            throw TabularError(.invalidState, "delimiter and quote must be distinct ASCII bytes other than CR and LF")
        }

        let first = try source.readBlock()
        let (mode, bomLength) = Self.detectEncoding(first, declared: options.encoding)
        if case .utf16 = mode {} else if let zero = first.firstIndex(of: 0) {
            // NUL is no character of a text file in these encodings: most likely UTF-16 declared
            // as something else. Refused rather than imported as text full of NULs.
            throw TabularError(.invalidEncoding, "the file has a NUL byte, which no \(options.encoding?.rawValue ?? "UTF-8 or Windows-1252") text has; "
                               + "if it is UTF-16, set source.csv.encoding to utf-16 or save it as UTF-8", byteOffset: Int64(zero))
        }
        decoder = TextDecoder(mode: mode, startOffset: Int64(bomLength))

        // Decode the first block into a buffer so the delimiter can be sniffed from real text.
        var prefix: [UInt8] = []
        var firstError: TabularError?
        let body = UnsafeBufferPointer(rebasing: first[min(bomLength, first.count)...])
        do throws(TabularError) {
            try decoder.decode(body) { (piece: UnsafeBufferPointer<UInt8>) throws(TabularError) in
                prefix.append(contentsOf: piece)
            }
            if first.isEmpty { try decoder.finish { (piece: UnsafeBufferPointer<UInt8>) throws(TabularError) in prefix.append(contentsOf: piece) } }
        } catch {
            firstError = error
        }
        let delimiter: UInt8
        if let chosen = options.delimiter {
            delimiter = chosen
        } else if format == .tsv {
            delimiter = 0x09
        } else {
            delimiter = prefix.withUnsafeBufferPointer {
                DelimiterSniffer.sniff($0, quote: options.quote, complete: first.isEmpty || first.count < FileByteSource.defaultBlockBytes)
            }
        }
        parser = CSVParser(delimiter: delimiter, quote: options.quote,
                           maxFieldBytes: options.limits.maxFieldBytes, maxCellsPerRow: options.limits.maxCellsPerRow)
        detected = [
            "format": format.rawValue,
            "delimiter": Self.describe(delimiter),
            "encoding": decoder.encoding.rawValue,
        ]
        if first.isEmpty { finished = true }
        do throws(TabularError) {
            try parser.feed(prefix, into: &queue)
            if let firstError { throw firstError }
            if finished { try parser.finish(into: &queue) }
        } catch {
            pendingError = locate(error)
        }
    }

    /// The header record: the first non-blank record at or after `headerRow`; nil for an empty file.
    package func readHeader() throws(TabularError) -> [String]? {
        if headerDone { return header }
        while let record = try nextRecord() {
            if recordIndex < options.headerRow || record.isBlank { continue }
            header = record.cells
            break
        }
        headerDone = true
        return header
    }

    /// The next non-blank record after the header; `recordNumber` counts every record, blank ones included.
    package func nextRow() throws(TabularError) -> TableRow? {
        if !headerDone { _ = try readHeader() }
        while let record = try nextRecord() {
            if record.isBlank { continue }
            return TableRow(cells: record.cells, recordNumber: recordIndex)
        }
        return nil
    }

    private func nextRecord() throws(TabularError) -> CSVRecord? {
        while head == queue.count {
            queue.removeAll(keepingCapacity: true)
            head = 0
            if let pendingError { throw pendingError }
            if finished { return nil }
            fill()
        }
        let record = queue[head]
        head += 1
        recordIndex += 1
        return record
    }

    private func fill() {
        do throws(TabularError) {
            let block = try source.readBlock()
            if block.isEmpty {
                finished = true
                try decoder.finish { (piece: UnsafeBufferPointer<UInt8>) throws(TabularError) in try self.parser.feed(piece, into: &self.queue) }
                try parser.finish(into: &queue)
            } else {
                try decoder.decode(block) { (piece: UnsafeBufferPointer<UInt8>) throws(TabularError) in try self.parser.feed(piece, into: &self.queue) }
            }
        } catch {
            finished = true
            pendingError = locate(error)
        }
        if detected["encoding"] != decoder.encoding.rawValue {
            detected["encoding"] = decoder.encoding.rawValue
        }
    }

    /// Adds the line number to encoding errors (the decoder only knows byte offsets).
    private func locate(_ error: TabularError) -> TabularError {
        var error = error
        if error.kind == .invalidEncoding, error.line == nil, let offset = error.byteOffset, decoder.encoding != .utf16 {
            error.line = source.lineNumber(ofByteAt: offset)
        }
        return error
    }

    /// BOM first; then the declared encoding; then UTF-8 with a Windows-1252 fallback.
    static func detectEncoding(_ first: UnsafeBufferPointer<UInt8>, declared: ReadOptions.Encoding?) -> (TextDecoder.Mode, Int) {
        let b = Array(first.prefix(3))
        let utf8BOM = b.count >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF
        let utf16LE = b.count >= 2 && b[0] == 0xFF && b[1] == 0xFE
        let utf16BE = b.count >= 2 && b[0] == 0xFE && b[1] == 0xFF
        switch declared {
        case nil:
            if utf8BOM { return (.utf8(autoFallback: false), 3) }
            if utf16LE { return (.utf16(bigEndian: false), 2) }
            if utf16BE { return (.utf16(bigEndian: true), 2) }
            // UTF-16 without a BOM shows as a zero in every other byte: read as UTF-16, never
            // as text full of NUL characters.
            if let bigEndian = ContentSniffer.utf16ByteOrder(first) { return (.utf16(bigEndian: bigEndian), 0) }
            return (.utf8(autoFallback: true), 0)
        case .utf8?:
            return (.utf8(autoFallback: false), utf8BOM ? 3 : 0)
        case .utf16?:
            if utf16LE { return (.utf16(bigEndian: false), 2) }
            if utf16BE { return (.utf16(bigEndian: true), 2) }
            // No BOM: ASCII text in big-endian has the zero byte first.
            let bigEndian = b.count >= 2 && b[0] == 0 && b[1] != 0
            return (.utf16(bigEndian: bigEndian), 0)
        case .windows1252?:
            return (.singleByte(windows1252: true), 0)
        case .iso88591?:
            return (.singleByte(windows1252: false), 0)
        }
    }

    static func describe(_ delimiter: UInt8) -> String {
        delimiter == 0x09 ? "tab" : String(decoding: [delimiter], as: UTF8.self)
    }
}
