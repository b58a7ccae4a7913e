/// Reading the UTF-8 input: scalars forwards and backwards, and the zero-width assertions,
/// with ICU's line terminators (`\n \x0B \f \r \x85 \u2028 \u2029`, and `\r\n` as one).
enum Input {
    /// Decodes the scalar at `i` (valid UTF-8 assumed; a stray byte counts as itself).
    @inline(__always)
    static func decode(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt32, Int) {
        let b0 = UInt32(b[i])
        if b0 < 0x80 { return (b0, 1) }
        let n = b.count
        if b0 & 0xE0 == 0xC0, i + 1 < n { return ((b0 & 0x1F) << 6 | UInt32(b[i + 1] & 0x3F), 2) }
        if b0 & 0xF0 == 0xE0, i + 2 < n {
            return ((b0 & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F), 3)
        }
        if b0 & 0xF8 == 0xF0, i + 3 < n {
            let v = (b0 & 0x07) << 18 | UInt32(b[i + 1] & 0x3F) << 12 | UInt32(b[i + 2] & 0x3F) << 6 | UInt32(b[i + 3] & 0x3F)
            return (v, 4)
        }
        return (b0, 1)
    }

    /// The scalar that ends just before `i` (`i > 0`).
    static func decodeBefore(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> UInt32 {
        var start = i - 1
        while start > 0, i - start < 4, b[start] & 0xC0 == 0x80 { start -= 1 }
        return decode(b, at: start).0
    }

    /// The byte length of the scalar at `i`.
    @inline(__always)
    static func length(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        let b0 = b[i]
        if b0 < 0x80 { return 1 }
        return decode(b, at: i).1
    }

    @inline(__always)
    static func isLineTerminator(_ s: UInt32) -> Bool {
        (s >= 0x0A && s <= 0x0D) || s == 0x85 || s == 0x2028 || s == 0x2029
    }

    /// Whether the assertion `kind` (a `RegexNode.Assertion` raw value) holds at `i`.
    @inline(__always)
    static func holds(_ kind: Int32, _ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        // The anchors of validation patterns (`^…$`) are decided inline.
        switch kind {
        case RegexNode.Assertion.startOfText.rawValue: return i == 0
        case RegexNode.Assertion.endOfText.rawValue: return i == b.count
        case RegexNode.Assertion.endOfTextOrFinalTerminator.rawValue:
            // A line terminator is at most 3 bytes (`\u{2028}`); `\r\n` is 2.
            return i == b.count || (b.count - i <= 3 && isFinalLineTerminator(b, at: i))
        default: return holdsElsewhere(kind, b, at: i)
        }
    }

    private static func holdsElsewhere(_ kind: Int32, _ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        let n = b.count
        switch RegexNode.Assertion(rawValue: kind) {
        case .startOfText: return i == 0
        case .endOfText: return i == n
        case .endOfTextOrFinalTerminator: return i == n || isFinalLineTerminator(b, at: i)
        case .startOfLine:
            // Not after a terminator that ends the text, and not between `\r` and `\n`.
            if i == 0 { return true }
            guard i < n, isLineTerminator(decodeBefore(b, i)) else { return false }
            return !(b[i - 1] == 0x0D && b[i] == 0x0A)
        case .endOfLine:
            if i == n { return true }
            guard isLineTerminator(decode(b, at: i).0) else { return false }
            return !(i > 0 && b[i - 1] == 0x0D && b[i] == 0x0A)
        case .wordBoundary: return isWordBefore(b, i) != isWordAt(b, i)
        case .notWordBoundary: return isWordBefore(b, i) == isWordAt(b, i)
        case nil: return false
        }
    }

    /// Between the `\r` and the `\n` of a `\r\n`.
    @inline(__always)
    static func isCRLFMiddle(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        i > 0 && i < b.count && b[i] == 0x0A && b[i - 1] == 0x0D
    }

    /// `$` without `m`: before one line terminator (or `\r\n`) that ends the input.
    static func isFinalLineTerminator(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        let rest = b.count - i
        if rest == 2 && b[i] == 0x0D && b[i + 1] == 0x0A { return true }
        guard rest >= 1, !(i > 0 && b[i - 1] == 0x0D && b[i] == 0x0A) else { return false }
        let (scalar, length) = decode(b, at: i)
        return length == rest && isLineTerminator(scalar)
    }

    private static func isWordAt(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        guard i < b.count, let s = Unicode.Scalar(decode(b, at: i).0) else { return false }
        return UnicodeProperty.isWord(s)
    }

    private static func isWordBefore(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        guard i > 0, let s = Unicode.Scalar(decodeBefore(b, i)) else { return false }
        return UnicodeProperty.isWord(s)
    }

    /// Lends the UTF-8 bytes of `text`: native strings lend their storage, small ones are
    /// spilled to the stack, never to the heap. (`withContiguousStorageIfAvailable` would look
    /// up generic metadata on every call: a sixth of the time of a short match.)
    @inline(__always)
    static func withBytes<R>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        var copy = text
        return copy.withUTF8(body)
    }
}
