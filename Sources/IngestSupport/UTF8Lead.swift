/// What a UTF-8 lead byte allows (Unicode table 3-7: no overlong forms, no surrogates, nothing
/// above U+10FFFF), shared by the validators that check text byte by byte.
package enum UTF8Lead {
    /// The sequence length and the range of its second byte (later bytes are 0x80–0xBF), or nil
    /// when `lead` cannot start a multi-byte sequence.
    @inline(__always)
    package static func bounds(_ lead: UInt8) -> (length: Int, low: UInt8, high: UInt8)? {
        switch lead {
        case 0xC2...0xDF: return (2, 0x80, 0xBF)
        case 0xE0: return (3, 0xA0, 0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: return (3, 0x80, 0xBF)
        case 0xED: return (3, 0x80, 0x9F)
        case 0xF0: return (4, 0x90, 0xBF)
        case 0xF1...0xF3: return (4, 0x80, 0xBF)
        case 0xF4: return (4, 0x80, 0x8F)
        default: return nil
        }
    }
}
