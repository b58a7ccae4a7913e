/// The directory of a ZIP archive (PKWARE APPNOTE 6.3), read from the end of the file.
///
/// Only the central directory is trusted for names and sizes, which also covers entries
/// written with data descriptors (general purpose flag bit 3), whose local headers carry zero
/// sizes. Nothing is ever extracted to disk: entries are inflated into memory, chunk by chunk,
/// through `ZipEntryReader`.
final class ZipArchive {
    let file: FileByteSource
    /// Entries by name.
    private(set) var entries: [String: ZipEntry] = [:]
    private let limits: ReadLimits
    /// Bytes inflated so far from all entries, shared by every entry reader (zip-bomb budget).
    let budget: InflateBudget

    /// Largest central directory read into memory, in bytes: 64 MiB, far above the ~100 bytes
    /// per entry of real workbooks times `maxZipEntries`.
    static let maxDirectoryBytes: Int64 = 64 << 20

    init(file: FileByteSource, limits: ReadLimits) throws(TabularError) {
        self.file = file
        self.limits = limits
        self.budget = InflateBudget(maxBytes: limits.maxUncompressedBytes)
        try readCentralDirectory()
    }

    /// The entry called `name`, or nil.
    func entry(_ name: String) -> ZipEntry? {
        entries[name]
    }

    /// A chunk source that inflates `entry`.
    func open(_ entry: ZipEntry) throws(TabularError) -> ZipEntryReader {
        try ZipEntryReader(archive: self, entry: entry, limits: limits)
    }

    private static func malformed(_ message: String, at offset: Int64? = nil) -> TabularError {
        TabularError(.malformedXLSX, message, byteOffset: offset)
    }

    private func readCentralDirectory() throws(TabularError) {
        if try file.read(at: 0, count: 8) == TableReaders.compoundFileMagic {
            throw Self.malformed("this is a legacy .xls workbook or an encrypted .xlsx, not an XLSX (ZIP) file; save it as .xlsx without a password")
        }
        guard let size = file.totalBytes, size >= 22 else {
            throw Self.malformed("not an XLSX file: too short to be a ZIP archive")
        }
        let location = try locateDirectory(size: size)
        let directory = try file.read(at: location.offset, count: Int(location.size))
        var p = 0
        for _ in 0..<location.entryCount {
            guard p + 46 <= directory.count, Self.u32(directory, p) == 0x0201_4B50 else {
                throw Self.malformed("damaged ZIP central directory", at: location.offset + Int64(p))
            }
            let nameLength = Int(Self.u16(directory, p + 28))
            let extraLength = Int(Self.u16(directory, p + 30))
            let commentLength = Int(Self.u16(directory, p + 32))
            guard p + 46 + nameLength + extraLength + commentLength <= directory.count else {
                throw Self.malformed("damaged ZIP central directory", at: location.offset + Int64(p))
            }
            let entry = Self.entry(in: directory, at: p, nameLength: nameLength, extraLength: extraLength)
            guard entry.compressedSize >= 0, entry.uncompressedSize >= 0, entry.localHeaderOffset >= 0,
                  entry.localHeaderOffset <= size, entry.compressedSize <= size - entry.localHeaderOffset else {
                throw Self.malformed("truncated ZIP archive: entry \(entry.name) extends past the end of the file")
            }
            entries[entry.name] = entry
            p += 46 + nameLength + extraLength + commentLength
        }
    }

    /// The central directory's entry count, offset and size, from the end of central directory
    /// record (or its ZIP64 record), checked against the file and the limits.
    private func locateDirectory(size: Int64) throws(TabularError) -> (entryCount: Int64, offset: Int64, size: Int64) {
        // APPNOTE 4.3.16: the end of central directory record is in the last 22 + 65 535 bytes.
        let tailLength = Int(min(size, 22 + 65_535))
        let tail = try file.read(at: size - Int64(tailLength), count: tailLength)
        var eocd: Int?
        var k = tail.count - 22
        while k >= 0 {
            if tail[k] == 0x50, tail[k + 1] == 0x4B, tail[k + 2] == 0x05, tail[k + 3] == 0x06 {
                eocd = k
                break
            }
            k -= 1
        }
        guard let e = eocd else {
            throw Self.malformed("not an XLSX file or truncated: no ZIP end of central directory record")
        }
        var entryCount = Int64(Self.u16(tail, e + 10))
        var directorySize = Int64(Self.u32(tail, e + 12))
        var directoryOffset = Int64(Self.u32(tail, e + 16))

        // ZIP64 (APPNOTE 4.3.14/4.3.15): a locator 20 bytes before the EOCD points to the real record.
        if entryCount == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF, e >= 20,
           Self.u32(tail, e - 20) == 0x0706_4B50 {
            let recordOffset = Int64(truncatingIfNeeded: Self.u64(tail, e - 20 + 8))
            guard recordOffset >= 0, recordOffset <= size - 56 else {
                throw Self.malformed("damaged ZIP64 end of central directory locator")
            }
            let record = try file.read(at: recordOffset, count: 56)
            guard record.count == 56, Self.u32(record, 0) == 0x0606_4B50 else {
                throw Self.malformed("damaged ZIP64 end of central directory record", at: recordOffset)
            }
            entryCount = Int64(truncatingIfNeeded: Self.u64(record, 32))
            directorySize = Int64(truncatingIfNeeded: Self.u64(record, 40))
            directoryOffset = Int64(truncatingIfNeeded: Self.u64(record, 48))
        }
        guard entryCount >= 0, entryCount <= Int64(limits.maxZipEntries) else {
            throw TabularError(.limitExceeded, "ZIP archive has \(entryCount) entries, more than \(limits.maxZipEntries) (maxZipEntries)")
        }
        guard directoryOffset >= 0, directorySize >= 0, directoryOffset <= size, directorySize <= size - directoryOffset,
              directorySize <= Self.maxDirectoryBytes else {
            throw Self.malformed("truncated or damaged ZIP archive: central directory outside the file")
        }
        return (entryCount, directoryOffset, directorySize)
    }

    /// The central directory header at `p` (whose lengths the caller checked), with the ZIP64
    /// extended information extra field (APPNOTE 4.5.3) applied: only the saturated fields, in order.
    private static func entry(in directory: [UInt8], at p: Int, nameLength: Int, extraLength: Int) -> ZipEntry {
        var entry = ZipEntry(
            name: String(decoding: directory[(p + 46)..<(p + 46 + nameLength)], as: UTF8.self),
            method: u16(directory, p + 10),
            flags: u16(directory, p + 8),
            crc32: u32(directory, p + 16),
            compressedSize: Int64(u32(directory, p + 20)),
            uncompressedSize: Int64(u32(directory, p + 24)),
            localHeaderOffset: Int64(u32(directory, p + 42))
        )
        var x = p + 46 + nameLength
        let extraEnd = x + extraLength
        while x + 4 <= extraEnd {
            let id = u16(directory, x)
            let length = Int(u16(directory, x + 2))
            if id == 0x0001 {
                var f = x + 4
                let fieldEnd = min(x + 4 + length, extraEnd)
                if entry.uncompressedSize == 0xFFFF_FFFF, f + 8 <= fieldEnd {
                    entry.uncompressedSize = Int64(truncatingIfNeeded: u64(directory, f)); f += 8
                }
                if entry.compressedSize == 0xFFFF_FFFF, f + 8 <= fieldEnd {
                    entry.compressedSize = Int64(truncatingIfNeeded: u64(directory, f)); f += 8
                }
                if entry.localHeaderOffset == 0xFFFF_FFFF, f + 8 <= fieldEnd {
                    entry.localHeaderOffset = Int64(truncatingIfNeeded: u64(directory, f))
                }
            }
            x += 4 + length
        }
        return entry
    }

    /// Offset of an entry's compressed data: after its local header, whose name and extra
    /// lengths may differ from the central directory's.
    func dataOffset(of entry: ZipEntry) throws(TabularError) -> Int64 {
        let header = try file.read(at: entry.localHeaderOffset, count: 30)
        guard header.count == 30, Self.u32(header, 0) == 0x0403_4B50 else {
            throw Self.malformed("damaged ZIP archive: no local header for \(entry.name)", at: entry.localHeaderOffset)
        }
        let offset = entry.localHeaderOffset + 30 + Int64(Self.u16(header, 26)) + Int64(Self.u16(header, 28))
        guard let size = file.totalBytes, offset + entry.compressedSize <= size else {
            throw Self.malformed("truncated ZIP archive: entry \(entry.name) extends past the end of the file")
        }
        return offset
    }

    static func u16(_ b: [UInt8], _ i: Int) -> UInt16 {
        UInt16(b[i]) | UInt16(b[i + 1]) << 8
    }

    static func u32(_ b: [UInt8], _ i: Int) -> UInt32 {
        UInt32(b[i]) | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24
    }

    static func u64(_ b: [UInt8], _ i: Int) -> UInt64 {
        UInt64(u32(b, i)) | UInt64(u32(b, i + 4)) << 32
    }
}
