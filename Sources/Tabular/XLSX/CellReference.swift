/// A cell reference such as `C7`: 1-based column and row.
struct CellReference: Equatable {
    var column: Int
    var row: Int?

    /// Parses `A1`-style references; the row part is optional (`C` alone is column 3).
    init?(_ text: String) {
        var column = 0
        var row = 0
        var sawDigit = false
        var letters = 0
        for b in text.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z") where !sawDigit:
                column = column * 26 + Int(b - UInt8(ascii: "A") + 1)
                letters += 1
            case UInt8(ascii: "a")...UInt8(ascii: "z") where !sawDigit:
                column = column * 26 + Int(b - UInt8(ascii: "a") + 1)
                letters += 1
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                sawDigit = true
                row = row * 10 + Int(b - UInt8(ascii: "0"))
                if row > 100_000_000 { return nil }
            case UInt8(ascii: "$"):
                continue
            default:
                return nil
            }
            if letters > 4 { return nil }
        }
        guard letters > 0 else { return nil }
        self.column = column
        self.row = sawDigit ? row : nil
    }

    /// Column letters for a 1-based column index (1 → A, 27 → AA).
    static func letters(_ column: Int) -> String {
        var n = column
        var result: [UInt8] = []
        while n > 0 {
            let r = (n - 1) % 26
            result.append(UInt8(ascii: "A") + UInt8(r))
            n = (n - 1) / 26
        }
        return String(decoding: result.reversed(), as: UTF8.self)
    }
}
