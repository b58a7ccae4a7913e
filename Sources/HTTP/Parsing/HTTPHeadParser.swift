/// Finds and parses a request head (request line and header section) in buffered bytes.
///
/// Sans-I/O: the connection appends what it reads to a buffer and asks again; the parser never
/// touches a socket, so it is tested by splitting the same input at every byte position. It
/// enforces the head limits as soon as the bytes seen prove a limit is broken, without waiting
/// for the end of the head.
struct HTTPHeadParser {
    /// The longest request line accepted, in bytes, without its line terminator.
    let maxRequestLineBytes: Int
    /// The longest head accepted, in bytes, request line and terminators included.
    let maxHeadBytes: Int
    /// The most header field lines accepted.
    let maxHeaderCount: Int

    /// Where the search for the end of the head resumes, so a trickled head is scanned once.
    private var searchFrom = 0

    init(maxRequestLineBytes: Int, maxHeadBytes: Int, maxHeaderCount: Int) {
        self.maxRequestLineBytes = maxRequestLineBytes
        self.maxHeadBytes = maxHeadBytes
        self.maxHeaderCount = maxHeaderCount
    }

    /// Forgets the progress of the previous search; call before parsing the next request.
    mutating func reset() {
        searchFrom = 0
    }

    /// Looks for a complete head at the start of `buffer`.
    ///
    /// - Returns: the head and the number of bytes it used, or `nil` when more bytes are needed.
    /// - Throws: `400`, `414`, `431` or `505` as soon as the bytes prove the request is bad.
    mutating func parse(_ buffer: ArraySlice<UInt8>) throws(HTTPError) -> (head: HTTPRequestHead, consumed: Int)? {
        let base = buffer.startIndex
        guard let start = try Self.skipLeadingEmptyLines(buffer) else { return nil }
        guard let requestLineEnd = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) else {
            // One byte of slack for the CR of a line that is exactly at the limit.
            if buffer.endIndex - start > maxRequestLineBytes + 1 { throw Self.uriTooLong }
            return nil
        }
        let requestLine = Self.trimmingCR(buffer[start..<requestLineEnd])
        if requestLine.count > maxRequestLineBytes { throw Self.uriTooLong }

        guard let headEnd = findHeadEnd(buffer, from: max(requestLineEnd, base + searchFrom)) else {
            // Counted from the request line, as for a complete head below: skipped empty lines
            // are not part of the head, so where the reads end cannot change the answer.
            if buffer.endIndex - start > maxHeadBytes { throw Self.headTooLarge }
            return nil
        }
        if headEnd - start > maxHeadBytes { throw Self.headTooLarge }

        let (method, target, version) = try Self.parseRequestLine(requestLine)
        let headers = try parseFields(buffer[(requestLineEnd + 1)..<headEnd])
        try Self.checkHost(headers, version: version)
        searchFrom = 0
        return (HTTPRequestHead(method: method, target: target, version: version, headers: headers), headEnd - base)
    }

    /// RFC 9112 §2.2: a server SHOULD ignore at least one empty line received before the
    /// request-line. Skips a few, bounded so that a stream of CRLFs cannot hold a thread.
    /// - Returns: where the request line starts, or nil when only empty lines have arrived.
    private static func skipLeadingEmptyLines(_ buffer: ArraySlice<UInt8>) throws(HTTPError) -> Int? {
        var start = buffer.startIndex
        while start < buffer.endIndex {
            if buffer[start] == UInt8(ascii: "\n") {
                start += 1
            } else if buffer[start] == UInt8(ascii: "\r"), start + 1 < buffer.endIndex, buffer[start + 1] == UInt8(ascii: "\n") {
                start += 2
            } else {
                break
            }
            if start - buffer.startIndex > 16 { throw HTTPError(.badRequest, message: "The request starts with too many empty lines.") }
        }
        return start < buffer.endIndex ? start : nil
    }

    /// The index just past the empty line that ends the head (LF followed by CRLF or LF), or nil
    /// when it has not arrived; then remembers where to resume, so a trickled head is scanned once.
    private mutating func findHeadEnd(_ buffer: ArraySlice<UInt8>, from: Int) -> Int? {
        var scan = from
        while scan < buffer.endIndex {
            guard let lf = buffer[scan...].firstIndex(of: UInt8(ascii: "\n")) else {
                scan = buffer.endIndex
                break
            }
            let next = lf + 1
            if next < buffer.endIndex, buffer[next] == UInt8(ascii: "\n") { return next + 1 }
            if next + 1 < buffer.endIndex, buffer[next] == UInt8(ascii: "\r"), buffer[next + 1] == UInt8(ascii: "\n") {
                return next + 2
            }
            if next + 1 >= buffer.endIndex {
                // Not enough bytes yet to tell whether this LF starts the final empty line.
                scan = lf
                break
            }
            scan = next
        }
        searchFrom = scan - buffer.startIndex
        return nil
    }

    /// The field lines between the request line and the end of the head.
    private func parseFields(_ section: ArraySlice<UInt8>) throws(HTTPError) -> HTTPHeaders {
        var headers = HTTPHeaders()
        var lineStart = section.startIndex
        while lineStart < section.endIndex {
            guard let lineEnd = section[lineStart...].firstIndex(of: UInt8(ascii: "\n")) else { break }
            let line = Self.trimmingCR(section[lineStart..<lineEnd])
            lineStart = lineEnd + 1
            if line.isEmpty { break }
            if line.contains(UInt8(ascii: "\r")) {
                throw HTTPError(.badRequest, message: "A header line contains a bare carriage return.")
            }
            if headers.count == maxHeaderCount {
                throw HTTPError(.requestHeaderFieldsTooLarge, message: "The request has more than \(maxHeaderCount) header fields.")
            }
            do throws(FieldLineParser.Failure) {
                let field = try FieldLineParser.parse(line)
                headers.add(name: field.name, value: field.value)
            } catch {
                throw HTTPError(.badRequest, message: error.message)
            }
        }
        return headers
    }

    /// RFC 9112 §3.2: a server MUST respond 400 to an HTTP/1.1 request that lacks a Host
    /// header field and to any request with more than one Host header field.
    private static func checkHost(_ headers: HTTPHeaders, version: HTTPVersion) throws(HTTPError) {
        let hosts = headers.values(for: "Host")
        if hosts.count > 1 { throw HTTPError(.badRequest, message: "The request has more than one Host header field.") }
        if hosts.isEmpty && version == .http1_1 { throw HTTPError(.badRequest, message: "The request has no Host header field.") }
    }

    private static let uriTooLong = HTTPError(.uriTooLong, message: "The request line is too long.")
    private static let headTooLarge = HTTPError(.requestHeaderFieldsTooLarge, message: "The request header section is too large.")

    private static func trimmingCR(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        if line.last == UInt8(ascii: "\r") { return line.dropLast() }
        return line
    }

    /// RFC 9112 §3: `method SP request-target SP HTTP-version`, single spaces only.
    private static func parseRequestLine(_ line: ArraySlice<UInt8>) throws(HTTPError) -> (HTTPMethod, String, HTTPVersion) {
        let malformed = HTTPError(.badRequest, message: "The request line is malformed.")
        let parts = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw malformed }
        let method = parts[0], target = parts[1], version = parts[2]
        guard !method.isEmpty, method.allSatisfy(HTTPSyntax.isTokenByte) else { throw malformed }
        // RFC 3986 §2: a URI is ASCII without spaces or controls.
        guard !target.isEmpty, target.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { throw malformed }

        // RFC 9112 §2.3: HTTP-version = "HTTP/" DIGIT "." DIGIT, case-sensitive.
        let prefix = Array("HTTP/".utf8)
        guard version.count == 8, version.starts(with: prefix) else { throw malformed }
        let majorByte = version[version.startIndex + 5]
        let dot = version[version.startIndex + 6]
        let minorByte = version[version.startIndex + 7]
        guard dot == UInt8(ascii: "."),
              (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(majorByte),
              (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(minorByte)
        else { throw malformed }
        let major = Int(majorByte - UInt8(ascii: "0"))
        let minor = Int(minorByte - UInt8(ascii: "0"))
        guard major == 1 else {
            throw HTTPError(.httpVersionNotSupported, message: "HTTP/\(major).\(minor) is not supported; use HTTP/1.1.")
        }
        // RFC 9110 §6.2: a 1.x request with a higher minor version is answered as the highest
        // minor version the server supports.
        let parsedVersion: HTTPVersion = minor == 0 ? .http1_0 : .http1_1
        return (HTTPMethod(String(decoding: method, as: UTF8.self)), String(decoding: target, as: UTF8.self), parsedVersion)
    }
}
