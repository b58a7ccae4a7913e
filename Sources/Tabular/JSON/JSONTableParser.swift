/// The structural layer of the streaming JSON reader: finds the table's array (root or JSON
/// pointer), then yields its objects flattened to (dotted key, text) pairs.
///
/// With a `ReadOptions.keySelection`, only the selected keys are kept: the others are parsed
/// (the document must still be valid JSON) and dropped at once, so an object with many keys
/// costs time linear in its size and memory for its selected keys only.
///
/// A value type driven by `JSONRowReader`, so the per-byte work pays no dynamic exclusivity
/// checks. Memory: one object's pairs plus the text of one array value.
struct JSONTableParser {
    private var tokenizer: JSONTokenizer
    private let format: ReadOptions.Format
    /// The caps and the key selection, copied out of `ReadOptions` once: they are read for every
    /// value, and reading them through the options struct copied it each time.
    private let limits: ReadLimits
    private let keySelection: KeySelection?
    /// Keys whose value is kept as raw JSON text (see `ReadOptions.rawJSONKeys`).
    private let rawJSONKeys: Set<String>
    private let pointer: DocumentPointer?
    private var navigated = false
    private var firstElement = true
    private var finished = false
    private var text: [UInt8] = []
    /// The selection's answer per key asked so far (keys repeat in every object; normalizing
    /// each one again was a sixth of the NDJSON reading time), at most ``maxRememberedKeys``.
    private var wanted: [String: Bool] = [:]
    static let maxRememberedKeys = 1024
    /// Objects returned so far.
    private(set) var objectCount = 0

    init(source: any ByteChunkSource, format: ReadOptions.Format, options: ReadOptions, pointer: DocumentPointer?) {
        tokenizer = JSONTokenizer(cursor: ByteCursor(source: source), maxValueBytes: options.limits.maxFieldBytes)
        self.format = format
        self.limits = options.limits
        self.keySelection = options.keySelection
        self.rawJSONKeys = options.rawJSONKeys
        self.pointer = pointer
    }

    /// The next object of the table, flattened; nil after the last.
    mutating func nextObject() throws(TabularError) -> [(key: String, value: String)]? {
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
                tokenizer.cursor.advance()
                finished = true
                if pointer == nil || pointer?.tokens.isEmpty == true, let extra = try tokenizer.peekSignificant() {
                    throw tokenizer.error("unexpected \(JSONTokenizer.describe(extra)) after the top-level array")
                }
                return nil
            }
            if !firstElement {
                guard b == UInt8(ascii: ",") else { throw tokenizer.error("expected ',' or ']' in the array, found \(JSONTokenizer.describe(b))") }
                tokenizer.cursor.advance()
                guard let next = try tokenizer.peekSignificant() else { throw tokenizer.error("unexpected end of JSON inside the array") }
                guard next == UInt8(ascii: "{") else {
                    throw tokenizer.error("array element \(objectCount + 1) is not an object (found \(JSONTokenizer.describe(next)))")
                }
            } else if b != UInt8(ascii: "{") {
                throw tokenizer.error("array element 1 is not an object (found \(JSONTokenizer.describe(b)))")
            }
            firstElement = false
        }
        tokenizer.cursor.advance()  // '{'
        var pairs: [(key: String, value: String)] = []
        try readObject(prefix: "", depth: 1, into: &pairs)
        objectCount += 1
        return pairs
    }

    private mutating func skipBOM() throws(TabularError) {
        guard let first = try tokenizer.cursor.peek() else { return }
        if first == 0xEF {
            tokenizer.cursor.advance()
            guard try tokenizer.cursor.next() == 0xBB, try tokenizer.cursor.next() == 0xBF else {
                throw TabularError(.invalidEncoding, "invalid UTF-8 at the start of the JSON file", byteOffset: 0)
            }
        } else if first == 0xFF || first == 0xFE || first == 0x00 {
            throw TabularError(.invalidEncoding, "JSON must be UTF-8 (this looks like UTF-16 or UTF-32)", byteOffset: 0)
        }
    }

    /// Walks to the array the pointer names (or checks the root is an array) and consumes its '['.
    private mutating func navigate() throws(TabularError) {
        var walked = ""
        for token in pointer?.tokens ?? [] {
            guard let b = try tokenizer.peekSignificant() else { throw tokenizer.error("unexpected end of JSON") }
            if b == UInt8(ascii: "{") {
                tokenizer.cursor.advance()
                var found = false
                if try tokenizer.peekSignificant() == UInt8(ascii: "}") {
                    tokenizer.cursor.advance()
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
                        tokenizer.cursor.advance()
                        if sep == UInt8(ascii: "}") { break }
                        guard sep == UInt8(ascii: ",") else { throw tokenizer.error("expected ',' or '}'") }
                    }
                }
                guard found else { throw notFound(walked + "/" + token) }
            } else if b == UInt8(ascii: "[") {
                guard let index = DocumentPointer.index(token) else { throw notFound(walked + "/" + token) }
                tokenizer.cursor.advance()
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
                throw TabularError(.malformedJSON, "the JSON document is not an array of objects; set source.json.pointer to the array of rows (e.g. /data)")
            }
            throw TabularError(.malformedJSON, "the value at source.json.pointer \"\(walked)\" is not an array")
        }
        tokenizer.cursor.advance()
    }

    private func notFound(_ path: String) -> TabularError {
        TabularError(.malformedJSON, "source.json.pointer \"\(pointer?.text ?? "")\": nothing at \"\(path)\"")
    }

    /// Whether the key selection keeps `key` (every key without one), remembered per key.
    private mutating func isWanted(_ key: String) -> Bool {
        guard let selection = keySelection else { return true }
        if let known = wanted[key] { return known }
        let answer = selection.wants(key)
        if wanted.count < JSONTableParser.maxRememberedKeys { wanted[key] = answer }
        return answer
    }

    /// Reads the members of an object whose '{' was consumed, flattening nested objects.
    private mutating func readObject(prefix: String, depth: Int, into pairs: inout [(key: String, value: String)]) throws(TabularError) {
        guard depth <= limits.maxJSONDepth else {
            throw TabularError(.limitExceeded, "JSON nested deeper than \(limits.maxJSONDepth) levels (maxJSONDepth)", byteOffset: tokenizer.cursor.offset)
        }
        if try tokenizer.peekSignificant() == UInt8(ascii: "}") {
            tokenizer.cursor.advance()
            if !prefix.isEmpty, isWanted(prefix) { pairs.append((prefix, "")) }
            return
        }
        while true {
            guard let q = try tokenizer.peekSignificant() else { throw tokenizer.error("unexpected end of JSON inside an object") }
            guard q == UInt8(ascii: "\"") else { throw tokenizer.error("expected a key, found \(JSONTokenizer.describe(q))") }
            let name = try tokenizer.readString()
            try tokenizer.expect(UInt8(ascii: ":"), "':'")
            let key = prefix.isEmpty ? name : prefix + "." + name
            guard let b = try tokenizer.peekSignificant() else { throw tokenizer.error("unexpected end of JSON inside an object") }
            if !rawJSONKeys.isEmpty, rawJSONKeys.contains(key) {
                text.removeAll(keepingCapacity: true)
                try appendValueText(depth: depth + 1)
                pairs.append((key, String(decoding: text, as: UTF8.self)))
            } else if b != UInt8(ascii: "{"), !isWanted(key) {
                // Not a column: checked for syntax and dropped, never kept.
                try skipValue(depth: depth + 1)
            } else {
                try readMember(key, first: b, depth: depth, into: &pairs)
            }
            if pairs.count > limits.maxCellsPerRow {
                throw TabularError(.limitExceeded, "object has more than \(limits.maxCellsPerRow) keys (maxCellsPerRow)", byteOffset: tokenizer.cursor.offset)
            }
            guard let sep = try tokenizer.peekSignificant() else { throw tokenizer.error("unexpected end of JSON inside an object") }
            if sep == UInt8(ascii: "}") {
                tokenizer.cursor.advance()
                return
            }
            guard sep == UInt8(ascii: ",") else { throw tokenizer.error("expected ',' or '}' in an object, found \(JSONTokenizer.describe(sep))") }
            tokenizer.cursor.advance()
        }
    }

    /// Reads one member's value, whose first byte is `first`, into `pairs` (a nested object
    /// flattened under `key`, whose own keys are selected one by one).
    private mutating func readMember(_ key: String, first b: UInt8, depth: Int, into pairs: inout [(key: String, value: String)]) throws(TabularError) {
        switch b {
        case UInt8(ascii: "{"):
            tokenizer.cursor.advance()
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
    }

    /// Appends the compact JSON text of the next value to `text` (arrays and their contents);
    /// with `keep: false` it only checks the syntax, so skipped values cost no memory.
    private mutating func appendValueText(depth: Int, keep: Bool = true) throws(TabularError) {
        guard depth <= limits.maxJSONDepth else {
            throw TabularError(.limitExceeded, "JSON nested deeper than \(limits.maxJSONDepth) levels (maxJSONDepth)", byteOffset: tokenizer.cursor.offset)
        }
        guard let b = try tokenizer.peekSignificant() else { throw tokenizer.error("unexpected end of JSON") }
        switch b {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let close = b == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
            let isObject = b == UInt8(ascii: "{")
            tokenizer.cursor.advance()
            if keep { text.append(b) }
            if try tokenizer.peekSignificant() == close {
                tokenizer.cursor.advance()
                if keep { text.append(close) }
                return
            }
            while true {
                if isObject {
                    guard try tokenizer.peekSignificant() == UInt8(ascii: "\"") else { throw tokenizer.error("expected a key") }
                    if keep {
                        Self.appendQuoted(try tokenizer.readString(), to: &text)
                    } else {
                        try tokenizer.skipString()
                    }
                    try tokenizer.expect(UInt8(ascii: ":"), "':'")
                    if keep { text.append(UInt8(ascii: ":")) }
                }
                try appendValueText(depth: depth + 1, keep: keep)
                guard let sep = try tokenizer.peekSignificant() else { throw tokenizer.error("unexpected end of JSON") }
                tokenizer.cursor.advance()
                if sep == close {
                    if keep { text.append(close) }
                    break
                }
                guard sep == UInt8(ascii: ",") else {
                    throw tokenizer.error("expected ',' or '\(Character(Unicode.Scalar(close)))', found \(JSONTokenizer.describe(sep))", at: tokenizer.cursor.offset - 1)
                }
                if keep { text.append(sep) }
            }
        case UInt8(ascii: "\""):
            if keep {
                Self.appendQuoted(try tokenizer.readString(), to: &text)
            } else {
                try tokenizer.skipString()
            }
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            if keep {
                text.append(contentsOf: try tokenizer.readNumber().utf8)
            } else {
                try tokenizer.skipNumber()
            }
        default:
            let literal = try tokenizer.readLiteral()
            if keep { text.append(contentsOf: literal.utf8) }
        }
        if text.count > limits.maxFieldBytes {
            throw TabularError(.limitExceeded, "value larger than \(limits.maxFieldBytes) bytes (maxFieldBytes)", byteOffset: tokenizer.cursor.offset)
        }
    }

    /// Skips one value (used while walking a pointer), checking its syntax.
    private mutating func skipValue(depth: Int) throws(TabularError) {
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
