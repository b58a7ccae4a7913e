/// A small pull parser for the XML that XLSX parts use, reading from a `ByteCursor`.
///
/// Enough XML 1.0 for SpreadsheetML: elements, attributes, text, CDATA, comments, processing
/// instructions, the five predefined entities and character references. Namespace prefixes
/// are dropped (`x:row` is reported as `row`). A DOCTYPE is refused outright: no entity
/// expansion of any kind (billion laughs, XXE) can happen here.
///
/// Memory: the current element's name and attributes and one text run, capped by
/// `maxTextBytes`.
struct XMLPullParser {
    /// What `next()` found.
    enum Event: Equatable {
        /// A start tag; see `name` and `attributes`. A self-closing tag is reported as start then end.
        case start
        /// An end tag; see `name`.
        case end
        /// Character data between tags (entities decoded); see `text`.
        case text
        /// End of the document.
        case endOfDocument
    }

    private var cursor: ByteCursor
    /// Name of the part being parsed, for messages.
    let partName: String
    private let maxTextBytes: Int
    /// Local name of the current start or end tag.
    private(set) var name = ""
    /// Attributes of the current start tag, local names, values decoded.
    private(set) var attributes: [(name: String, value: String)] = []
    /// Decoded character data of the current text event.
    private(set) var text = ""
    private var pendingEnd = false
    private var scratch: [UInt8] = []
    private var decoded: [UInt8] = []

    init(cursor: ByteCursor, partName: String, maxTextBytes: Int) {
        self.cursor = cursor
        self.partName = partName
        self.maxTextBytes = maxTextBytes
    }

    /// The value of attribute `name` on the current start tag.
    func attribute(_ name: String) -> String? {
        for attribute in attributes where attribute.name == name { return attribute.value }
        return nil
    }

    func error(_ message: String) -> TabularError {
        TabularError(.malformedXLSX, "\(partName): \(message)", byteOffset: cursor.offset)
    }

    /// The next event.
    mutating func next() throws(TabularError) -> Event {
        if pendingEnd {
            pendingEnd = false
            return .end
        }
        while true {
            guard let b = try cursor.peek() else { return .endOfDocument }
            if b != UInt8(ascii: "<") {
                let piece = try cursor.run(limit: maxTextBytes, scratch: &scratch, until: { $0 == UInt8(ascii: "<") }, Self.text(of:))
                    ?? Self.text(of: UnsafeBufferPointer(start: nil, count: 0))
                text = try resolve(piece)
                return .text
            }
            cursor.advance()
            guard let c = try cursor.peek() else { throw error("unexpected end inside a tag") }
            switch c {
            case UInt8(ascii: "?"):
                try skipPast(Array("?>".utf8))
            case UInt8(ascii: "!"):
                cursor.advance()
                if try cursor.peek() == UInt8(ascii: "-") {
                    try skipPast(Array("-->".utf8))
                } else if try cursor.peek() == UInt8(ascii: "[") {
                    // <![CDATA[ ... ]]>
                    scratch.removeAll(keepingCapacity: true)
                    for expected in Array("[CDATA[".utf8) {
                        guard try cursor.next() == expected else { throw error("malformed CDATA section") }
                    }
                    try collectPast(Array("]]>".utf8))
                    text = String(decoding: scratch, as: UTF8.self)
                    return .text
                } else {
                    throw error("DOCTYPE declarations are not allowed in XLSX parts")
                }
            case UInt8(ascii: "/"):
                cursor.advance()
                try readName()
                _ = try cursor.skip { $0 == UInt8(ascii: ">") }
                guard try cursor.next() == UInt8(ascii: ">") else { throw error("unterminated end tag") }
                return .end
            default:
                try readName()
                try readAttributes()
                return .start
            }
        }
    }

    /// Skips to the end of the current element (after its start event), nested content included.
    mutating func skipElement() throws(TabularError) {
        var depth = 1
        while depth > 0 {
            switch try next() {
            case .start: depth += 1
            case .end: depth -= 1
            case .text: break
            case .endOfDocument: throw error("unexpected end of document")
            }
        }
    }

    private static func isNameEnd(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == UInt8(ascii: ">") || b == UInt8(ascii: "/") || b == UInt8(ascii: "=")
    }

    private mutating func readName() throws(TabularError) {
        guard let local = try cursor.run(limit: 1024, scratch: &scratch, until: Self.isNameEnd, Self.localName(of:)) else {
            throw error("unexpected end inside a tag")
        }
        guard !local.isEmpty else { throw error("empty tag name") }
        name = local
    }

    /// The part of a qualified name after its namespace prefix.
    private static func localName(of bytes: UnsafeBufferPointer<UInt8>) -> String {
        var start = bytes.count
        while start > 0 && bytes[start - 1] != UInt8(ascii: ":") { start -= 1 }
        let local = UnsafeBufferPointer(rebasing: bytes[start...])
        // The names of every cell, given as literals: skips UTF-8 validation on the hot path.
        switch local.count {
        case 1:
            switch local[0] {
            case UInt8(ascii: "c"): return "c"
            case UInt8(ascii: "v"): return "v"
            case UInt8(ascii: "t"): return "t"
            case UInt8(ascii: "r"): return "r"
            case UInt8(ascii: "s"): return "s"
            case UInt8(ascii: "f"): return "f"
            default: break
            }
        case 2 where local[0] == UInt8(ascii: "i") && local[1] == UInt8(ascii: "s"):
            return "is"
        case 3 where local[0] == UInt8(ascii: "r") && local[1] == UInt8(ascii: "o") && local[2] == UInt8(ascii: "w"):
            return "row"
        default:
            break
        }
        return String(decoding: local, as: UTF8.self)
    }

    /// Raw character data: a finished string when it has no references, else the bytes to decode.
    private enum RawText {
        case plain(String)
        case references([UInt8])
    }

    private static func text(of bytes: UnsafeBufferPointer<UInt8>) -> RawText {
        if bytes.contains(UInt8(ascii: "&")) { return .references(Array(bytes)) }
        return .plain(bytes.isEmpty ? "" : String(decoding: bytes, as: UTF8.self))
    }

    private mutating func resolve(_ raw: RawText) throws(TabularError) -> String {
        switch raw {
        case .plain(let string): return string
        case .references(let bytes): return try decode(bytes)
        }
    }

    private mutating func readAttributes() throws(TabularError) {
        attributes.removeAll(keepingCapacity: true)
        while true {
            guard try cursor.skip(until: { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D) }),
                  let b = try cursor.peek() else { throw error("unexpected end inside a tag") }
            if b == UInt8(ascii: ">") {
                cursor.advance()
                return
            }
            if b == UInt8(ascii: "/") {
                cursor.advance()
                guard try cursor.next() == UInt8(ascii: ">") else { throw error("malformed empty-element tag") }
                pendingEnd = true
                return
            }
            guard let attributeName = try cursor.run(limit: 1024, scratch: &scratch, until: Self.isNameEnd, Self.localName(of:)) else {
                throw error("unexpected end inside a tag")
            }
            guard !attributeName.isEmpty else { throw error("malformed attribute") }
            _ = try cursor.skip { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D) }
            guard try cursor.next() == UInt8(ascii: "=") else { throw error("attribute \(attributeName) without a value") }
            _ = try cursor.skip { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D) }
            guard let quote = try cursor.next(), quote == 0x22 || quote == 0x27 else { throw error("attribute \(attributeName) value not quoted") }
            guard let piece = try cursor.run(limit: maxTextBytes, scratch: &scratch, until: { $0 == quote }, Self.text(of:)) else {
                throw error("unterminated attribute value")
            }
            cursor.advance()
            if attributes.count >= 256 { throw error("too many attributes") }
            attributes.append((attributeName, try resolve(piece)))
        }
    }

    private mutating func skipPast(_ terminator: [UInt8]) throws(TabularError) {
        scratch.removeAll(keepingCapacity: true)
        try collectPast(terminator, keep: false)
    }

    /// Reads until `terminator` (consumed); the bytes before it end up in `scratch` when `keep`.
    private mutating func collectPast(_ terminator: [UInt8], keep: Bool = true) throws(TabularError) {
        let last = terminator[terminator.count - 1]
        while let b = try cursor.next() {
            scratch.append(b)
            if b == last, scratch.count >= terminator.count, scratch.suffix(terminator.count).elementsEqual(terminator) {
                scratch.removeLast(terminator.count)
                return
            }
            if !keep {
                if scratch.count > 64 { scratch.removeFirst(scratch.count - terminator.count) }
            } else if scratch.count > maxTextBytes {
                throw TabularError(.limitExceeded, "\(partName): text larger than \(maxTextBytes) bytes (maxFieldBytes)", byteOffset: cursor.offset)
            }
        }
        throw error("unexpected end of document")
    }

    /// Decodes entity and character references (XML 1.0 §4.1, §4.6).
    private mutating func decode(_ raw: [UInt8]) throws(TabularError) -> String {
        guard raw.contains(UInt8(ascii: "&")) else { return String(decoding: raw, as: UTF8.self) }
        decoded.removeAll(keepingCapacity: true)
        var i = 0
        while i < raw.count {
            let b = raw[i]
            guard b == UInt8(ascii: "&") else {
                decoded.append(b)
                i += 1
                continue
            }
            guard let semicolon = raw[i...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else { throw error("malformed entity reference") }
            let entity = raw[(i + 1)..<semicolon]
            switch String(decoding: entity, as: UTF8.self) {
            case "lt": decoded.append(UInt8(ascii: "<"))
            case "gt": decoded.append(UInt8(ascii: ">"))
            case "amp": decoded.append(UInt8(ascii: "&"))
            case "quot": decoded.append(UInt8(ascii: "\""))
            case "apos": decoded.append(UInt8(ascii: "'"))
            case let reference where reference.hasPrefix("#"):
                let digits = reference.dropFirst()
                let value = digits.hasPrefix("x") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
                guard let value, let scalar = Unicode.Scalar(value) else { throw error("invalid character reference &\(reference);") }
                TextDecoder.appendUTF8(scalar.value, to: &decoded)
            case let other:
                throw error("unknown entity &\(other);")
            }
            i = semicolon + 1
        }
        return String(decoding: decoded, as: UTF8.self)
    }
}
