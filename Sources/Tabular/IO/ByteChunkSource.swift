/// Something that hands out bytes in chunks: a file, an inflating ZIP entry, a test array.
///
/// The returned view is valid until the next call; an empty view means the end.
protocol ByteChunkSource: AnyObject {
    func nextChunk() throws(TabularError) -> UnsafeBufferPointer<UInt8>
}

extension FileByteSource: ByteChunkSource {
    func nextChunk() throws(TabularError) -> UnsafeBufferPointer<UInt8> {
        try readBlock()
    }
}

/// Chunks of an in-memory array of a fixed size (tests use size 1 to prove boundaries don't matter).
final class ArrayChunkSource: ByteChunkSource {
    private let storage: UnsafeMutableBufferPointer<UInt8>
    private let chunkSize: Int
    private var position = 0

    init(_ bytes: [UInt8], chunkSize: Int = 1 << 16) {
        storage = .allocate(capacity: max(bytes.count, 1))
        _ = storage.initialize(from: bytes)
        self.count = bytes.count
        self.chunkSize = max(chunkSize, 1)
    }

    private let count: Int

    deinit {
        storage.deallocate()
    }

    func nextChunk() throws(TabularError) -> UnsafeBufferPointer<UInt8> {
        let n = min(chunkSize, count - position)
        guard n > 0, let base = storage.baseAddress else { return UnsafeBufferPointer(start: nil, count: 0) }
        defer { position += n }
        return UnsafeBufferPointer(start: base + position, count: n)
    }
}
