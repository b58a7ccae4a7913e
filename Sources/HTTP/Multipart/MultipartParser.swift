import Glibc

/// An incremental `multipart/form-data` parser (RFC 7578, RFC 2046 §5.1).
///
/// Sans-I/O, like multipart-kit: it never reads a socket. Feed it bytes as they arrive, in
/// pieces of any size, and it returns events; a boundary split across two feeds is found all
/// the same, because up to one delimiter's length of undecided bytes is held back. Memory stays
/// bounded by the limits: part bodies are handed out as they are scanned, never accumulated
/// (only non-file fields are counted against ``MultipartLimits/maxFieldBytes``, and it is the
/// caller who keeps them).
///
/// Two ways in: ``feed(_:)`` copies the bytes in and returns events with copied content, for
/// tests and small bodies; ``fill(upTo:_:)`` lets the caller read straight into the parser's
/// buffer and ``process(_:)`` hands content out as views of that buffer, so an upload is read
/// into one buffer and written from it with no copy in between. The delimiter is found with a
/// Horspool search over the whole buffer (``SubstringSearch``), not byte by byte.
package struct MultipartParser: Sendable {
    private enum State: Sendable {
        case preamble
        case afterDelimiter
        case headers
        case body
        case epilogue
    }

    /// What ``process(_:)`` hands out. `bodyChunk` views the parser's buffer: valid only
    /// during the call.
    package enum Piece {
        case partHeaders(MultipartPartHead)
        case bodyChunk(UnsafeRawBufferPointer)
        case partEnd
        case end
    }

    /// The boundary from the `Content-Type` header, without the leading `--`.
    package let boundary: String
    /// The limits enforced while parsing.
    package let limits: MultipartLimits

    /// `CRLF "--" boundary`: every delimiter, the first included once the virtual CRLF below is
    /// prepended, looks like this.
    private let delimiter: [UInt8]
    private let delimiterSearch: SubstringSearch
    /// The CRLF CRLF that ends a part's header section.
    private static let headerEndSearch = SubstringSearch([13, 10, 13, 10])
    /// The undecided bytes are `storage[start..<end]`; `storage.count` is the capacity.
    private var storage: [UInt8]
    private var start = 0
    private var end = 0
    private var state = State.preamble
    private var partCount = 0
    private var partIsOpen = false
    private var currentName = ""
    private var currentIsFile = false
    private var currentBytes = 0
    private var preambleBytes = 0
    /// Where the search for the end of a part's headers resumes (relative to `start`), so
    /// trickled headers are scanned once.
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
        self.delimiterSearch = SubstringSearch(delimiter)
        // RFC 2046 §5.1.1: the CRLF before a boundary belongs to the boundary. The first
        // boundary may start the body with no CRLF before it, so pretend there was one.
        self.storage = [13, 10]
        self.end = 2
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

    private var pendingCount: Int { end - start }

    /// Parses `bytes` and returns the events they complete.
    package mutating func feed(_ bytes: some Collection<UInt8>) throws(MultipartError) -> [MultipartEvent] {
        if case .epilogue = state { return [] }
        reserve(bytes.count)
        storage.replaceSubrange(end..<(end + bytes.count), with: bytes)
        end += bytes.count
        var events: [MultipartEvent] = []
        try process { (piece: Piece) throws(MultipartError) in
            switch piece {
            case .partHeaders(let head): events.append(.partHeaders(head))
            case .bodyChunk(let raw): events.append(.bodyChunk(Array(raw)))
            case .partEnd: events.append(.partEnd)
            case .end: events.append(.end)
            }
        }
        return events
    }

    /// Lets `read` write up to `maxBytes` new input bytes straight into the parser's buffer;
    /// `read` returns how many it wrote (`0` at the end of the input). Call ``process(_:)``
    /// after each fill. Past the closing boundary the bytes are read and dropped.
    package mutating func fill<E: Error>(
        upTo maxBytes: Int, _ read: (UnsafeMutableRawBufferPointer) throws(E) -> Int
    ) throws(E) -> Int {
        if case .epilogue = state { start = 0; end = 0 }
        let wanted = max(1, maxBytes)
        reserve(wanted)
        let offset = end
        let result: Result<Int, E> = storage.withUnsafeMutableBytes { raw in
            Result { () throws(E) in try read(UnsafeMutableRawBufferPointer(rebasing: raw[offset..<(offset + wanted)])) }
        }
        let count = min(max(0, try result.get()), wanted)
        end += count
        return count
    }

    /// Parses what the buffer holds and hands out what it completes, in order. Content bytes
    /// that may begin a delimiter stay in the buffer for the next call.
    package mutating func process(_ handle: (Piece) throws(MultipartError) -> Void) throws(MultipartError) {
        while try step(handle) {}
        if start == end { start = 0; end = 0 }
    }

    /// Declares the end of the input.
    ///
    /// - Throws: ``MultipartError/truncated`` unless the closing boundary was seen.
    package mutating func finish() throws(MultipartError) {
        guard isComplete else { throw .truncated }
    }

    /// Makes room for `count` more bytes after `end`, moving the undecided bytes to the front
    /// (they are at most a delimiter's length while in a body) before growing.
    private mutating func reserve(_ count: Int) {
        if storage.count - end >= count { return }
        if start > 0 {
            let moving = end - start
            if moving > 0 {
                let from = start
                storage.withUnsafeMutableBytes { raw in
                    guard let base = raw.baseAddress else { return }
                    memmove(base, base + from, moving)
                }
            }
            start = 0
            end = moving
            if storage.count - end >= count { return }
        }
        var grown = max(storage.count * 2, end + count)
        grown = max(grown, 4096)
        storage.append(contentsOf: repeatElement(0, count: grown - storage.count))
    }

    /// Makes one step of progress; returns false when more input is needed.
    private mutating func step(_ handle: (Piece) throws(MultipartError) -> Void) throws(MultipartError) -> Bool {
        switch state {
        case .preamble: return try stepPreamble()
        case .afterDelimiter: return try stepAfterDelimiter(handle)
        case .headers: return try stepHeaders(handle)
        case .body: return try stepBody(handle)
        case .epilogue:
            start = end
            return false
        }
    }

    /// Skips the preamble up to the first delimiter, counting it against its limit.
    private mutating func stepPreamble() throws(MultipartError) -> Bool {
        if let found = find(delimiterSearch, from: 0) {
            preambleBytes += found
            if preambleBytes > limits.maxPreambleBytes { throw .preambleTooLarge(limit: limits.maxPreambleBytes) }
            start += found + delimiter.count
            state = .afterDelimiter
            return true
        }
        let keep = min(pendingCount, delimiter.count - 1)
        let drop = pendingCount - keep
        preambleBytes += drop
        if preambleBytes > limits.maxPreambleBytes { throw .preambleTooLarge(limit: limits.maxPreambleBytes) }
        start += drop
        return false
    }

    /// After a boundary: `--` closes the body; otherwise optional padding and CRLF open a part.
    private mutating func stepAfterDelimiter(_ handle: (Piece) throws(MultipartError) -> Void) throws(MultipartError) -> Bool {
        guard pendingCount >= 2 else { return false }
        if storage[start] == UInt8(ascii: "-") && storage[start + 1] == UInt8(ascii: "-") {
            // RFC 2046 §5.1.1: "--" after the boundary closes the body; the rest is epilogue.
            if partIsOpen { try handle(.partEnd) }
            partIsOpen = false
            try handle(.end)
            start = end
            state = .epilogue
            return false
        }
        // RFC 2046 §5.1.1: transport padding (linear whitespace) may follow a boundary
        // before its CRLF.
        let pending = storage[start..<end]
        guard let lf = pending.firstIndex(of: 10) else {
            if pendingCount > 256 || !pending.allSatisfy({ HTTPSyntax.isWhitespace($0) || $0 == 13 }) {
                throw .malformed("a boundary is followed by unexpected bytes.")
            }
            return false
        }
        let padding = storage[start..<lf]
        guard padding.last == 13, padding.dropLast().allSatisfy(HTTPSyntax.isWhitespace) else {
            throw .malformed("a boundary is followed by unexpected bytes.")
        }
        start = lf + 1
        if partIsOpen { try handle(.partEnd) }
        partIsOpen = false
        partCount += 1
        if partCount > limits.maxParts { throw .tooManyParts(limit: limits.maxParts) }
        state = .headers
        return true
    }

    /// A part's header section, up to the CRLF CRLF that ends it.
    private mutating func stepHeaders(_ handle: (Piece) throws(MultipartError) -> Void) throws(MultipartError) -> Bool {
        let headerEnd: Int
        let consumed: Int
        if pendingCount >= 2 && storage[start] == 13 && storage[start + 1] == 10 {
            headerEnd = 0
            consumed = 2
        } else if let found = find(Self.headerEndSearch, from: headerSearchFrom) {
            headerEnd = found
            consumed = found + 4
        } else {
            // The last 3 bytes may begin the CRLF CRLF that ends the headers, so only what
            // comes before them surely belongs to the header section.
            if pendingCount - 3 > limits.maxPartHeaderBytes { throw .partHeadersTooLarge(limit: limits.maxPartHeaderBytes) }
            headerSearchFrom = max(0, pendingCount - 3)
            return false
        }
        headerSearchFrom = 0
        if headerEnd > limits.maxPartHeaderBytes { throw .partHeadersTooLarge(limit: limits.maxPartHeaderBytes) }
        let head = try Self.parsePartHead(storage[start..<(start + headerEnd)])
        start += consumed
        partIsOpen = true
        currentName = head.name ?? ""
        currentIsFile = head.isFile
        currentBytes = 0
        try handle(.partHeaders(head))
        state = .body
        return true
    }

    /// A part's content, up to the next delimiter; what may begin a delimiter waits for more.
    private mutating func stepBody(_ handle: (Piece) throws(MultipartError) -> Void) throws(MultipartError) -> Bool {
        if let found = find(delimiterSearch, from: 0) {
            if found > 0 { try emit(found, handle) }
            start += delimiter.count
            state = .afterDelimiter
            return true
        }
        // Everything except a possible delimiter prefix at the end is certainly content.
        let safe = pendingCount - (delimiter.count - 1)
        if safe > 0 { try emit(safe, handle) }
        return false
    }

    /// Hands out the first `count` pending bytes as content of the current part.
    private mutating func emit(_ count: Int, _ handle: (Piece) throws(MultipartError) -> Void) throws(MultipartError) {
        currentBytes += count
        if currentIsFile {
            if currentBytes > limits.maxFileBytes { throw .fileTooLarge(limit: limits.maxFileBytes) }
        } else if currentBytes > limits.maxFieldBytes {
            throw .fieldTooLarge(name: currentName, limit: limits.maxFieldBytes)
        }
        let from = start
        let result: Result<Void, MultipartError> = storage.withUnsafeBytes { raw in
            Result { () throws(MultipartError) in try handle(.bodyChunk(UnsafeRawBufferPointer(rebasing: raw[from..<(from + count)]))) }
        }
        try result.get()
        start += count
    }

    /// The first offset (relative to `start`) at or after `offset` where `search`'s needle
    /// occurs in the pending bytes, found over the whole buffer at once (Horspool), not byte by byte.
    private func find(_ search: SubstringSearch, from offset: Int) -> Int? {
        let length = pendingCount - offset
        guard offset >= 0, length >= search.needle.count else { return nil }
        let from = start + offset
        return storage.withUnsafeBytes { raw -> Int? in
            search.firstOffset(in: UnsafeRawBufferPointer(rebasing: raw[from..<(from + length)])).map { $0 + offset }
        }
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
