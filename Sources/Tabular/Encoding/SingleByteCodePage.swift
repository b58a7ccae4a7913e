/// Windows-1252 and ISO-8859-1 mapped to Unicode scalars, for streaming transcoding.
enum SingleByteCodePage {
    /// Windows-1252 0x80–0x9F (WHATWG table; the five unassigned bytes map to the C1 controls,
    /// as browsers do, so no byte is ever rejected).
    private static let windows1252High: [UInt16] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    /// The Unicode scalar value of `byte` in the code page.
    static func scalar(of byte: UInt8, windows1252: Bool) -> UInt32 {
        if windows1252, byte >= 0x80, byte <= 0x9F {
            return UInt32(windows1252High[Int(byte - 0x80)])
        }
        return UInt32(byte)
    }
}
