/// The bytes all entries of one archive may inflate to together (zip-bomb defence).
final class InflateBudget {
    /// The cap, in bytes (`ReadLimits.maxUncompressedBytes`).
    let maxBytes: Int64
    /// Bytes inflated so far.
    private(set) var usedBytes: Int64 = 0

    init(maxBytes: Int64) {
        self.maxBytes = maxBytes
    }

    /// Accounts for `count` more inflated bytes, failing past the cap.
    func spend(_ count: Int, entry: String) throws(TabularError) {
        usedBytes += Int64(count)
        if usedBytes > maxBytes {
            throw TabularError(.limitExceeded, "XLSX inflates to more than \(maxBytes) bytes (maxUncompressedBytes) while reading \(entry); refusing a possible zip bomb")
        }
    }
}
