/// Reads a JSON array of objects (or NDJSON, one object per line) as rows, streaming.
///
/// - The table is the top-level array, or the array at `ReadOptions.jsonPointer` (RFC 6901).
///   Text after that array is not read when a pointer is used.
/// - Nested objects are flattened to dotted keys (`address.city`); an empty nested object
///   gives its key with an empty value. Arrays become their compact JSON text (`["a","b"]`).
///   Numbers keep their written text; `true`/`false` stay words; `null` is empty.
/// - Header: a stream cannot know every key up front, so the header is the union of the keys of
///   the first `ReadLimits.jsonHeaderSampleObjects` objects (default 1000, held in memory, and
///   fewer when they pass `jsonHeaderSampleBytes`), in first-seen order. A later object's unknown
///   key is ignored with a warning on its row; missing keys are empty cells, so every row has as
///   many cells as the header.
/// - With `ReadOptions.keySelection` (what an import passes: the keys its definition maps), only
///   the selected keys are kept, in the sample, the header and every row; the rest are parsed and
///   dropped. Memory is then linear in one row's selected values, whatever the objects hold.
/// - A header of more than `ReadLimits.maxJSONHeaderKeys` keys is refused (`.tooManyColumns`):
///   each row is padded to the header, so it bounds every row's width.
/// - `recordNumber` is the object's 1-based position + 1 (first object = 2, as if the header
///   were record 1).
/// - Bad JSON is a `.malformedJSON` error with byte offset, line and column ("invalid JSON at
///   3:14: …"), thrown after the rows before it have been returned. A document of the wrong
///   shape (no array of objects where `source.json.pointer` says) is one without a position.
package final class JSONRowReader: TableReader {
    private typealias Pairs = [(key: String, value: String)]

    private let source: FileByteSource
    private var parser: JSONTableParser
    private let options: ReadOptions
    private var buffered: [(pairs: Pairs, number: Int)] = []
    private var bufferedHead = 0
    private var header: [String]?
    private var headerDone = false
    private var columnIndex: [String: Int] = [:]
    /// The keys of the last object by position, with their header column (see ``column(of:at:)``).
    private var keysByPosition: [(key: String, column: Int?)] = []
    private var pendingError: TabularError?
    /// Objects the header was learnt from.
    private var sampledObjects = 0

    /// What was detected, for the run summary.
    package private(set) var detected: [String: String]
    /// Bytes of the file consumed so far.
    package var bytesRead: Int64 { source.bytesRead }
    /// File size in bytes when known.
    package var totalBytes: Int64? { source.totalBytes }

    /// Opens `path`; `format` is `.json` (array of objects) or `.ndjson` (one object per line).
    package convenience init(path: String, format: ReadOptions.Format = .json, options: ReadOptions) throws(TabularError) {
        try self.init(path: path, format: format, options: options, blockBytes: FileByteSource.defaultBlockBytes)
    }

    /// `blockBytes` lets tests read in tiny blocks to prove block boundaries don't matter.
    convenience init(path: String, format: ReadOptions.Format, options: ReadOptions, blockBytes: Int) throws(TabularError) {
        try self.init(source: FileByteSource(path: path, blockBytes: blockBytes), format: format, options: options)
    }

    /// Reads the already opened `file` (see ``OpenedFile``).
    package convenience init(file: OpenedFile, format: ReadOptions.Format = .json, options: ReadOptions) throws(TabularError) {
        try self.init(source: FileByteSource(file: file), format: format, options: options)
    }

    private init(source: FileByteSource, format: ReadOptions.Format, options: ReadOptions) throws(TabularError) {
        self.source = source
        self.options = options
        let pointer = try options.jsonPointer.map { (text: String) throws(TabularError) in try DocumentPointer(text) }
        parser = JSONTableParser(source: source, format: format, options: options, pointer: pointer)
        detected = ["format": format.rawValue, "encoding": "utf-8"]
        if let pointer = options.jsonPointer { detected["jsonPointer"] = pointer }
    }

    /// The union of the keys of the first `jsonHeaderSampleObjects` objects, in first-seen order;
    /// nil for an empty document or an empty array.
    package func readHeader() throws(TabularError) -> [String]? {
        if headerDone { return header }
        headerDone = true
        let sample = max(options.limits.jsonHeaderSampleObjects, 1)
        let maxKeys = options.limits.maxJSONHeaderKeys
        var names: [String] = []
        var sampledBytes = 0
        do throws(TabularError) {
            while buffered.count < sample, sampledBytes <= options.limits.jsonHeaderSampleBytes, let pairs = try parser.nextObject() {
                buffered.append((pairs, parser.objectCount + 1))
                for (key, value) in pairs {
                    sampledBytes += key.utf8.count + value.utf8.count
                    guard columnIndex[key] == nil else { continue }
                    guard names.count < maxKeys else {
                        throw TabularError(.tooManyColumns, "the first \(buffered.count) objects have more than \(maxKeys) distinct keys (maxJSONHeaderKeys)")
                    }
                    columnIndex[key] = names.count
                    names.append(key)
                }
            }
        } catch where error.kind == .tooManyColumns {
            buffered = []
            pendingError = error
            throw error
        } catch {
            pendingError = locate(error)
        }
        if buffered.isEmpty {
            if let pendingError { throw pendingError }
            return nil
        }
        // Raw-JSON keys (nested arrays) are columns even when no sampled object had them.
        for key in options.rawJSONKeys.sorted() where columnIndex[key] == nil {
            columnIndex[key] = names.count
            names.append(key)
        }
        header = names
        detected["headerSampleObjects"] = String(buffered.count)
        sampledObjects = buffered.count
        return header
    }

    /// The next object as a row with one cell per header column (missing keys empty).
    package func nextRow() throws(TabularError) -> TableRow? {
        if !headerDone { _ = try readHeader() }
        if bufferedHead < buffered.count {
            let (pairs, number) = buffered[bufferedHead]
            bufferedHead += 1
            if bufferedHead == buffered.count {
                buffered = []
                bufferedHead = 0
            }
            return row(pairs, number: number)
        }
        if let pendingError { throw pendingError }
        do throws(TabularError) {
            guard let pairs = try parser.nextObject() else { return nil }
            return row(pairs, number: parser.objectCount + 1)
        } catch {
            pendingError = locate(error)
            throw pendingError ?? error
        }
    }

    private func row(_ pairs: Pairs, number: Int) -> TableRow {
        var cells = [String](repeating: "", count: header?.count ?? 0)
        var warnings: [String] = []
        for (position, (key, value)) in pairs.enumerated() {
            if let index = column(of: key, at: position) {
                cells[index] = value
            } else {
                let sample = sampledObjects == 1 ? "the first object" : "the first \(sampledObjects) objects"
                warnings.append("unknown key \"\(key)\" ignored: not among the keys of \(sample)")
            }
        }
        return TableRow(cells: cells, recordNumber: number, warnings: warnings)
    }

    /// The header column of `key`, the `position`-th key of its object. Objects of one feed
    /// mostly list the same keys in the same order, so the previous object's key at the same
    /// position is compared first (equal small strings compare in one step), and the header's
    /// index is hashed only when it differs.
    private func column(of key: String, at position: Int) -> Int? {
        if position < keysByPosition.count, keysByPosition[position].key == key { return keysByPosition[position].column }
        let column = columnIndex[key]
        if position < keysByPosition.count {
            keysByPosition[position] = (key, column)
        } else if position == keysByPosition.count, position < 1024 {
            keysByPosition.append((key, column))
        }
        return column
    }

    private func locate(_ error: TabularError) -> TabularError {
        var error = error
        if error.line == nil, let offset = error.byteOffset, let at = source.position(ofByteAt: offset) {
            error.line = at.line
            if error.kind == .malformedJSON { error.column = at.column }
        }
        return error
    }
}
