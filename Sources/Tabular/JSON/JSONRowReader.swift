/// Reads a JSON array of objects (or NDJSON, one object per line) as rows, streaming.
///
/// - The table is the top-level array, or the array at `ReadOptions.jsonPointer` (RFC 6901).
///   Text after that array is not read when a pointer is used.
/// - Nested objects are flattened to dotted keys (`address.city`); an empty nested object
///   gives its key with an empty value. Arrays become their compact JSON text (`["a","b"]`).
///   Numbers keep their written text; `true`/`false` stay words; `null` is empty.
/// - Header: a stream cannot know every key up front, so the header is the union of the keys of
///   the first `ReadLimits.jsonHeaderSampleObjects` objects (default 1000, held in memory), in
///   first-seen order. A later object's unknown key is ignored with a warning on its row;
///   missing keys are empty cells, so every row has as many cells as the header.
/// - `recordNumber` is the object's 1-based position + 1 (first object = 2, as if the header
///   were record 1).
/// - Bad JSON is a `.malformedJSON` error with byte offset and line, thrown after the rows
///   before it have been returned.
public final class JSONRowReader: TableReader {
    private typealias Pairs = [(key: String, value: String)]

    private let source: FileByteSource
    private let tokenizer: JSONTokenizer
    private let format: ReadOptions.Format
    private let options: ReadOptions
    private let pointer: JSONPointer?
    private var navigated = false
    private var firstElement = true
    private var finished = false
    private var objectCount = 0
    private var buffered: [(pairs: Pairs, number: Int)] = []
    private var bufferedHead = 0
    private var header: [String]?
    private var headerDone = false
    private var columnIndex: [String: Int] = [:]
    private var pendingError: TabularError?
    private var text: [UInt8] = []

    /// What was detected, for the run summary.
    public private(set) var detected: [String: String]
    /// Bytes of the file consumed so far.
    public var bytesRead: Int64 { source.bytesRead }
    /// File size in bytes when known.
    public var totalBytes: Int64? { source.totalBytes }

    /// Opens `path`; `format` is `.json` (array of objects) or `.ndjson` (one object per line).
    public convenience init(path: String, format: ReadOptions.Format = .json, options: ReadOptions) throws(TabularError) {
        try self.init(path: path, format: format, options: options, blockBytes: FileByteSource.defaultBlockBytes)
    }

    /// `blockBytes` lets tests read in tiny blocks to prove block boundaries don't matter.
    init(path: String, format: ReadOptions.Format, options: ReadOptions, blockBytes: Int) throws(TabularError) {
        source = try FileByteSource(path: path, blockBytes: blockBytes)
        tokenizer = JSONTokenizer(cursor: ByteCursor(source: source), maxValueBytes: options.limits.maxFieldBytes)
        self.format = format
        self.options = options
        pointer = try options.jsonPointer.map { (text: String) throws(TabularError) in try JSONPointer(text) }
        detected = ["format": format.rawValue, "encoding": "utf-8"]
        if let pointer = options.jsonPointer { detected["jsonPointer"] = pointer }
    }

    public func readHeader() throws(TabularError) -> [String]? {
        if headerDone { return header }
        headerDone = true
        let sample = max(options.limits.jsonHeaderSampleObjects, 1)
        do throws(TabularError) {
            while buffered.count < sample, let pairs = try nextObject() {
                buffered.append((pairs, objectCount + 1))
            }
        } catch {
            pendingError = locate(error)
        }
        if buffered.isEmpty {
            if let pendingError { throw pendingError }
            return nil
        }
        var names: [String] = []
        for (pairs, _) in buffered {
            for (key, _) in pairs where columnIndex[key] == nil {
                columnIndex[key] = names.count
                names.append(key)
            }
        }
        header = names
        detected["headerSampleObjects"] = String(buffered.count)
        return header
    }

    public func nextRow() throws(TabularError) -> TableRow? {
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
            guard let pairs = try nextObject() else { return nil }
            return row(pairs, number: objectCount + 1)
        } catch {
            pendingError = locate(error)
            throw pendingError ?? error
        }
    }

    private func row(_ pairs: Pairs, number: Int) -> TableRow {
        var cells = [String](repeating: "", count: header?.count ?? 0)
        var warnings: [String] = []
        for (key, value) in pairs {
            if let index = columnIndex[key] {
                cells[index] = value
            } else {
                warnings.append("unknown key \"\(key)\" ignored: not among the keys of the first \(max(options.limits.jsonHeaderSampleObjects, 1)) objects")
            }
        }
        return TableRow(cells: cells, recordNumber: number, warnings: warnings)
    }

    private func locate(_ error: TabularError) -> TabularError {
        var error = error
        if error.line == nil, let offset = error.byteOffset {
            error.line = source.lineNumber(ofByteAt: offset)
        }
        return error
    }

    // MARK: structure

    /// The next object of the table, flattened; nil after the last.
    private func nextObject() throws(TabularError) -> Pairs? {
        if finished { return nil }
        if !navigated {
            navigated = true
            try skipBOM()
            if format == .json {
                guard try tokenizer.peekSignificant() != nil else {
                    finished = true
                    return nil
                }
                try navigate()
            }
        }
        let cursor = tokenizer.cursor
        if format == .ndjson {
            guard let b = try tokenizer.peekSignificant() else {
                finished = true
                return nil
            }
            guard b == UInt8(ascii: "{") else {
                throw tokenizer.error("expected an object on each NDJSON line, found \(JSONTokenizer.describe(b))")
            }
        } else {
            guard let b = try tokenizer.peekSignificant() else { throw tokenizer.error("unexpected end of JSON inside the array") }
            if b == UInt8(ascii: "]") {
                cursor.advance()
                finished = true
                if pointer == nil || pointer?.tokens.isEmpty == true, let extra = try tokenizer.peekSignificant() {
                    throw tokenizer.error("unexpected \(JSONTokenizer.describe(extra)) after the top-level array")
                }
                return nil
            }
            if !firstElement {
                guard b == UInt8(ascii: ",") else { throw tokenizer.error("expected ',' or ']' in the array, found \(JSONTokenizer.describe(b))") }
                cursor.advance()
                guard let next = try tokenizer.peekSignificant() else { throw tokenizer.error("unexpected end of JSON inside the array") }
                guard next == UInt8(ascii: "{") else {
                    throw tokenizer.error("array element \(objectCount + 1) is not an object (found \(JSONTokenizer.describe(next)))")
                }
            } else if b != UInt8(ascii: "{") {
                throw tokenizer.error("array element 1 is not an object (found \(JSONTokenizer.describe(b)))")
            }
            firstElement = false
        }
        cursor.advance()  // '{'
        var pairs: Pairs = []
        try readObject(prefix: "", depth: 1, into: &pairs)
        objectCount += 1
        return pairs
    }

    private func skipBOM() throws(TabularError) {
        let cursor = tokenizer.cursor
        guard let first = try cursor.peek() else { return }
        if first == 0xEF {
            cursor.advance()
            guard try cursor.next() == 0xBB, try cursor.next() == 0xBF else {
                throw TabularError(.invalidEncoding, "invalid UTF-8 at the start of the JSON file", byteOffset: 0)
            }
        } else if first == 0xFF || first == 0xFE || first == 0x00 {
            throw TabularError(.invalidEncoding, "JSON must be UTF-8 (this looks like UTF-16 or UTF-32)", byteOffset: 0)
        }
    }

    /// Walks to the array the pointer names (or checks the root is an array) and consumes its '['.
    private func navigate() throws(TabularError) {
        let cursor = tokenizer.cursor
        var walked = ""
        for token in pointer?.tokens ?? [] {
            guard let b = try tokenizer.peekSignificant() else { throw tokenizer.error("unexpected end of JSON") }
            if b == UInt8(ascii: "{") {
                cursor.advance()
                var found = false
                if try tokenizer.peekSignificant() == UInt8(ascii: "}") {
                    cursor.advance()
                } else {
                    while true {
                        guard try tokenizer.peekSignificant() == UInt8(ascii: "\"") else { throw tokenizer.error("expected a key") }
                        let key = try tokenizer.readString()
                        try tokenizer.expect(UInt8(ascii: ":"), "':'")
                        if key == token {
                            found = true
                            break
                        }
                        try skipValue(depth: 2)
                        guard let sep = try tokenizer.peekSignificant() else { throw tokenizer.error("unexpected end of JSON") }
                        cursor.advance()
                        if sep == UInt8(ascii: "}") { break }
                        guard sep == UInt8(ascii: ",") else { throw tokenizer.error("expected ',' or '}'") }
                    }
                }
                guard found else { throw notFound(walked + "/" + token) }
            } else if b == UInt8(ascii: "[") {
                guard let index = JSONPointer.index(token) else { throw notFound(walked + "/" + token) }
                cursor.advance()
                for k in 0...index {
                    guard let next = try tokenizer.peekSignificant() else { throw tokenizer.error("unexpected end of JSON") }
                    if next == UInt8(ascii: "]") { throw notFound(walked + "/" + token) }
                    if k > 0 {
                        try tokenizer.expect(UInt8(ascii: ","), "','")
                    }
                    if k < index { try skipValue(depth: 2) }
                }
            } else {
                throw notFound(walked + "/" + token)
            }
            walked += "/" + token
        }
        guard let b = try tokenizer.peekSignificant() else { throw tokenizer.error("unexpected end of JSON") }
        guard b == UInt8(ascii: "[") else {
            if pointer == nil || walked.isEmpty {
                throw tokenizer.error("the JSON document is not an array of objects; set jsonPointer to the array of rows (e.g. /data)")
            }
            throw tokenizer.error("the value at jsonPointer \"\(walked)\" is not an array")
        }
        cursor.advance()
    }

    private func notFound(_ path: String) -> TabularError {
        tokenizer.error("jsonPointer \"\(pointer?.text ?? "")\": nothing at \"\(path)\"")
    }

    /// Reads the members of an object whose '{' was consumed, flattening nested objects.
    private func readObject(prefix: String, depth: Int, into pairs: inout Pairs) throws(TabularError) {
        let cursor = tokenizer.cursor
        guard depth <= options.limits.maxJSONDepth else {
            throw TabularError(.limitExceeded, "JSON nested deeper than \(options.limits.maxJSONDepth) levels (maxJSONDepth)", byteOffset: cursor.offset)
        }
        if try tokenizer.peekSignificant() == UInt8(ascii: "}") {
            cursor.advance()
            if !prefix.isEmpty { pairs.append((prefix, "")) }
            return
        }
        while true {
            guard let q = try tokenizer.peekSignificant() else { throw tokenizer.error("unexpected end of JSON inside an object") }
            guard q == UInt8(ascii: "\"") else { throw tokenizer.error("expected a key, found \(JSONTokenizer.describe(q))") }
            let name = try tokenizer.readString()
            try tokenizer.expect(UInt8(ascii: ":"), "':'")
            let key = prefix.isEmpty ? name : prefix + "." + name
            guard let b = try tokenizer.peekSignificant() else { throw tokenizer.error("unexpected end of JSON inside an object") }
            switch b {
            case UInt8(ascii: "{"):
                cursor.advance()
                try readObject(prefix: key, depth: depth + 1, into: &pairs)
            case UInt8(ascii: "["):
                text.removeAll(keepingCapacity: true)
                try appendValueText(depth: depth + 1)
                pairs.append((key, String(decoding: text, as: UTF8.self)))
            case UInt8(ascii: "\""):
                pairs.append((key, try tokenizer.readString()))
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                pairs.append((key, try tokenizer.readNumber()))
            default:
                let literal = try tokenizer.readLiteral()
                pairs.append((key, literal == "null" ? "" : literal))
            }
            if pairs.count > options.limits.maxCellsPerRow {
                throw TabularError(.limitExceeded, "object has more than \(options.limits.maxCellsPerRow) keys (maxCellsPerRow)", byteOffset: cursor.offset)
            }
            guard let sep = try tokenizer.peekSignificant() else { throw tokenizer.error("unexpected end of JSON inside an object") }
            if sep == UInt8(ascii: "}") {
                cursor.advance()
                return
            }
            guard sep == UInt8(ascii: ",") else { throw tokenizer.error("expected ',' or '}' in an object, found \(JSONTokenizer.describe(sep))") }
            cursor.advance()
        }
    }

    /// Appends the compact JSON text of the next value to `text` (arrays and their contents);
    /// with `keep: false` it only checks the syntax, so skipped values cost no memory.
    private func appendValueText(depth: Int, keep: Bool = true) throws(TabularError) {
        let cursor = tokenizer.cursor
        guard depth <= options.limits.maxJSONDepth else {
            throw TabularError(.limitExceeded, "JSON nested deeper than \(options.limits.maxJSONDepth) levels (maxJSONDepth)", byteOffset: cursor.offset)
        }
        guard let b = try tokenizer.peekSignificant() else { throw tokenizer.error("unexpected end of JSON") }
        switch b {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let close = b == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
            let isObject = b == UInt8(ascii: "{")
            cursor.advance()
            if keep { text.append(b) }
            if try tokenizer.peekSignificant() == close {
                cursor.advance()
                if keep { text.append(close) }
                return
            }
            while true {
                if isObject {
                    guard try tokenizer.peekSignificant() == UInt8(ascii: "\"") else { throw tokenizer.error("expected a key") }
                    let key = try tokenizer.readString()
                    if keep { Self.appendQuoted(key, to: &text) }
                    try tokenizer.expect(UInt8(ascii: ":"), "':'")
                    if keep { text.append(UInt8(ascii: ":")) }
                }
                try appendValueText(depth: depth + 1, keep: keep)
                guard let sep = try tokenizer.peekSignificant() else { throw tokenizer.error("unexpected end of JSON") }
                cursor.advance()
                if sep == close {
                    if keep { text.append(close) }
                    break
                }
                guard sep == UInt8(ascii: ",") else {
                    throw tokenizer.error("expected ',' or '\(Character(Unicode.Scalar(close)))', found \(JSONTokenizer.describe(sep))", at: cursor.offset - 1)
                }
                if keep { text.append(sep) }
            }
        case UInt8(ascii: "\""):
            let string = try tokenizer.readString()
            if keep { Self.appendQuoted(string, to: &text) }
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let number = try tokenizer.readNumber()
            if keep { text.append(contentsOf: number.utf8) }
        default:
            let literal = try tokenizer.readLiteral()
            if keep { text.append(contentsOf: literal.utf8) }
        }
        if text.count > options.limits.maxFieldBytes {
            throw TabularError(.limitExceeded, "value larger than \(options.limits.maxFieldBytes) bytes (maxFieldBytes)", byteOffset: cursor.offset)
        }
    }

    /// Skips one value (used while walking a pointer), checking its syntax.
    private func skipValue(depth: Int) throws(TabularError) {
        try appendValueText(depth: depth, keep: false)
    }

    static func appendQuoted(_ string: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for b in string.utf8 {
            switch b {
            case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
