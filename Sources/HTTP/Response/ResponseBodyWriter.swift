/// Writes the content of a streamed response (``HTTPResponseBody/stream(_:)``).
///
/// Bytes are coalesced up to ``flushThreshold`` before they go out as one chunk, so producers can
/// write small pieces (one CSV line at a time) without one system call each. Not `Sendable`: it
/// belongs to the connection thread that runs the producer.
package final class ResponseBodyWriter {
    /// Buffered bytes above which a chunk is sent: 32 KiB.
    package static let flushThreshold = 32 * 1024

    private let emit: ([UInt8]) throws(HTTPIOError) -> Void
    private var buffer: [UInt8] = []
    /// The number of content bytes written so far (before chunk framing).
    package private(set) var bytesWritten = 0

    /// Creates a writer that hands each chunk of content to `emit`; the server adds the framing.
    init(emit: @escaping ([UInt8]) throws(HTTPIOError) -> Void) {
        self.emit = emit
        buffer.reserveCapacity(ResponseBodyWriter.flushThreshold)
    }

    /// Appends content; sends a chunk once enough is buffered.
    package func write(_ bytes: some Sequence<UInt8>) throws(HTTPIOError) {
        let before = buffer.count
        buffer.append(contentsOf: bytes)
        bytesWritten += buffer.count - before
        if buffer.count >= ResponseBodyWriter.flushThreshold { try flush() }
    }

    /// Appends the UTF-8 bytes of `text`.
    package func write(_ text: String) throws(HTTPIOError) {
        try write(text.utf8)
    }

    /// Sends whatever is buffered now, e.g. before a slow step so the client sees progress.
    package func flush() throws(HTTPIOError) {
        guard !buffer.isEmpty else { return }
        let chunk = buffer
        buffer.removeAll(keepingCapacity: true)
        try emit(chunk)
    }
}
