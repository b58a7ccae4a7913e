import Foundation
import Testing
@testable import Tabular

/// Format by content: the bytes decide, whatever the file is called.
@Suite("Content sniffing and the XLSX writer")
struct ContentSnifferTests {
    /// A workbook written by ``XLSXWriter`` with `rows`.
    static func workbook(_ rows: [[String]]) throws -> [UInt8] {
        var bytes: [UInt8] = []
        let writer = try XLSXWriter(sheetName: "Data") { bytes += $0 }
        for row in rows { try writer.write(row) }
        try writer.finish()
        return bytes
    }

    @Test("a workbook named .csv is read as XLSX, with a note saying so")
    func workbookNamedCSV() throws {
        let path = try TemporaryFile.make(Self.workbook([["SKU", "Name"], ["A-1", "Lamp"]]), extension: "tmp")
        defer { TemporaryFile.remove(path) }
        let detection = try TableReaders.detect(path: path, fileName: "report.csv")
        #expect(detection.format == .xlsx)
        #expect(detection.note == "'report.csv' is named like CSV but is an XLSX workbook (ZIP); it was read as XLSX.")
        let read = try TemporaryFile.readAll(path: path, fileName: "report.csv")
        #expect(read.header == ["SKU", "Name"])
        #expect(read.rows.map(\.cells) == [["A-1", "Lamp"]])
        #expect(read.reader.notes == [detection.note])
    }

    @Test("content that is none of the formats is refused, saying what it looks like", arguments: [
        ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] as [UInt8], "a PNG image"),
        (Array("%PDF-1.7\n".utf8), "a PDF document"),
        ([0x1F, 0x8B, 8, 0, 0, 0], "a gzip archive"),
        (Array("a,b\n1,".utf8) + [0x00, 0x01, 0x02] + Array("\n".utf8), "binary data (byte 0x00 at offset 6 is not text)"),
    ])
    func refused(bytes: [UInt8], what: String) throws {
        let path = try TemporaryFile.make(bytes, extension: "csv")
        defer { TemporaryFile.remove(path) }
        let error = TemporaryFile.error { try TableReaders.detect(path: path, fileName: "test.csv") }
        #expect(error?.kind == .unsupportedFormat)
        #expect(error?.message == "the file is not CSV, TSV, XLSX, JSON or NDJSON: it looks like \(what)")
    }

    @Test("a stray control character in a cell is text, not binary")
    func strayControl() throws {
        let path = try TemporaryFile.make("ID,V\n1,a\u{1}b\n2,c\u{1B}[1md\n", extension: "bin")
        defer { TemporaryFile.remove(path) }
        #expect(try TableReaders.detect(path: path, fileName: "small.csv").format == .csv)
    }

    @Test("random bytes are refused whatever their name")
    func randomBytes() throws {
        var generator = SeededRandom(seed: 42)
        let bytes = (0..<4096).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        for name in ["test.bin", "test.csv", "test.json", nil] as [String?] {
            let path = try TemporaryFile.make(bytes, extension: "bin")
            defer { TemporaryFile.remove(path) }
            let error = TemporaryFile.error { try TableReaders.detect(path: path, fileName: name) }
            #expect(error?.kind == .unsupportedFormat, "\(name ?? "no name")")
            #expect(error?.message.contains("binary data") == true)
        }
    }

    @Test("a ZIP archive that is not a workbook is refused; a Word document is named")
    func zipNotWorkbook() throws {
        // A stored ZIP with one entry, written by the workbook writer's own ZIP code would be a
        // workbook; build a minimal archive by hand instead.
        let archive = Self.zip(entries: [("notes.txt", Array("hello".utf8))])
        let path = try TemporaryFile.make(archive, extension: "zip")
        defer { TemporaryFile.remove(path) }
        let error = TemporaryFile.error { try TableReaders.detect(path: path, fileName: "data.xlsx") }
        #expect(error?.kind == .unsupportedFormat)
        #expect(error?.message.hasSuffix("a ZIP archive that is not an XLSX workbook (it has no xl/workbook.xml)") == true)
        let docx = try TemporaryFile.make(Self.zip(entries: [("word/document.xml", Array("<w/>".utf8))]), extension: "docx")
        defer { TemporaryFile.remove(docx) }
        #expect(TemporaryFile.error { try TableReaders.detect(path: docx, fileName: "data.csv") }?.message.contains("a Word document") == true)
    }

    @Test("text named .xlsx is read by its content, with a note")
    func textNamedXLSX() throws {
        let path = try TemporaryFile.make("a,b\n1,2\n", extension: "tmp")
        defer { TemporaryFile.remove(path) }
        let detection = try TableReaders.detect(path: path, fileName: "book.xlsx")
        #expect(detection.format == .csv)
        #expect(detection.note == "'book.xlsx' is named like XLSX but is text; it was read as CSV.")
    }

    @Test("UTF-16 without a BOM is detected, in both byte orders, never read as text full of NULs", arguments: [false, true])
    func utf16WithoutBOM(bigEndian: Bool) throws {
        let text = "Name,City\nZoë,Köln\nÅsa,Malmö\n"
        var bytes: [UInt8] = []
        for unit in text.utf16 {
            let pair = [UInt8(unit & 0xFF), UInt8(unit >> 8)]
            bytes += bigEndian ? pair.reversed() : pair
        }
        let path = try TemporaryFile.make(bytes, extension: "csv")
        defer { TemporaryFile.remove(path) }
        #expect(try TableReaders.detect(path: path, fileName: "cities.csv").format == .csv)
        let read = try TemporaryFile.readAll(path: path, fileName: "cities.csv")
        #expect(read.header == ["Name", "City"])
        #expect(read.rows.map(\.cells) == [["Zoë", "Köln"], ["Åsa", "Malmö"]])
        #expect(read.reader.detected["encoding"] == "utf-16")
        // Declared as UTF-8, the same bytes are refused rather than imported with NULs.
        let declared = TemporaryFile.error { try TemporaryFile.readAll(path: path, options: ReadOptions(encoding: .utf8)) }
        #expect(declared?.kind == .invalidEncoding)
        #expect(declared?.message.contains("NUL byte") == true)
    }

    @Test("malformed JSON is reported as invalid JSON at line:column, and no message names jsonPointer")
    func jsonLineColumn() throws {
        let error = TemporaryFile.error { try TemporaryFile.readAll(text: "[\n  {\"a\": 1},\n  {\"a\": 2 \"b\": 3}\n]", extension: "json") }
        #expect(error?.kind == .malformedJSON)
        #expect(error?.line == 3 && error?.column == 11)
        #expect(error?.description == "invalid JSON at 3:11: expected ',' or '}' in an object, found '\"'")
        let shape = TemporaryFile.error { try TemporaryFile.readAll(text: "{\"data\": {\"items\": 1}}", extension: "json") }
        #expect(shape?.description == "the JSON document is not an array of objects; set source.json.pointer to the array of rows (e.g. /data)")
        let pointer = TemporaryFile.error {
            try TemporaryFile.readAll(text: "{\"data\": []}", extension: "json", options: ReadOptions(jsonPointer: "/rows"))
        }
        #expect(pointer?.description.contains("source.json.pointer \"/rows\"") == true)
        #expect(pointer?.description.contains("jsonPointer") == false)
    }

    @Test("the XLSX writer keeps every cell exactly: formulas stay text, control characters and _x escapes survive")
    func writerRoundTrip() throws {
        let tricky = ["=1+1", "@handle", "'quoted", "-x", "01400", "  padded  ", "a&b<c>\"d'", "line\nbreak", "cr\rlf\r\n",
                      "tab\there", "bell\u{7}", "nul\u{0}", "_x0041_", "_x00", "ünï 😀", "x_x005F_y", "\u{FFFE}"]
        let bytes = try Self.workbook([["value", "n"]] + tricky.enumerated().map { [$0.element, String($0.offset)] })
        let path = try TemporaryFile.make(bytes, extension: "xlsx")
        defer { TemporaryFile.remove(path) }
        let read = try TemporaryFile.readAll(path: path)
        #expect(read.header == ["value", "n"])
        #expect(read.rows.map { $0.cells[0] } == tricky)
        #expect(read.rows.map { $0.cells[1] } == tricky.indices.map(String.init))
    }

    @Test("column letters run A…Z, AA…")
    func columnLetters() {
        #expect([1, 26, 27, 52, 703, 16_384].map(XLSXWriter.columnLetters) == ["A", "Z", "AA", "AZ", "AAA", "XFD"])
    }

    /// A stored (uncompressed) ZIP archive of `entries`.
    static func zip(entries: [(String, [UInt8])]) -> [UInt8] {
        var out: [UInt8] = []
        var central: [UInt8] = []
        func u16(_ v: Int, _ a: inout [UInt8]) { a += [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
        func u32(_ v: UInt32, _ a: inout [UInt8]) { for s in [0, 8, 16, 24] { a.append(UInt8((v >> UInt32(s)) & 0xFF)) } }
        for (name, data) in entries {
            let crc = crc32(data)
            let offset = UInt32(out.count)
            u32(0x0403_4B50, &out); u16(20, &out); u16(0, &out); u16(0, &out); u16(0, &out); u16(0x21, &out)
            u32(crc, &out); u32(UInt32(data.count), &out); u32(UInt32(data.count), &out)
            u16(name.utf8.count, &out); u16(0, &out); out += Array(name.utf8); out += data
            u32(0x0201_4B50, &central); u16(20, &central); u16(20, &central); u16(0, &central); u16(0, &central)
            u16(0, &central); u16(0x21, &central); u32(crc, &central); u32(UInt32(data.count), &central)
            u32(UInt32(data.count), &central); u16(name.utf8.count, &central); u16(0, &central); u16(0, &central)
            u16(0, &central); u16(0, &central); u32(0, &central); u32(offset, &central); central += Array(name.utf8)
        }
        let directoryOffset = UInt32(out.count)
        out += central
        u32(0x0605_4B50, &out); u16(0, &out); u16(0, &out); u16(entries.count, &out); u16(entries.count, &out)
        u32(UInt32(central.count), &out); u32(directoryOffset, &out); u16(0, &out)
        return out
    }

    static func crc32(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for b in data {
            crc ^= UInt32(b)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
