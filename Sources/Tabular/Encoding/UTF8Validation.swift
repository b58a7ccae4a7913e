import IngestSupport

/// Streaming-friendly UTF-8 validation over byte buffers (RFC 3629: no overlongs, no
/// surrogates, nothing above U+10FFFF).
enum UTF8Validation {
    /// Outcome of validating a buffer.
    enum Outcome: Equatable {
        /// Every byte belongs to a complete, valid sequence.
        case valid
        /// Bytes from `at` on start a sequence that is valid so far but cut by the end of the buffer.
        case incomplete(at: Int)
        /// The sequence starting at `at` is invalid.
        case invalid(at: Int)
    }

    /// Validates `count` bytes at `p`; `sawMultibyte` is set when a non-ASCII sequence was accepted.
    static func validate(_ p: UnsafePointer<UInt8>, _ count: Int, sawMultibyte: inout Bool) -> Outcome {
        var i = 0
        while i < count {
            // ASCII fast path: 8 bytes at a time.
            while i + 8 <= count {
                let word = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 != 0 { break }
                i += 8
            }
            guard i < count else { break }
            let lead = p[i]
            if lead < 0x80 { i += 1; continue }
            guard let (length, low, high) = UTF8Lead.bounds(lead) else { return .invalid(at: i) }
            for k in 1..<length {
                guard i + k < count else { return .incomplete(at: i) }
                let b = p[i + k]
                if k == 1 {
                    if b < low || b > high { return .invalid(at: i) }
                } else if b & 0xC0 != 0x80 {
                    return .invalid(at: i)
                }
            }
            sawMultibyte = true
            i += length
        }
        return .valid
    }

    /// Length of the sequence a lead byte announces (1 for ASCII and for invalid leads).
    static func sequenceLength(lead: UInt8) -> Int {
        switch lead {
        case 0xC2...0xDF: return 2
        case 0xE0...0xEF: return 3
        case 0xF0...0xF4: return 4
        default: return 1
        }
    }
}
