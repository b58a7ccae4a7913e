import IngestSupport
/// A recursive-descent RFC 8259 parser over bytes that records positions; see `JSONDocument`.
struct JSONParser {
    private let bytes: [UInt8]
    private let maxDepth: Int
    private var index = 0
    private var line = 1
    private var lineStart = 0
    private var depth = 0
    private var cachedOffset = 0
    private var cachedColumn = 1

    init(bytes: [UInt8], maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    mutating func parseDocument() throws(JSONSyntaxError) -> JSONNode {
        // RFC 8259 §8.1: a parser may ignore a leading byte order mark.
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
            index = 3
            lineStart = 3
        }
        skipWhitespace()
        guard index < bytes.count else { throw error("the document is empty; expected a JSON value") }
        let node = try parseValue()
        skipWhitespace()
        if index < bytes.count { throw error("unexpected \(describe(bytes[index])) after the JSON value") }
        return node
    }

    // MARK: - Positions

    /// Columns are counted from the last computed position when it is on the same line and not
    /// past `offset`, so a long minified line costs linear time rather than quadratic.
    private mutating func position(at offset: Int) -> SourcePosition {
        var column = 1
        var i = lineStart
        if cachedOffset >= lineStart && cachedOffset <= offset {
            column = cachedColumn
            i = cachedOffset
        }
        while i < offset && i < bytes.count {
            if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        cachedOffset = offset
        cachedColumn = column
        return SourcePosition(offset: offset, line: line, column: column)
    }

    private mutating func error(_ message: String, at offset: Int? = nil) -> JSONSyntaxError {
        JSONSyntaxError(message: message, position: position(at: offset ?? index))
    }

    private func describe(_ byte: UInt8) -> String {
        if byte >= 0x20 && byte < 0x7F { return "'\(Character(UnicodeScalar(byte)))'" }
        return "byte 0x" + String(byte, radix: 16, uppercase: true)
    }

    private func describeCurrent() -> String {
        index < bytes.count ? describe(bytes[index]) : "end of file"
    }

    // MARK: - Grammar

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0D:
                index += 1
            case 0x0A:
                index += 1
                line += 1
                lineStart = index
            default:
                return
            }
        }
    }

    private mutating func parseValue() throws(JSONSyntaxError) -> JSONNode {
        guard index < bytes.count else { throw error("unexpected end of file; expected a JSON value") }
        let start = position(at: index)
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject(start)
        case UInt8(ascii: "["): return try parseArray(start)
        case UInt8(ascii: "\""):
            let (string, verbatim) = try parseString()
            return JSONNode(value: .string(string), position: start, isVerbatim: verbatim)
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return JSONNode(value: .bool(true), position: start)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return JSONNode(value: .bool(false), position: start)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return JSONNode(value: .null, position: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return JSONNode(value: try parseNumber(), position: start)
        case UInt8(ascii: "'"):
            throw error("strings must use double quotes")
        default:
            throw error("unexpected \(describe(bytes[index])); expected a JSON value")
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONSyntaxError) {
        let start = index
        let utf8 = literal.withUTF8Buffer { Array($0) }
        for byte in utf8 {
            guard index < bytes.count, bytes[index] == byte else {
                throw error("invalid literal; expected '\(literal)'", at: start)
            }
            index += 1
        }
        if index < bytes.count, isIdentifierByte(bytes[index]) {
            throw error("invalid literal; expected '\(literal)'", at: start)
        }
    }

    private func isIdentifierByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x5F
    }

    private mutating func enter() throws(JSONSyntaxError) {
        depth += 1
        if depth > maxDepth { throw error("nesting deeper than \(maxDepth) levels") }
    }

    private mutating func parseObject(_ start: SourcePosition) throws(JSONSyntaxError) -> JSONNode {
        try enter()
        index += 1  // {
        var members: [JSONMember] = []
        var seen: [String: SourcePosition] = [:]
        skipWhitespace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return JSONNode(value: .object(members), position: start)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                if index < bytes.count && bytes[index] == UInt8(ascii: "}") {
                    throw error("trailing comma before '}'")
                }
                throw error("expected a string key in double quotes, found \(describeCurrent())")
            }
            let keyPosition = position(at: index)
            let (key, _) = try parseString()
            if let first = seen[key] {
                throw JSONSyntaxError(message: "duplicate key '\(key)' (first at \(first))", position: keyPosition)
            }
            seen[key] = keyPosition
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                throw error("expected ':' after key '\(key)', found \(describeCurrent())")
            }
            index += 1
            skipWhitespace()
            let value = try parseValue()
            members.append(JSONMember(key: key, keyPosition: keyPosition, value: value))
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of file; expected ',' or '}'") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "}") {
                index += 1
                depth -= 1
                return JSONNode(value: .object(members), position: start)
            }
            throw error("expected ',' or '}' after an object member, found \(describeCurrent())")
        }
    }

    private mutating func parseArray(_ start: SourcePosition) throws(JSONSyntaxError) -> JSONNode {
        try enter()
        index += 1  // [
        var items: [JSONNode] = []
        skipWhitespace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return JSONNode(value: .array(items), position: start)
        }
        while true {
            skipWhitespace()
            if index < bytes.count && bytes[index] == UInt8(ascii: "]") {
                throw error("trailing comma before ']'")
            }
            items.append(try parseValue())
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of file; expected ',' or ']'") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "]") {
                index += 1
                depth -= 1
                return JSONNode(value: .array(items), position: start)
            }
            throw error("expected ',' or ']' after an array element, found \(describeCurrent())")
        }
    }

    /// Parses a string starting at the opening quote; also says whether it had no escapes.
    private mutating func parseString() throws(JSONSyntaxError) -> (String, Bool) {
        let start = index
        index += 1  // "
        var scalars = String.UnicodeScalarView()
        var verbatim = true
        while true {
            guard index < bytes.count else { throw error("unterminated string", at: start) }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return (String(scalars), verbatim)
            case UInt8(ascii: "\\"):
                verbatim = false
                scalars.append(try parseEscape())
            case 0x00..<0x20:
                throw error("control character \(describe(byte)) in a string; escape it (\\n, \\t, \\u00XX)")
            case 0x00..<0x80:
                scalars.append(UnicodeScalar(byte))
                index += 1
            default:
                scalars.append(try parseUTF8Scalar())
            }
        }
    }

    private mutating func parseEscape() throws(JSONSyntaxError) -> UnicodeScalar {
        let start = index
        index += 1  // backslash
        guard index < bytes.count else { throw error("unterminated escape sequence", at: start) }
        let c = bytes[index]
        index += 1
        if let simple = JSONScanning.simpleEscape(c) { return UnicodeScalar(simple) }
        switch c {
        case UInt8(ascii: "u"):
            let first = try parseHex4(escapeStart: start)
            if JSONScanning.isHighSurrogate(first) {
                // RFC 8259 §7: characters outside the BMP are written as a surrogate pair.
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                    throw error("unpaired high surrogate \\u\(String(first, radix: 16, uppercase: true))", at: start)
                }
                index += 2
                let second = try parseHex4(escapeStart: start)
                guard JSONScanning.isLowSurrogate(second) else {
                    throw error("high surrogate not followed by a low surrogate", at: start)
                }
                let value = JSONScanning.combine(high: first, low: second)
                guard let scalar = UnicodeScalar(value) else { throw error("invalid surrogate pair", at: start) }
                return scalar
            }
            if JSONScanning.isLowSurrogate(first) {
                throw error("unpaired low surrogate \\u\(String(first, radix: 16, uppercase: true))", at: start)
            }
            guard let scalar = UnicodeScalar(first) else { throw error("invalid \\u escape", at: start) }
            return scalar
        default:
            throw error("invalid escape '\\\(Character(UnicodeScalar(c)))'", at: start)
        }
    }

    private mutating func parseHex4(escapeStart: Int) throws(JSONSyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard index < bytes.count else { throw error("incomplete \\u escape", at: escapeStart) }
            guard let digit = JSONScanning.hexDigit(bytes[index]) else { throw error("\\u must be followed by four hex digits", at: escapeStart) }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    /// Decodes one multi-byte UTF-8 sequence, rejecting overlong forms, surrogates and truncation.
    private mutating func parseUTF8Scalar() throws(JSONSyntaxError) -> UnicodeScalar {
        let start = index
        let b0 = bytes[index]
        let length: Int
        var value: UInt32
        switch b0 {
        case 0xC2...0xDF: length = 2; value = UInt32(b0 & 0x1F)
        case 0xE0...0xEF: length = 3; value = UInt32(b0 & 0x0F)
        case 0xF0...0xF4: length = 4; value = UInt32(b0 & 0x07)
        default: throw error("invalid UTF-8 byte 0x\(String(b0, radix: 16, uppercase: true))")
        }
        guard index + length <= bytes.count else { throw error("truncated UTF-8 sequence") }
        for k in 1..<length {
            let b = bytes[index + k]
            guard b & 0xC0 == 0x80 else { throw error("invalid UTF-8 sequence") }
            value = value << 6 | UInt32(b & 0x3F)
        }
        let minimum: UInt32 = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000
        guard value >= minimum, value <= 0x10FFFF, let scalar = UnicodeScalar(value) else {
            throw error("invalid UTF-8 sequence", at: start)
        }
        index += length
        return scalar
    }

    private mutating func parseNumber() throws(JSONSyntaxError) -> JSONNode.Value {
        let start = index
        var isInteger = true
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else {
            throw error("invalid number: expected a digit after '-'", at: start)
        }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, isDigit(bytes[index]) {
                throw error("invalid number: leading zeros are not allowed", at: start)
            }
        } else {
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else {
                throw error("invalid number: expected a digit after '.'", at: start)
            }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else {
                throw error("invalid number: expected a digit in the exponent", at: start)
            }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, isIdentifierByte(bytes[index]) || bytes[index] == UInt8(ascii: ".") {
            throw error("invalid number", at: start)
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if isInteger, let value = Int64(text) { return .integer(value) }
        guard let value = Double(text), value.isFinite else {
            throw error("number \(text) is out of range", at: start)
        }
        return .number(value)
    }

    private func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
}
