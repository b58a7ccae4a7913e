/// Pulls the rows of one worksheet part (`<sheetData>`), streaming: one row in memory at a time.
///
/// A value type driven by `XLSXReader`, so parsing pays no per-event exclusivity checks.
/// Sparse cells are placed by their `r` reference with empty cells in the gaps; rows missing
/// from the XML are simply absent (the caller sees the row numbers jump).
struct SheetRowReader {
    /// A row as read: its sheet row number, cells (trailing empties kept) and warnings.
    struct Row {
        var number: Int
        var cells: [String]
        var warnings: [String]
    }

    private var parser: XMLPullParser
    private let workbook: XLSXWorkbook
    private let limits: ReadLimits
    private var previousRow = 0
    private var cellCount = 0
    private var finished = false

    init(parser: XMLPullParser, workbook: XLSXWorkbook, limits: ReadLimits) {
        self.parser = parser
        self.workbook = workbook
        self.limits = limits
    }

    /// The next `<row>`, or nil after `</sheetData>`.
    mutating func nextRow() throws(TabularError) -> Row? {
        guard !finished else { return nil }
        while true {
            switch try parser.next() {
            case .start where parser.name == "row":
                return try readRow()
            case .end where parser.name == "sheetData":
                finished = true
                return nil
            case .endOfDocument:
                finished = true
                return nil
            default:
                continue
            }
        }
    }

    private mutating func readRow() throws(TabularError) -> Row {
        var number = previousRow + 1
        if let r = parser.attribute("r") {
            guard let value = Int(r), value > previousRow, value <= 100_000_000 else {
                throw parser.error("invalid or out-of-order row number r=\"\(r.prefix(20))\"")
            }
            number = value
        }
        previousRow = number
        var row = Row(number: number, cells: [], warnings: [])
        while true {
            switch try parser.next() {
            case .start where parser.name == "c":
                try readCell(into: &row)
            case .start:
                try parser.skipElement()
            case .end where parser.name == "row":
                return row
            case .end, .text:
                continue
            case .endOfDocument:
                throw parser.error("unexpected end of document inside a row")
            }
        }
    }

    private mutating func readCell(into row: inout Row) throws(TabularError) {
        var column = row.cells.count + 1
        if let reference = parser.attribute("r") {
            guard let parsed = CellReference(reference), parsed.row == nil || parsed.row == row.number,
                  parsed.column > row.cells.count else {
                throw parser.error("invalid or out-of-order cell reference r=\"\(reference.prefix(20))\" in row \(row.number)")
            }
            column = parsed.column
        }
        guard column <= limits.maxCellsPerRow else {
            throw TabularError(.limitExceeded, "row \(row.number) has a cell in column \(column), beyond \(limits.maxCellsPerRow) (maxCellsPerRow)")
        }
        let type = parser.attribute("t") ?? "n"
        let style = parser.attribute("s").flatMap { Int($0) } ?? 0
        var value = ""
        var inlineText: String?
        var inValue = false
        loop: while true {
            switch try parser.next() {
            case .start where parser.name == "v":
                inValue = true
            case .start where parser.name == "is":
                inlineText = try XLSXWorkbook.readRichText(&parser, until: "is")
            case .start:
                try parser.skipElement()  // <f> formulas: the cached <v> is what we deliver
            case .text:
                if inValue {
                    if value.isEmpty { value = parser.text } else { value += parser.text }
                }
            case .end where parser.name == "v":
                inValue = false
            case .end where parser.name == "c":
                break loop
            case .end:
                continue
            case .endOfDocument:
                throw parser.error("unexpected end of document inside a cell")
            }
        }
        let rowNumber = row.number
        var reference: String { "\(CellReference.letters(column))\(rowNumber)" }
        let cell: String
        switch type {
        case "s":
            guard let index = Int(value) ?? Int(value.filter { !$0.isWhitespace }), index >= 0, index < workbook.sharedStrings.count else {
                throw parser.error("cell \(reference) refers to shared string \(value.prefix(20)), which does not exist")
            }
            cell = workbook.sharedStrings[index]
        case "inlineStr":
            cell = inlineText ?? value
        case "str", "d":
            cell = value
        case "b":
            cell = value == "1" || value == "true" ? "true" : "false"
            if value.isEmpty { row.warnings.append("\(reference): boolean cell without a value read as empty") }
        case "e":
            cell = ""
            row.warnings.append("\(reference): \(value.isEmpty ? "error" : value) error value read as empty")
        default:
            cell = try number(value, style: style, reference: reference, warnings: &row.warnings)
        }
        let gap = column - 1 - row.cells.count
        cellCount += gap + 1
        guard cellCount <= limits.maxCells else {
            throw TabularError(.limitExceeded, "sheet has more than \(limits.maxCells) cells (maxCells)")
        }
        if gap > 0 { row.cells.append(contentsOf: repeatElement("", count: gap)) }
        row.cells.append(cell)
    }

    /// Numbers are delivered as written in the XML, except date-formatted ones (ISO 8601).
    private mutating func number(_ value: String, style: Int, reference: String, warnings: inout [String]) throws(TabularError) -> String {
        guard !value.isEmpty else { return "" }
        let format = style < workbook.styleFormats.count ? workbook.styleFormats[style] : .number
        guard format != .number else { return value }
        guard let serial = Double(value), let iso = SpreadsheetDate.iso(serial: serial, system: workbook.dateSystem, timeOnly: format == .time) else {
            warnings.append("\(reference): date value \(value.prefix(30)) is out of range; kept as written")
            return value
        }
        return iso
    }
}
