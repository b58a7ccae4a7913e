/// One file inside a ZIP archive, as described by the central directory.
struct ZipEntry: Sendable, Equatable {
    /// The entry's path inside the archive, e.g. `xl/worksheets/sheet1.xml`.
    var name: String
    /// 0 = stored, 8 = deflate (the only two XLSX writers use).
    var method: UInt16
    /// General purpose flags; bit 0 = encrypted, bit 3 = sizes in a data descriptor.
    var flags: UInt16
    /// CRC-32 of the uncompressed data.
    var crc32: UInt32
    /// Size in the archive, in bytes.
    var compressedSize: Int64
    /// Size once inflated, in bytes, as declared (checked while inflating).
    var uncompressedSize: Int64
    /// Offset of the local file header from the start of the file, in bytes.
    var localHeaderOffset: Int64
}
