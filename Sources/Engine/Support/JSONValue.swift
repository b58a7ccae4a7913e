import IngestSupport
/// A JSON value that keeps object key order, with a compact writer and a strict parser.
///
/// Order matters here: a logged row's `data` is keyed by source header and the failed-rows CSV
/// rebuilds the header from it, and API resources read best in a fixed field order.
package enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])
    /// JSON text already encoded (stored row data, errors, summaries), written as it is by the
    /// compact writers; everything else treats it as the value it holds (``RawJSON/value``).
    case raw(RawJSON)

    package static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.integer(x), .integer(y)): return x == y
        case let (.number(x), .number(y)): return x == y
        case let (.string(x), .string(y)): return x == y
        case let (.array(x), .array(y)): return x == y
        case let (.object(x), .object(y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case let (.raw(x), .raw(y)): return x == y || x.value == y.value
        case let (.raw(x), _): return x.value == b
        case let (_, .raw(y)): return a == y.value
        default: return false
        }
    }

    /// Member `key` of an object.
    package subscript(key: String) -> JSONValue? {
        if case .object(let members) = resolved { return members.first { $0.0 == key }?.1 }
        return nil
    }

    /// The value itself, or for `.raw` the value its text holds.
    package var resolved: JSONValue { if case .raw(let raw) = self { return raw.value } else { return self } }

    package var stringValue: String? { if case .string(let s) = resolved { return s } else { return nil } }
    package var intValue: Int64? {
        switch resolved {
        case .integer(let i): return i
        case .number(let d) where d.rounded() == d: return Int64(exactly: d)
        default: return nil
        }
    }
    package var boolValue: Bool? { if case .bool(let b) = resolved { return b } else { return nil } }
    package var arrayValue: [JSONValue]? { if case .array(let a) = resolved { return a } else { return nil } }
    package var objectValue: [(String, JSONValue)]? { if case .object(let o) = resolved { return o } else { return nil } }

    /// Compact JSON text.
    package var text: String {
        var out = ""
        // Reserved up front: growing by doubling would copy a large row log (`ingest_rows.data`)
        // several times and leave up to twice its size allocated.
        out.reserveCapacity(compactSizeEstimate)
        write(to: &out, indent: nil, level: 0)
        return out
    }

    /// About the size of the compact text in bytes (exact for unescaped strings), without writing it.
    var compactSizeEstimate: Int {
        switch self {
        case .null, .bool: return 5
        case .integer, .number: return 24
        case .string(let s): return s.utf8.count + 2
        case .array(let items): return items.reduce(2) { $0 + $1.compactSizeEstimate + 1 }
        case .object(let members): return members.reduce(2) { $0 + $1.0.utf8.count + 4 + $1.1.compactSizeEstimate }
        case .raw(let raw): return raw.bytes.count
        }
    }

    /// Indented JSON text (2 spaces), for people.
    package var prettyText: String {
        var out = ""
        write(to: &out, indent: "  ", level: 0)
        return out
    }

    func write(to out: inout String, indent: String?, level: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .integer(let i): out += String(i)
        case .number(let d):
            if d.isFinite {
                if d.rounded() == d && abs(d) < 1e15 { out += String(Int64(d)) } else { out += String(d) }
            } else { out += "null" }
        case .string(let s): JSONValue.writeString(s, to: &out)
        case .raw(let raw):
            if indent == nil { out += String(decoding: raw.bytes, as: UTF8.self) } else { raw.value.write(to: &out, indent: indent, level: level) }
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                if let indent { out += "\n" + String(repeating: indent, count: level + 1) }
                item.write(to: &out, indent: indent, level: level + 1)
            }
            if let indent { out += "\n" + String(repeating: indent, count: level) }
            out += "]"
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            out += "{"
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { out += "," }
                if let indent { out += "\n" + String(repeating: indent, count: level + 1) }
                JSONValue.writeString(key, to: &out)
                out += indent == nil ? ":" : ": "
                value.write(to: &out, indent: indent, level: level + 1)
            }
            if let indent { out += "\n" + String(repeating: indent, count: level) }
            out += "}"
        }
    }

    static func writeString(_ s: String, to out: inout String) {
        // `/` escaped like PHP's json_encode (safe inside <script>); most strings need nothing
        // and are appended whole.
        out += JSONEscaping.quoted(s, escapingSlash: true)
    }

    /// Parses JSON text (RFC 8259). Nesting is capped at 512 levels.
    package static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        var parser = JSONValueParser(bytes: Array(text.utf8))
        return try parser.parseDocument()
    }

    /// Parses JSON bytes (RFC 8259).
    package static func parse(bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        var parser = JSONValueParser(bytes: bytes)
        return try parser.parseDocument()
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral, ExpressibleByNilLiteral {
    package init(stringLiteral value: String) { self = .string(value) }
    package init(integerLiteral value: Int64) { self = .integer(value) }
    package init(booleanLiteral value: Bool) { self = .bool(value) }
    package init(nilLiteral: ()) { self = .null }

    /// `.string(s)` or `.null`.
    package static func optional(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
    /// `.integer(i)` or `.null`.
    package static func optional(_ i: Int64?) -> JSONValue { i.map { .integer($0) } ?? .null }
}

/// A JSON syntax error with the byte offset where it was found.
package struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    package let offset: Int
    package let reason: String
    package var description: String { "invalid JSON at byte \(offset): \(reason)" }
}

struct JSONValueParser {
    let bytes: [UInt8]
    var i = 0
    var depth = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        skipSpace()
        let value = try parseValue()
        skipSpace()
        guard i == bytes.count else { throw fail("unexpected text after the value") }
        return value
    }

    func fail(_ reason: String) -> JSONParseError { JSONParseError(offset: i, reason: reason) }

    mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
    }

    mutating func expect(_ word: String, _ value: JSONValue) throws(JSONParseError) -> JSONValue {
        let w = Array(word.utf8)
        guard i + w.count <= bytes.count, Array(bytes[i..<(i + w.count)]) == w else { throw fail("expected \(word)") }
        i += w.count
        return value
    }

    mutating func parseValue() throws(JSONParseError) -> JSONValue {
        guard i < bytes.count else { throw fail("unexpected end of input") }
        switch bytes[i] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try expect("true", .bool(true))
        case UInt8(ascii: "f"): return try expect("false", .bool(false))
        case UInt8(ascii: "n"): return try expect("null", .null)
        default: return try parseNumber()
        }
    }

    mutating func parseObject() throws(JSONParseError) -> JSONValue {
        depth += 1
        guard depth <= 512 else { throw fail("nesting deeper than 512 levels") }
        defer { depth -= 1 }
        i += 1
        var members: [(String, JSONValue)] = []
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
        while true {
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail("expected a string key") }
            let key = try parseString()
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("expected ':'") }
            i += 1
            skipSpace()
            members.append((key, try parseValue()))
            skipSpace()
            guard i < bytes.count else { throw fail("unexpected end of input in an object") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
            throw fail("expected ',' or '}'")
        }
    }

    mutating func parseArray() throws(JSONParseError) -> JSONValue {
        depth += 1
        guard depth <= 512 else { throw fail("nesting deeper than 512 levels") }
        defer { depth -= 1 }
        i += 1
        var items: [JSONValue] = []
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
        while true {
            skipSpace()
            items.append(try parseValue())
            skipSpace()
            guard i < bytes.count else { throw fail("unexpected end of input in an array") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            throw fail("expected ',' or ']'")
        }
    }

    mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        guard i + 4 <= bytes.count else { throw fail("short \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard let d = JSONScanning.hexDigit(bytes[i]) else { throw fail("bad hex digit in \\u escape") }
            v = v * 16 + d
            i += 1
        }
        return v
    }

    mutating func parseString() throws(JSONParseError) -> String {
        i += 1
        var out: [UInt8] = []
        while true {
            guard i < bytes.count else { throw fail("unterminated string") }
            let c = bytes[i]
            if c == UInt8(ascii: "\"") { i += 1; break }
            if c < 0x20 { throw fail("control character in string") }
            if c != UInt8(ascii: "\\") { out.append(c); i += 1; continue }
            i += 1
            guard i < bytes.count else { throw fail("unterminated escape") }
            let e = bytes[i]
            i += 1
            if let simple = JSONScanning.simpleEscape(e) {
                out.append(simple)
                continue
            }
            guard e == UInt8(ascii: "u") else { throw fail("bad escape") }
            var scalar = try parseHex4()
            if JSONScanning.isHighSurrogate(scalar) {
                guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else { throw fail("lone surrogate") }
                i += 2
                let low = try parseHex4()
                guard JSONScanning.isLowSurrogate(low) else { throw fail("bad low surrogate") }
                scalar = JSONScanning.combine(high: scalar, low: low)
            } else if JSONScanning.isLowSurrogate(scalar) {
                throw fail("lone surrogate")
            }
            JSONScanning.appendUTF8(scalar, to: &out)
        }
        guard let s = String(validating: out, as: UTF8.self) else { throw fail("invalid UTF-8 in string") }
        return s
    }

    mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = i
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
        var isInteger = true
        func digits(_ p: inout JSONValueParser) -> Int {
            var n = 0
            while p.i < p.bytes.count, p.bytes[p.i] >= 48, p.bytes[p.i] <= 57 { p.i += 1; n += 1 }
            return n
        }
        guard i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 else { throw fail("unexpected character") }
        if bytes[i] == 48 { i += 1 } else { _ = digits(&self) }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            isInteger = false
            i += 1
            guard digits(&self) > 0 else { throw fail("expected digits after '.'") }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            isInteger = false
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard digits(&self) > 0 else { throw fail("expected exponent digits") }
        }
        let text = String(decoding: bytes[start..<i], as: UTF8.self)
        if isInteger, let v = Int64(text) { return .integer(v) }
        guard let d = Double(text) else { throw fail("bad number") }
        return .number(d)
    }
}
