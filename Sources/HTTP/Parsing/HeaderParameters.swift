/// A header value of the form `value; name=token; name="quoted string"`, as used by
/// `Content-Type` (RFC 9110 §5.6.6) and `Content-Disposition` (RFC 6266 §4.1).
struct HeaderParameters: Sendable, Equatable {
    /// The part before the first `;`, trimmed and lower-cased (a media type or disposition type).
    var value: String
    /// Parameters in order, names lower-cased, quoted strings unescaped.
    var parameters: [(name: String, value: String)]

    static func == (lhs: HeaderParameters, rhs: HeaderParameters) -> Bool {
        lhs.value == rhs.value && lhs.parameters.elementsEqual(rhs.parameters) { $0 == $1 }
    }

    /// The first parameter named `name` (case-insensitive).
    subscript(name: String) -> String? {
        let key = name.lowercased()
        return parameters.first { $0.name == key }?.value
    }

    /// Parses `text`; returns `nil` when a quoted string is not terminated or a parameter has
    /// no name, because guessing at a broken disposition could misname a field.
    static func parse(_ text: String) -> HeaderParameters? {
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count, bytes[index] != UInt8(ascii: ";") { index += 1 }
        let value = String(decoding: bytes[0..<index], as: UTF8.self).trimmingHTTPWhitespace().lowercased()
        var parameters: [(String, String)] = []
        while index < bytes.count {
            // Skip the separator and whitespace before the next parameter.
            while index < bytes.count, bytes[index] == UInt8(ascii: ";") || HTTPSyntax.isWhitespace(bytes[index]) { index += 1 }
            guard index < bytes.count else { break }
            let nameStart = index
            while index < bytes.count, bytes[index] != UInt8(ascii: "="), bytes[index] != UInt8(ascii: ";") { index += 1 }
            let name = String(decoding: bytes[nameStart..<index], as: UTF8.self).trimmingHTTPWhitespace().lowercased()
            guard !name.isEmpty else { return nil }
            guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else {
                // A parameter without a value: keep it with an empty value.
                parameters.append((name, ""))
                continue
            }
            index += 1
            while index < bytes.count, HTTPSyntax.isWhitespace(bytes[index]) { index += 1 }
            if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
                // RFC 9110 §5.6.4: quoted-string, where a backslash quotes the next octet.
                index += 1
                var unquoted: [UInt8] = []
                var closed = false
                while index < bytes.count {
                    let byte = bytes[index]
                    if byte == UInt8(ascii: "\\"), index + 1 < bytes.count {
                        unquoted.append(bytes[index + 1])
                        index += 2
                    } else if byte == UInt8(ascii: "\"") {
                        index += 1
                        closed = true
                        break
                    } else {
                        unquoted.append(byte)
                        index += 1
                    }
                }
                guard closed else { return nil }
                parameters.append((name, String(decoding: unquoted, as: UTF8.self)))
                while index < bytes.count, bytes[index] != UInt8(ascii: ";") { index += 1 }
            } else {
                let valueStart = index
                while index < bytes.count, bytes[index] != UInt8(ascii: ";") { index += 1 }
                parameters.append((name, String(decoding: bytes[valueStart..<index], as: UTF8.self).trimmingHTTPWhitespace()))
            }
        }
        return HeaderParameters(value: value, parameters: parameters)
    }

    /// Decodes an RFC 8187 (formerly RFC 5987) `ext-value`: `charset'language'pct-encoded`.
    /// Only UTF-8 and ISO-8859-1 are defined; anything else, or invalid UTF-8, gives `nil`.
    static func decodeExtendedValue(_ text: String) -> String? {
        let pieces = text.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
        guard pieces.count == 3 else { return nil }
        let charset = pieces[0].lowercased()
        var bytes: [UInt8] = []
        let encoded = Array(pieces[2].utf8)
        var index = 0
        while index < encoded.count {
            if encoded[index] == UInt8(ascii: "%") {
                guard index + 2 < encoded.count,
                      let high = PercentDecoding.hexValue(encoded[index + 1]), let low = PercentDecoding.hexValue(encoded[index + 2])
                else { return nil }
                bytes.append(high << 4 | low)
                index += 3
            } else {
                bytes.append(encoded[index])
                index += 1
            }
        }
        switch charset {
        case "utf-8":
            return String(validating: bytes, as: UTF8.self)
        case "iso-8859-1":
            return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        default:
            return nil
        }
    }
}
