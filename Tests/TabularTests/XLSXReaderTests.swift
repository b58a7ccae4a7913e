import Foundation
import Testing
@testable import Tabular

@Suite("XLSXReader")
struct XLSXReaderTests {
    static func fixture(_ name: String) -> String {
        TemporaryFile.fixtures.appendingPathComponent("xlsx/\(name).xlsx").path
    }

    static func read(_ name: String, options: ReadOptions = .init()) throws -> (header: [String]?, rows: [TableRow], reader: any TableReader) {
        try TemporaryFile.readAll(path: fixture(name), options: options)
    }

    @Test("the _xHHHH_ escape check looks for '_x' in the bytes, exactly where it occurs")
    func hexEscapeCheck() {
        for text in ["_x", "a_x0041_", "__x", "é_x", "😀_xzz", "_\u{0}_x"] { #expect(XLSXWorkbook.mayHoldHexEscape(text), "\(text)") }
        for text in ["", "_", "x_", "_ x", "_X0041_", "a_", "ünï 😀", "x_y_z", "_\u{301}x"] { #expect(!XLSXWorkbook.mayHoldHexEscape(text), "\(text)") }
        #expect(XLSXWorkbook.unescapingHex("x_x005F_y") == "x_y")
    }

    @Test("reads text, numbers as written, dates, booleans, formulas and errors")
    func basic() throws {
        let (header, rows, reader) = try Self.read("basic")
        #expect(header == ["sku", "qty", "price", "released", "updated", "at", "active", "double", "status"])
        #expect(rows.count == 3)
        #expect(rows[0] == TableRow(
            cells: ["00123", "42", "0.1", "2024-03-01", "2024-03-01T10:30:00", "10:30:00", "true", "84", ""],
            recordNumber: 2, warnings: ["I2: #N/A error value read as empty"]))
        #expect(rows[1] == TableRow(
            cells: ["00456", "1234567890123", "1e-07", "1900-02-28", "1999-12-31T23:59:59", "00:00:01", "false", "2469135780246", ""],
            recordNumber: 3, warnings: ["I3: #DIV/0! error value read as empty"]))
        #expect(rows[2] == TableRow(cells: ["sparse", "", "-3.5", "", "", "", "", "", ""], recordNumber: 5))
        #expect(reader.detected == ["format": "xlsx", "sheet": "Products", "dateSystem": "1900"])
        #expect(reader.bytesRead == reader.totalBytes)
    }

    @Test("chooses sheets by name, case-insensitive name or 1-based index")
    func sheets() throws {
        for sheet in [ReadOptions.Sheet.name("Second"), .name("second"), .index(2)] {
            let (header, rows, _) = try Self.read("basic", options: ReadOptions(sheet: sheet))
            #expect(header == ["only", "two"])
            #expect(rows.map(\.cells) == [["x", "y"]])
        }
        #expect(try Self.read("basic", options: ReadOptions(sheet: .name("Empty"))).header == nil)
    }

    @Test("names the sheets that exist when the chosen one does not")
    func missingSheet() {
        for sheet in [ReadOptions.Sheet.name("Nope"), .index(4), .index(0)] {
            let error = TemporaryFile.error { try Self.read("basic", options: ReadOptions(sheet: sheet)) }
            #expect(error?.kind == .sheetNotFound)
            #expect(error?.message.contains("\"Products\", \"Second\", \"Empty\"") == true)
        }
    }

    @Test("reads shared strings, rich text, data descriptors, stored entries and the 1900 leap-year bug")
    func handmade() throws {
        let (header, rows, reader) = try Self.read("handmade")
        #expect(header == ["name", "when", "kind", "time", "n"])
        #expect(rows.map(\.cells) == [
            ["Fish & Chips", "1900-02-29", "a<bA", "10:30:00", "12.50"],
            ["007", "1900-02-28", "false", "2024-03-01T12:00:00", "1.0E+12"],
            ["1900-03-01", "", "", "", ""],
            ["", "", "", "", "", "", "far"],
        ])
        #expect(rows.map(\.recordNumber) == [2, 3, 4, 9])
        #expect(rows[2].warnings == ["C4: #REF! error value read as empty"])
        #expect(reader.detected["sheet"] == "Data & More")
    }

    @Test("converts dates in the 1904 date system")
    func epoch1904() throws {
        let (header, rows, reader) = try Self.read("epoch1904")
        #expect(header == ["day", "moment"])
        #expect(rows.map(\.cells) == [["2024-03-01", "1904-01-02T06:00:00"]])
        #expect(reader.detected["dateSystem"] == "1904")
    }

    @Test("takes the header from a later row")
    func headerRow() throws {
        let (header, rows, _) = try Self.read("basic", options: ReadOptions(headerRow: 3))
        #expect(header?.first == "00456")
        #expect(rows.map(\.recordNumber) == [5])
    }

    @Test("refuses a zip bomb by compression ratio and by total size")
    func zipBomb() {
        let ratio = TemporaryFile.error { try Self.read("zipbomb") }
        #expect(ratio?.kind == .limitExceeded)
        #expect(ratio?.message.contains("maxCompressionRatio") == true)
        let total = TemporaryFile.error {
            try Self.read("zipbomb", options: ReadOptions(limits: ReadLimits(maxUncompressedBytes: 3 << 19, maxCompressionRatio: 1_000_000)))
        }
        #expect(total?.kind == .limitExceeded)
        #expect(total?.message.contains("maxUncompressedBytes") == true)
    }

    @Test("caps the number of ZIP entries")
    func entryCap() {
        let error = TemporaryFile.error { try Self.read("basic", options: ReadOptions(limits: ReadLimits(maxZipEntries: 3))) }
        #expect(error?.kind == .limitExceeded)
        #expect(error?.message.contains("maxZipEntries") == true)
    }

    @Test("caps the size of one cell and of the shared strings")
    func textCaps() {
        let cell = TemporaryFile.error { try Self.read("handmade", options: ReadOptions(limits: ReadLimits(maxFieldBytes: 8))) }
        #expect(cell?.kind == .limitExceeded, "\(String(describing: cell))")
        let strings = TemporaryFile.error { try Self.read("handmade", options: ReadOptions(limits: ReadLimits(maxSharedStringsBytes: 20))) }
        #expect(strings?.kind == .limitExceeded)
    }

    @Test("caps the number of cells")
    func cellCap() {
        let error = TemporaryFile.error { try Self.read("basic", options: ReadOptions(limits: ReadLimits(maxCells: 12))) }
        #expect(error?.kind == .limitExceeded)
    }

    @Test("reports a truncated archive clearly")
    func truncated() {
        let error = TemporaryFile.error { try Self.read("truncated") }
        #expect(error?.kind == .malformedXLSX)
        #expect(error?.message.contains("truncated") == true)
    }

    @Test("reports damaged compressed data clearly")
    func corrupt() {
        let error = TemporaryFile.error { try Self.read("corrupt") }
        #expect(error?.kind == .malformedXLSX)
    }

    @Test("recognises legacy .xls and encrypted workbooks")
    func compoundFile() {
        let bytes: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 600)
        let asXLSX = TemporaryFile.error { try TemporaryFile.readAll(bytes: bytes, extension: "xlsx") }
        #expect(asXLSX?.kind == .malformedXLSX)
        #expect(asXLSX?.message.contains("legacy .xls") == true)
        let sniffed = TemporaryFile.error { try TemporaryFile.readAll(bytes: bytes, extension: "bin") }
        #expect(sniffed?.kind == .unsupportedFormat)
    }

    @Test("refuses files that are not workbooks")
    func notAWorkbook() throws {
        let error = TemporaryFile.error { try TemporaryFile.readAll(text: "PK\u{3}\u{4} not really a zip", extension: "xlsx") }
        #expect(error?.kind == .malformedXLSX)
    }
}
