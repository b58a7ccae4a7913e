/// An incremental `multipart/form-data` parser (RFC 7578, RFC 2046 §5.1).
///
/// Sans-I/O, like multipart-kit: it never reads a socket. Feed it bytes as they arrive, in
/// pieces of any size, and it returns events; a boundary split across two feeds is found all
/// the same, because up to one delimiter's length of undecided bytes is held back. Memory stays
/// bounded by the limits: part bodies are handed out as they are scanned, never accumulated
/// (only non-file fields are counted against ``MultipartLimits/maxFieldBytes``, and it is the
/// caller who keeps them).
package struct MultipartParser: Sendable {
    private enum State: Sendable {
        case preamble
        case afterDelimiter
        case headers
        case body
        case epilogue
    }

    /// The boundary from the `Content-Type` header, without the leading `--`.
    package let boundary: String
    /// The limits enforced while parsing.
    package let limits: MultipartLimits

    /// `CRLF "--" boundary`: every delimiter, the first included once the virtual CRLF below is
    /// prepended, looks like this.
    private let delimiter: [UInt8]
    private var pending: [UInt8]
    private var state = State.preamble
    private var partCount = 0
    private var partIsOpen = false
    private var currentName = ""
    private var currentIsFile = false
    private var currentBytes = 0
    private var preambleBytes = 0
    /// Where the search for the end of a part's headers resumes, so trickled headers are
    /// scanned once.
    private var headerSearchFrom = 0

    /// Creates a parser for `boundary` (RFC 2046 §5.1.1: 1 to 70 characters, no trailing space).
    package init(boundary: String, limits: MultipartLimits = MultipartLimits()) throws(MultipartError) {
        let bytes = Array(boundary.utf8)
        guard (1...70).contains(bytes.count), bytes.last != UInt8(ascii: " "),
              bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F })
        else { throw .invalidBoundary }
        self.boundary = boundary
        self.limits = limits
        self.delimiter = [13, 10, UInt8(ascii: "-"), UInt8(ascii: "-")] + bytes
        // RFC 2046 §5.1.1: the CRLF before a boundary belongs to the boundary. The first
        // boundary may start the body with no CRLF before it, so pretend there was one.
        self.pending = [13, 10]
    }

    /// The boundary parameter of a `multipart/form-data` `Content-Type` value (quoted or not),
    /// or `nil` when the media type is different or the parameter is missing.
    package static func boundary(fromContentType contentType: String) -> String? {
        guard let parsed = HeaderParameters.parse(contentType), parsed.value == "multipart/form-data",
              let boundary = parsed["boundary"], !boundary.isEmpty
        else { return nil }
        return boundary
    }

    /// Whether the closing boundary has been seen.
    package var isComplete: Bool {
        if case .epilogue = state { return true }
        return false
    }

    /// Parses `bytes` and returns the events they complete.
    package mutating func feed(_ bytes: some Collection<UInt8>) throws(MultipartError) -> [MultipartEvent] {
        if case .epilogue = state { return [] }
        pending.append(contentsOf: bytes)
        var events: [MultipartEvent] = []
        while try step(&events) {}
        return events
    }

    /// Declares the end of the input.
    ///
    /// - Throws: ``MultipartError/truncated`` unless the closing boundary was seen.
    package mutating func finish() throws(MultipartError) {
        guard isComplete else { throw .truncated }
    }

    /// Makes one step of progress; returns false when more input is needed.
    private mutating func step(_ events: inout [MultipartEvent]) throws(MultipartError) -> Bool {
        switch state {
        case .preamble: return try stepPreamble()
        case .afterDelimiter: return try stepAfterDelimiter(&events)
        case .headers: return try stepHeaders(&events)
        case .body: return try stepBody(&events)
        case .epilogue:
            pending.removeAll()
            return false
        }
    }

    /// Skips the preamble up to the first delimiter, counting it against its limit.
    private mutating func stepPreamble() throws(MultipartError) -> Bool {
        if let found = find(delimiter, in: pending) {
            preambleBytes += found
            if preambleBytes > limits.maxPreambleBytes { throw .preambleTooLarge(limit: limits.maxPreambleBytes) }
            pending.removeFirst(found + delimiter.count)
            state = .afterDelimiter
            return true
        }
        let keep = min(pending.count, delimiter.count - 1)
        let drop = pending.count - keep
        preambleBytes += drop
        if preambleBytes > limits.maxPreambleBytes { throw .preambleTooLarge(limit: limits.maxPreambleBytes) }
        pending.removeFirst(drop)
        return false
    }

    /// After a boundary: `--` closes the body; otherwise optional padding and CRLF open a part.
    private mutating func stepAfterDelimiter(_ events: inout [MultipartEvent]) throws(MultipartError) -> Bool {
        guard pending.count >= 2 else { return false }
        if pending[0] == UInt8(ascii: "-") && pending[1] == UInt8(ascii: "-") {
            // RFC 2046 §5.1.1: "--" after the boundary closes the body; the rest is epilogue.
            if partIsOpen { events.append(.partEnd) }
            partIsOpen = false
            events.append(.end)
            pending.removeAll()
            state = .epilogue
            return false
        }
        // RFC 2046 §5.1.1: transport padding (linear whitespace) may follow a boundary
        // before its CRLF.
        guard let lf = pending.firstIndex(of: 10) else {
            if pending.count > 256 || !pending.allSatisfy({ HTTPSyntax.isWhitespace($0) || $0 == 13 }) {
                throw .malformed("a boundary is followed by unexpected bytes.")
            }
            return false
        }
        let padding = pending[0..<lf]
        guard padding.last == 13, padding.dropLast().allSatisfy(HTTPSyntax.isWhitespace) else {
            throw .malformed("a boundary is followed by unexpected bytes.")
        }
        pending.removeFirst(lf + 1)
        if partIsOpen { events.append(.partEnd) }
        partIsOpen = false
        partCount += 1
        if partCount > limits.maxParts { throw .tooManyParts(limit: limits.maxParts) }
        state = .headers
        return true
    }

    /// A part's header section, up to the CRLF CRLF that ends it.
    private mutating func stepHeaders(_ events: inout [MultipartEvent]) throws(MultipartError) -> Bool {
        let headerEnd: Int
        let consumed: Int
        if pending.count >= 2 && pending[0] == 13 && pending[1] == 10 {
            headerEnd = 0
            consumed = 2
        } else if let found = find([13, 10, 13, 10], in: pending, from: headerSearchFrom) {
            headerEnd = found
            consumed = found + 4
        } else {
            // The last 3 bytes may begin the CRLF CRLF that ends the headers, so only what
            // comes before them surely belongs to the header section.
            if pending.count - 3 > limits.maxPartHeaderBytes { throw .partHeadersTooLarge(limit: limits.maxPartHeaderBytes) }
            headerSearchFrom = max(0, pending.count - 3)
            return false
        }
        headerSearchFrom = 0
        if headerEnd > limits.maxPartHeaderBytes { throw .partHeadersTooLarge(limit: limits.maxPartHeaderBytes) }
        let head = try Self.parsePartHead(pending[0..<headerEnd])
        pending.removeFirst(consumed)
        partIsOpen = true
        currentName = head.name ?? ""
        currentIsFile = head.isFile
        currentBytes = 0
        events.append(.partHeaders(head))
        state = .body
        return true
    }

    /// A part's content, up to the next delimiter; what may begin a delimiter waits for more.
    private mutating func stepBody(_ events: inout [MultipartEvent]) throws(MultipartError) -> Bool {
        if let found = find(delimiter, in: pending) {
            if found > 0 { try emit(found, into: &events) }
            pending.removeFirst(delimiter.count)
            state = .afterDelimiter
            return true
        }
        // Everything except a possible delimiter prefix at the end is certainly content.
        let safe = pending.count - (delimiter.count - 1)
        if safe > 0 { try emit(safe, into: &events) }
        return false
    }

    /// Hands out the first `count` pending bytes as content of the current part.
    private mutating func emit(_ count: Int, into events: inout [MultipartEvent]) throws(MultipartError) {
        currentBytes += count
        if currentIsFile {
            if currentBytes > limits.maxFileBytes { throw .fileTooLarge(limit: limits.maxFileBytes) }
        } else if currentBytes > limits.maxFieldBytes {
            throw .fieldTooLarge(name: currentName, limit: limits.maxFieldBytes)
        }
        events.append(.bodyChunk(Array(pending[0..<count])))
        pending.removeFirst(count)
    }

    /// The first index where `needle` occurs in `haystack`.
    private func find(_ needle: [UInt8], in haystack: [UInt8], from offset: Int = 0) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        var start = offset
        let last = haystack.count - needle.count
        while start <= last {
            guard let candidate = haystack[start...last].firstIndex(of: first) else { return nil }
            if haystack[candidate..<(candidate + needle.count)].elementsEqual(needle) { return candidate }
            start = candidate + 1
        }
        return nil
    }

    /// Parses a part's header lines and its `Content-Disposition` (RFC 7578 §4.2).
    private static func parsePartHead(_ bytes: ArraySlice<UInt8>) throws(MultipartError) -> MultipartPartHead {
        var headers = HTTPHeaders()
        var lineStart = bytes.startIndex
        while lineStart < bytes.endIndex {
            var lineEnd = bytes[lineStart...].firstIndex(of: 10) ?? bytes.endIndex
            let next = lineEnd == bytes.endIndex ? lineEnd : lineEnd + 1
            if lineEnd > lineStart, bytes[lineEnd - 1] == 13 { lineEnd -= 1 }
            do throws(FieldLineParser.Failure) {
                let field = try FieldLineParser.parse(bytes[lineStart..<lineEnd])
                headers.add(name: field.name, value: field.value)
            } catch {
                throw .malformed(error.message)
            }
            lineStart = next
        }
        var name: String?
        var filename: String?
        if let disposition = headers["Content-Disposition"] {
            guard let parsed = HeaderParameters.parse(disposition) else {
                throw .malformed("a Content-Disposition header cannot be parsed.")
            }
            name = parsed["name"]
            filename = parsed["filename"]
            // RFC 6266 §4.3: filename* is preferred when the recipient understands it.
            if let extended = parsed["filename*"], let decoded = HeaderParameters.decodeExtendedValue(extended) {
                filename = decoded
            }
        }
        return MultipartPartHead(name: name, filename: filename, contentType: headers["Content-Type"], headers: headers)
    }
}
