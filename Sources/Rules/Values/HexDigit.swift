/// ASCII hex digits.
enum HexDigit {
    /// The value of hex digit `c`, or nil.
    static func value(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: return c - 48
        case 65...70: return c - 55
        case 97...102: return c - 87
        default: return nil
        }
    }
}
