/// A pull cursor over a `ByteChunkSource`: peek/advance one byte at a time, refilling across
/// chunk boundaries, so hand-written tokenizers (JSON, XML) never see a boundary.
///
/// A value type so that tokenizers holding it pay no dynamic exclusivity checks per byte.
/// Memory: one chunk of the source (the cursor copies nothing except what a caller asks to
/// collect). Offsets count bytes from the start of the source.
struct ByteCursor {
    private let source: any ByteChunkSource
    private var chunk = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    private var position = 0
    private var chunkStart: Int64 = 0
    private var ended = false

    init(source: any ByteChunkSource) {
        self.source = source
    }

    /// Offset of the next byte from the start of the source.
    var offset: Int64 { chunkStart + Int64(position) }

    /// The next byte without consuming it; nil at the end.
    @inline(__always)
    mutating func peek() throws(TabularError) -> UInt8? {
        if position < chunk.count { return chunk[position] }
        return try refill() ? chunk[position] : nil
    }

    /// Consumes the byte last returned by `peek()`.
    @inline(__always)
    mutating func advance() {
        position += 1
    }

    /// The next byte, consumed; nil at the end.
    @inline(__always)
    mutating func next() throws(TabularError) -> UInt8? {
        if position < chunk.count {
            defer { position += 1 }
            return chunk[position]
        }
        guard try refill() else { return nil }
        defer { position += 1 }
        return chunk[position]
    }

    /// Appends bytes to `buffer` until one for which `stop` is true (not consumed) or the end.
    /// Returns false if the end came first. Fails with `.limitExceeded` past `limit` bytes.
    @inline(__always)
    mutating func collect(into buffer: inout [UInt8], limit: Int, until stop: (UInt8) -> Bool) throws(TabularError) -> Bool {
        while true {
            if position >= chunk.count {
                guard try refill() else { return false }
            }
            guard let base = chunk.baseAddress else { return false }
            var j = position
            let end = chunk.count
            while j < end && !stop(base[j]) { j += 1 }
            if j > position {
                if buffer.count + (j - position) > limit {
                    // The offset of the first byte past the limit, wherever the chunks end.
                    throw TabularError(.limitExceeded, "value larger than \(limit) bytes (maxFieldBytes)",
                                       byteOffset: offset + Int64(max(0, limit - buffer.count)))
                }
                buffer.append(contentsOf: UnsafeBufferPointer(start: base + position, count: j - position))
            }
            position = j
            if j < end { return true }
        }
    }

    /// Hands `body` the bytes up to (not including) the first one for which `stop` is true,
    /// without copying when they lie in the current chunk (the common case) and through
    /// `scratch` when they cross a chunk boundary. Returns nil if the end came first.
    @inline(__always)
    mutating func run<R>(limit: Int, scratch: inout [UInt8], until stop: (UInt8) -> Bool,
                         _ body: (UnsafeBufferPointer<UInt8>) -> R) throws(TabularError) -> R? {
        if position < chunk.count, let base = chunk.baseAddress {
            var j = position
            let end = chunk.count
            while j < end && !stop(base[j]) { j += 1 }
            if j < end {
                if j - position > limit {
                    throw TabularError(.limitExceeded, "value larger than \(limit) bytes (maxFieldBytes)", byteOffset: offset + Int64(limit))
                }
                let result = body(UnsafeBufferPointer(start: base + position, count: j - position))
                position = j
                return result
            }
        }
        scratch.removeAll(keepingCapacity: true)
        guard try collect(into: &scratch, limit: limit, until: stop) else { return nil }
        return scratch.withUnsafeBufferPointer(body)
    }

    /// Skips bytes until one for which `stop` is true (not consumed). Returns false at the end.
    @inline(__always)
    mutating func skip(until stop: (UInt8) -> Bool) throws(TabularError) -> Bool {
        while true {
            if position >= chunk.count {
                guard try refill() else { return false }
            }
            guard let base = chunk.baseAddress else { return false }
            var j = position
            let end = chunk.count
            while j < end && !stop(base[j]) { j += 1 }
            position = j
            if j < end { return true }
        }
    }

    private mutating func refill() throws(TabularError) -> Bool {
        while !ended {
            chunkStart += Int64(chunk.count)
            position = 0
            chunk = try source.nextChunk()
            if chunk.isEmpty {
                ended = true
            } else {
                return true
            }
        }
        return false
    }
}
