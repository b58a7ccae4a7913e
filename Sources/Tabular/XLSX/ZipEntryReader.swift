import CZlib

/// Inflates one ZIP entry chunk by chunk (raw deflate through zlib, or stored), checking the
/// zip-bomb defences and the CRC as it goes. Memory: one 64 KiB input and one 256 KiB output buffer.
final class ZipEntryReader: ByteChunkSource {
    private static let inputBytes = 64 << 10
    private static let outputBytes = 256 << 10
    /// Inflated bytes below which the compression ratio is not checked (tiny parts compress well).
    private static let ratioFloorBytes: Int64 = 1 << 20

    let entry: ZipEntry
    private let archive: ZipArchive
    private let limits: ReadLimits
    private let dataOffset: Int64
    private let input: UnsafeMutableRawBufferPointer
    private let output: UnsafeMutableRawBufferPointer
    private let stream: UnsafeMutablePointer<z_stream>
    private var streamReady = false
    private var done = false
    private var crc: UInt = 0
    /// Compressed bytes read from the file so far.
    private(set) var compressedRead: Int64 = 0
    /// Bytes produced so far.
    private(set) var inflatedBytes: Int64 = 0

    init(archive: ZipArchive, entry: ZipEntry, limits: ReadLimits) throws(TabularError) {
        guard entry.flags & 1 == 0 else {
            throw TabularError(.malformedXLSX, "\(entry.name) is encrypted; password-protected workbooks are not supported")
        }
        guard entry.method == 0 || entry.method == 8 else {
            throw TabularError(.malformedXLSX, "\(entry.name) uses ZIP compression method \(entry.method); only stored and deflate are supported")
        }
        self.archive = archive
        self.entry = entry
        self.limits = limits
        self.dataOffset = try archive.dataOffset(of: entry)
        input = .allocate(byteCount: Self.inputBytes, alignment: 16)
        output = .allocate(byteCount: Self.outputBytes, alignment: 16)
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        if entry.method == 8 {
            // zlib keeps a pointer to the z_stream, so it lives at a stable heap address.
            // The inflateInit2 macro is not imported; -MAX_WBITS selects raw deflate (no zlib header).
            let status = inflateInit2_(stream, -MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
            guard status == Z_OK else {
                input.deallocate()
                output.deallocate()
                stream.deallocate()
                throw TabularError(.malformedXLSX, "cannot start inflating \(entry.name) (zlib status \(status))")
            }
            streamReady = true
        }
    }

    deinit {
        if streamReady { inflateEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
        input.deallocate()
        output.deallocate()
    }

    func nextChunk() throws(TabularError) -> UnsafeBufferPointer<UInt8> {
        let empty = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
        guard !done else { return empty }
        let produced = entry.method == 8 ? try inflateSome() : try copySome()
        guard let base = output.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return empty }
        if produced == 0 {
            try finishEntry()
            return empty
        }
        let chunk = UnsafeBufferPointer(start: UnsafePointer(base), count: produced)
        crc = crc32(crc, chunk.baseAddress, UInt32(produced))
        inflatedBytes += Int64(produced)
        try archive.budget.spend(produced, entry: entry.name)
        if inflatedBytes > entry.uncompressedSize {
            throw TabularError(.malformedXLSX, "\(entry.name) inflates to more than its declared \(entry.uncompressedSize) bytes")
        }
        // Compare with the compressed bytes inflate actually consumed, not those read ahead.
        let consumed = compressedRead - Int64(stream.pointee.avail_in)
        let (allowed, overflow) = Int64(limits.maxCompressionRatio).multipliedReportingOverflow(by: max(consumed, 1))
        if inflatedBytes > Self.ratioFloorBytes, !overflow, inflatedBytes > allowed {
            throw TabularError(.limitExceeded, "\(entry.name) expands more than \(limits.maxCompressionRatio)× (maxCompressionRatio); refusing a possible zip bomb")
        }
        return chunk
    }

    /// Reads the next piece of compressed data into `input`; returns its length.
    private func readInput() throws(TabularError) -> Int { try readCompressed(into: input) }

    /// A stored (uncompressed) entry: its bytes go straight to `output`.
    private func copySome() throws(TabularError) -> Int { try readCompressed(into: output) }

    /// Reads the entry's next raw bytes into `buffer`; 0 at the end of the entry.
    private func readCompressed(into buffer: UnsafeMutableRawBufferPointer) throws(TabularError) -> Int {
        let remaining = entry.compressedSize - compressedRead
        guard remaining > 0 else { return 0 }
        let wanted = Int(min(Int64(buffer.count), remaining))
        let n = try archive.file.read(at: dataOffset + compressedRead, into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<wanted]))
        guard n == wanted else {
            throw TabularError(.malformedXLSX, "truncated ZIP archive while reading \(entry.name)")
        }
        compressedRead += Int64(n)
        return n
    }

    private var streamEnded = false

    private func inflateSome() throws(TabularError) -> Int {
        guard !streamEnded,
              let outBase = output.baseAddress?.assumingMemoryBound(to: Bytef.self),
              let inBase = input.baseAddress?.assumingMemoryBound(to: Bytef.self) else { return 0 }
        stream.pointee.next_out = outBase
        stream.pointee.avail_out = UInt32(output.count)
        while stream.pointee.avail_out > 0 {
            if stream.pointee.avail_in == 0 {
                let n = try readInput()
                if n > 0 {
                    stream.pointee.next_in = inBase
                    stream.pointee.avail_in = UInt32(n)
                }
            }
            let status = inflate(stream, Z_NO_FLUSH)
            if status == Z_STREAM_END {
                streamEnded = true
                break
            }
            if status == Z_BUF_ERROR, stream.pointee.avail_in == 0, compressedRead >= entry.compressedSize {
                throw TabularError(.malformedXLSX, "truncated compressed data in \(entry.name)")
            }
            guard status == Z_OK || status == Z_BUF_ERROR else {
                throw TabularError(.malformedXLSX, "damaged compressed data in \(entry.name) (zlib status \(status))")
            }
        }
        return output.count - Int(stream.pointee.avail_out)
    }

    private func finishEntry() throws(TabularError) {
        done = true
        guard inflatedBytes == entry.uncompressedSize else {
            throw TabularError(.malformedXLSX, "\(entry.name) inflates to \(inflatedBytes) bytes, not the declared \(entry.uncompressedSize)")
        }
        guard UInt32(truncatingIfNeeded: crc) == entry.crc32 else {
            throw TabularError(.malformedXLSX, "\(entry.name) is damaged (CRC mismatch)")
        }
    }
}
