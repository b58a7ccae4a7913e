/// The body of a request, pulled by the handler as it needs it.
///
/// For routes with ``RouteOptions/streamingBody`` the bytes come straight from the socket, with
/// the server's body deadline on every read, so an upload can go to disk without being held in
/// memory; for other routes the server has already read the body into memory and the same
/// calls serve it from there. Not `Sendable`: it belongs to the connection thread.
///
/// Reading is where the server honours `Expect: 100-continue` on streaming routes: the interim
/// `100 Continue` is sent on the first read, so a handler that rejects the request (e.g. `413`
/// after checking ``expectedLength``) never makes the client send the body.
package final class BodyStream {
    private var source: any BodySource
    private let memory: [UInt8]?

    /// The declared `Content-Length`, or `nil` for a chunked body.
    package let expectedLength: Int?
    /// The most body bytes this stream will deliver; a body that proves longer fails with `413`.
    /// A handler may lower it (e.g. to a per-importer upload limit) before reading.
    package var maxBytes: Int
    /// Body bytes delivered so far.
    package private(set) var bytesRead = 0
    /// Whether the end of the body has been reached.
    package private(set) var isFinished = false

    /// A stream over bytes in memory, e.g. for tests that call the router without sockets.
    package convenience init(bytes: [UInt8]) {
        self.init(source: MemoryBodySource(bytes: bytes), expectedLength: bytes.count, maxBytes: Int.max, memory: bytes)
    }

    init(source: any BodySource, expectedLength: Int?, maxBytes: Int, memory: [UInt8]? = nil) {
        self.source = source
        self.expectedLength = expectedLength
        self.maxBytes = maxBytes
        self.memory = memory
        if expectedLength == 0 { isFinished = true }
    }

    /// The whole body when the server buffered it (non-streaming routes) or it was created from
    /// bytes; `nil` for a socket stream. Reading does not change it.
    package var buffered: [UInt8]? { memory }

    /// Trailer fields of a chunked body, available once ``isFinished``.
    package var trailers: HTTPHeaders { source.trailers }

    /// Replaces the contents of `buffer` with the next body bytes, at most `maxBytes`
    /// (default 64 KiB).
    ///
    /// - Returns: the number of bytes now in `buffer`; `0` only at the end of the body.
    /// - Throws: ``HTTPError`` `413` past ``maxBytes``, `408` when the client stalls longer than
    ///   the server's body timeout, `400` when the body is malformed or cut short. After an
    ///   error the connection is closed once the response is sent.
    @discardableResult
    package func read(into buffer: inout [UInt8], maxBytes chunkBytes: Int = 64 * 1024) throws(HTTPError) -> Int {
        buffer.removeAll(keepingCapacity: true)
        guard !isFinished else { return 0 }
        if let expectedLength, expectedLength > maxBytes {
            throw HTTPError(.contentTooLarge, message: "The request body is larger than \(maxBytes) bytes.")
        }
        let count = try source.read(into: &buffer, maxBytes: max(1, chunkBytes))
        if count == 0 {
            isFinished = true
            return 0
        }
        bytesRead += count
        if bytesRead > maxBytes {
            throw HTTPError(.contentTooLarge, message: "The request body is larger than \(maxBytes) bytes.")
        }
        if source.isAtEnd { isFinished = true }
        return count
    }

    /// Writes the next body bytes into `buffer` (at most its size) with no intermediate copy:
    /// a `Content-Length` body whose bytes are not already buffered is received from the
    /// socket straight into `buffer`.
    ///
    /// - Returns: the number of bytes written; `0` only at the end of the body.
    /// - Throws: as ``read(into:maxBytes:)``.
    package func read(into buffer: UnsafeMutableRawBufferPointer) throws(HTTPError) -> Int {
        guard !isFinished, buffer.count > 0 else { return 0 }
        if let expectedLength, expectedLength > maxBytes {
            throw HTTPError(.contentTooLarge, message: "The request body is larger than \(maxBytes) bytes.")
        }
        let count = try source.read(into: buffer)
        if count == 0 {
            isFinished = true
            return 0
        }
        bytesRead += count
        if bytesRead > maxBytes {
            throw HTTPError(.contentTooLarge, message: "The request body is larger than \(maxBytes) bytes.")
        }
        if source.isAtEnd { isFinished = true }
        return count
    }

    /// Reads the rest of the body into memory.
    ///
    /// - Parameter limit: the most bytes to accept (in addition to ``maxBytes``); more is `413`.
    package func collect(limit: Int = .max) throws(HTTPError) -> [UInt8] {
        var result: [UInt8] = []
        var chunk: [UInt8] = []
        while try read(into: &chunk) > 0 {
            result.append(contentsOf: chunk)
            if result.count > limit {
                throw HTTPError(.contentTooLarge, message: "The request body is larger than \(limit) bytes.")
            }
        }
        return result
    }
}

/// Where a ``BodyStream`` gets its bytes.
protocol BodySource: AnyObject {
    /// Appends up to `maxBytes` body bytes to `buffer`; returns how many, `0` at the end.
    func read(into buffer: inout [UInt8], maxBytes: Int) throws(HTTPError) -> Int
    /// Writes up to `buffer.count` body bytes into `buffer`; returns how many, `0` at the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(HTTPError) -> Int
    /// Whether the last byte of the body has been delivered.
    var isAtEnd: Bool { get }
    /// Chunked trailers, once at the end.
    var trailers: HTTPHeaders { get }
}

/// A body already in memory.
final class MemoryBodySource: BodySource {
    private let bytes: [UInt8]
    private var offset = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    func read(into buffer: inout [UInt8], maxBytes: Int) throws(HTTPError) -> Int {
        let count = min(maxBytes, bytes.count - offset)
        buffer.append(contentsOf: bytes[offset..<(offset + count)])
        offset += count
        return count
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(HTTPError) -> Int {
        let count = min(buffer.count, bytes.count - offset)
        if count > 0 {
            bytes.withUnsafeBytes { raw in
                buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + count)]))
            }
        }
        offset += count
        return count
    }

    var isAtEnd: Bool { offset == bytes.count }
    var trailers: HTTPHeaders { HTTPHeaders() }
}
