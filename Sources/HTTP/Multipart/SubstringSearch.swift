import Glibc

/// Boyer–Moore–Horspool search for one fixed byte string in large buffers.
///
/// The multipart delimiter (`CRLF--boundary`, up to 74 bytes) is looked for in every buffer of
/// an upload. A scan for its first byte stops at every CRLF of a CSV file; Horspool instead looks
/// at the byte under the needle's last position and skips up to the needle's length at once, so
/// a 40-byte delimiter costs about one comparison per 40 bytes of ordinary content. The worst
/// case (content built to look like the delimiter) is `O(n·m)` with `m` at most 74: linear in
/// the input, never quadratic.
struct SubstringSearch: Sendable {
    let needle: [UInt8]
    /// How far the window may move when the byte under its last position is `b`.
    private let shift: [Int]

    init(_ needle: [UInt8]) {
        self.needle = needle
        var shift = [Int](repeating: max(needle.count, 1), count: 256)
        if needle.count > 1 {
            for index in 0..<(needle.count - 1) { shift[Int(needle[index])] = needle.count - 1 - index }
        }
        self.shift = shift
    }

    /// The offset of the first occurrence of the needle in `haystack`, or `nil`.
    func firstOffset(in haystack: UnsafeRawBufferPointer) -> Int? {
        let m = needle.count
        guard m > 0, haystack.count >= m, let base = haystack.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
        let limit = haystack.count - m
        return needle.withUnsafeBufferPointer { pattern -> Int? in
            shift.withUnsafeBufferPointer { shifts -> Int? in
                guard let patternBase = pattern.baseAddress else { return nil }
                let last = pattern[m - 1]
                var index = 0
                while index <= limit {
                    let byte = base[index + m - 1]
                    if byte == last && (m == 1 || memcmp(base + index, patternBase, m - 1) == 0) { return index }
                    index += shifts[Int(byte)]
                }
                return nil
            }
        }
    }
}
