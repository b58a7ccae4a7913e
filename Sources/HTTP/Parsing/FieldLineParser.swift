/// Parses one `name: value` field line, shared by the request head, chunked trailers and
/// multipart part headers so that all three refuse the same smuggling tricks.
enum FieldLineParser {
    /// Why a field line was refused, with the RFC wording a client can act on.
    enum Failure: Error, Equatable {
        case obsFold
        case missingColon
        case invalidName
        case whitespaceBeforeColon
        case invalidValue

        var message: String {
            switch self {
            case .obsFold: "Header field line folding (obs-fold) is not accepted."
            case .missingColon: "A header field line has no colon."
            case .invalidName: "A header field name is not a valid token."
            case .whitespaceBeforeColon: "Whitespace between a header field name and its colon is not allowed."
            case .invalidValue: "A header field value contains a control character."
            }
        }
    }

    /// Parses `line` (without its line terminator).
    static func parse(_ line: ArraySlice<UInt8>) throws(Failure) -> HTTPHeaders.Field {
        guard let first = line.first else { throw .missingColon }
        // RFC 9112 §5.2: a server MUST reject obs-fold (a line starting with whitespace) in a
        // request outside message/http, or replace it; rejecting is the safe choice.
        if first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") { throw .obsFold }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { throw .missingColon }
        let name = line[line.startIndex..<colon]
        guard !name.isEmpty else { throw .invalidName }
        if let last = name.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") {
            // RFC 9112 §5.1: no whitespace is allowed between the field name and colon; a server
            // MUST reject such a request with 400 (it is a request smuggling vector).
            throw .whitespaceBeforeColon
        }
        guard name.allSatisfy(HTTPSyntax.isTokenByte) else { throw .invalidName }
        var valueStart = line.index(after: colon)
        var valueEnd = line.endIndex
        while valueStart < valueEnd, HTTPSyntax.isWhitespace(line[valueStart]) { valueStart += 1 }
        while valueEnd > valueStart, HTTPSyntax.isWhitespace(line[valueEnd - 1]) { valueEnd -= 1 }
        let value = line[valueStart..<valueEnd]
        // RFC 9110 §5.5: field values must not contain CR, LF or NUL; other controls are refused too.
        guard value.allSatisfy(HTTPSyntax.isFieldValueByte) else { throw .invalidValue }
        return HTTPHeaders.Field(
            name: String(decoding: name, as: UTF8.self),
            value: String(decoding: value, as: UTF8.self)
        )
    }
}
