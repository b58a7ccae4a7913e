/// Bounds on a `multipart/form-data` body, so a hostile form cannot exhaust memory or disk.
package struct MultipartLimits: Sendable, Equatable {
    /// The most parts accepted; more is ``MultipartError/tooManyParts(limit:)``. Default 100.
    package var maxParts: Int
    /// The largest header section of one part, in bytes. Default 16 KiB.
    package var maxPartHeaderBytes: Int
    /// The largest value of a non-file part (no `filename`), in bytes; such values are held in
    /// memory. Default 1 MiB.
    package var maxFieldBytes: Int
    /// The largest file part (one with a `filename`), in bytes. Default: no limit beyond the
    /// route's body limit.
    package var maxFileBytes: Int
    /// The most preamble bytes skipped before the first boundary. Default 64 KiB.
    package var maxPreambleBytes: Int

    /// Creates limits; every parameter has the default documented on its property.
    package init(
        maxParts: Int = 100, maxPartHeaderBytes: Int = 16 * 1024, maxFieldBytes: Int = 1024 * 1024,
        maxFileBytes: Int = .max, maxPreambleBytes: Int = 64 * 1024
    ) {
        self.maxParts = maxParts
        self.maxPartHeaderBytes = maxPartHeaderBytes
        self.maxFieldBytes = maxFieldBytes
        self.maxFileBytes = maxFileBytes
        self.maxPreambleBytes = maxPreambleBytes
    }
}
