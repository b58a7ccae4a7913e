/// Caps that keep one hostile or broken file from exhausting memory or time.
///
/// Every cap has a unit in its name and a default chosen to let any sane business file through.
/// Exceeding one is a `TabularError` of kind `.limitExceeded`, never a crash.
public struct ReadLimits: Sendable, Equatable {
    /// Largest single cell, in bytes of UTF-8. Default 16 MiB (bounds memory for one field).
    public var maxFieldBytes: Int
    /// Most cells in one row/record. Default 16 384 (the XLSX column limit, XFD).
    public var maxCellsPerRow: Int
    /// Most objects buffered to learn the JSON/NDJSON header (union of their keys). Default 1000.
    public var jsonHeaderSampleObjects: Int
    /// Most bytes of keys and values (UTF-8) buffered while learning the JSON/NDJSON header:
    /// sampling stops early past it (at least one object is always sampled). Default 16 MiB.
    package var jsonHeaderSampleBytes: Int
    /// Most distinct keys in a JSON/NDJSON header (the union over the sample, after the
    /// `ReadOptions.keySelection` filter). Past it the header is refused: every row is padded to
    /// the header, so this bounds a row's width. Default 16 384 (as `maxCellsPerRow`).
    package var maxJSONHeaderKeys: Int
    /// Deepest JSON nesting (arrays + objects) accepted. Default 64.
    public var maxJSONDepth: Int
    /// Most entries in an XLSX ZIP central directory. Default 10 000.
    public var maxZipEntries: Int
    /// Most bytes inflated from all XLSX parts together. Default 4 GiB.
    public var maxUncompressedBytes: Int64
    /// Largest accepted ratio of inflated to compressed bytes of one ZIP entry (zip-bomb
    /// defence; ordinary sheets compress 5–30×). Default 200. Only checked once an entry has
    /// inflated more than 1 MiB, so tiny highly compressible parts pass.
    public var maxCompressionRatio: Int
    /// Most cells (including sparse gaps that are filled in) read from one sheet. Default 100 million.
    public var maxCells: Int
    /// Largest shared-strings table kept in memory, in bytes of UTF-8 text. Default 512 MiB.
    public var maxSharedStringsBytes: Int

    /// Creates limits; every argument defaults to the documented value.
    public init(
        maxFieldBytes: Int = 16 << 20,
        maxCellsPerRow: Int = 16_384,
        jsonHeaderSampleObjects: Int = 1000,
        jsonHeaderSampleBytes: Int = 16 << 20,
        maxJSONHeaderKeys: Int = 16_384,
        maxJSONDepth: Int = 64,
        maxZipEntries: Int = 10_000,
        maxUncompressedBytes: Int64 = 4 << 30,
        maxCompressionRatio: Int = 200,
        maxCells: Int = 100_000_000,
        maxSharedStringsBytes: Int = 512 << 20
    ) {
        self.maxFieldBytes = maxFieldBytes
        self.maxCellsPerRow = maxCellsPerRow
        self.jsonHeaderSampleObjects = jsonHeaderSampleObjects
        self.jsonHeaderSampleBytes = jsonHeaderSampleBytes
        self.maxJSONHeaderKeys = maxJSONHeaderKeys
        self.maxJSONDepth = maxJSONDepth
        self.maxZipEntries = maxZipEntries
        self.maxUncompressedBytes = maxUncompressedBytes
        self.maxCompressionRatio = maxCompressionRatio
        self.maxCells = maxCells
        self.maxSharedStringsBytes = maxSharedStringsBytes
    }
}
