import Foundation
import Testing
@testable import Tabular

@Suite("CSVReader")
struct CSVReaderTests {
    @Test("strips a UTF-8 BOM from the first header cell")
    func bom() throws {
        let (header, rows, reader) = try TemporaryFile.readAll(bytes: [0xEF, 0xBB, 0xBF] + Array("id,name\n1,x\n".utf8))
        #expect(header == ["id", "name"])
        #expect(rows == [TableRow(cells: ["1", "x"], recordNumber: 2)])
        #expect(reader.detected["encoding"] == "utf-8")
    }

    @Test("returns no header for an empty file or one of blank lines")
    func emptyFile() throws {
        #expect(try TemporaryFile.readAll(text: "").header == nil)
        #expect(try TemporaryFile.readAll(text: "\n\r\n\n").header == nil)
        #expect(try TemporaryFile.readAll(text: "").rows.isEmpty)
        #expect(try TemporaryFile.readAll(bytes: [0xEF, 0xBB, 0xBF]).header == nil)
    }

    @Test("reads a header-only file with and without a trailing newline")
    func headerOnly() throws {
        for text in ["a,b", "a,b\n", "a,b\r\n"] {
            let (header, rows, _) = try TemporaryFile.readAll(text: text)
            #expect(header == ["a", "b"])
            #expect(rows.isEmpty)
        }
    }

    @Test("numbers rows like a spreadsheet, counting skipped blank lines")
    func recordNumbers() throws {
        let (header, rows, _) = try TemporaryFile.readAll(text: "a,b\n1,2\n\n\"x\ny\",3\n4,5")
        #expect(header == ["a", "b"])
        #expect(rows.map(\.recordNumber) == [2, 4, 5])
        #expect(rows.map(\.cells) == [["1", "2"], ["x\ny", "3"], ["4", "5"]])
    }

    @Test("takes the header from a later row when asked")
    func headerRow() throws {
        let options = ReadOptions(headerRow: 3)
        let (header, rows, _) = try TemporaryFile.readAll(text: "Report\nexported today\nid,name\n1,x\n", options: options)
        #expect(header == ["id", "name"])
        #expect(rows == [TableRow(cells: ["1", "x"], recordNumber: 4)])
    }

    @Test("returns ragged rows without complaint")
    func ragged() throws {
        let (_, rows, _) = try TemporaryFile.readAll(text: "a,b,c\n1\n1,2,3,4\n")
        #expect(rows.map(\.cells) == [["1"], ["1", "2", "3", "4"]])
    }

    @Test("reads files larger than one block the same as the parser does")
    func multipleBlocks() throws {
        var text = "id,text,n\n"
        for i in 0..<20_000 {
            text += "\(i),\"line \(i), with \"\"quotes\"\"\nand a break\",\(i * 7)\r\n"
        }
        let (header, rows, reader) = try TemporaryFile.readAll(text: text)
        #expect(header == ["id", "text", "n"])
        #expect(rows.count == 20_000)
        #expect(rows[12_345].cells == ["12345", "line 12345, with \"quotes\"\nand a break", "\(12_345 * 7)"])
        #expect(rows[12_345].recordNumber == 12_347)
        #expect(reader.bytesRead == Int64(text.utf8.count))
        #expect(reader.totalBytes == Int64(text.utf8.count))
    }

    @Test("returns the rows before an unterminated quote, then the error, again and again")
    func unterminatedQuoteAfterRows() throws {
        let path = try TemporaryFile.make("a,b\n1,2\n3,\"never closed\n4,5\n")
        defer { TemporaryFile.remove(path) }
        let reader = try TableReaders.open(path: path, options: .init())
        #expect(try reader.readHeader() == ["a", "b"])
        #expect(try reader.nextRow()?.cells == ["1", "2"])
        let error = TemporaryFile.error { try reader.nextRow() }
        #expect(error == TabularError(.malformedCSV, "unterminated quoted field starting on line 3", line: 3))
        #expect(TemporaryFile.error { try reader.nextRow() } == error)
    }

    @Test("rejects a very long field with a limit error")
    func longField() {
        let options = ReadOptions(limits: ReadLimits(maxFieldBytes: 1000))
        let text = "a,b\n1," + String(repeating: "z", count: 300_000) + "\n"
        let error = TemporaryFile.error { try TemporaryFile.readAll(text: text, options: options) }
        #expect(error?.kind == .limitExceeded)
        #expect(error?.line == 2)
    }

    @Test("rejects a row with too many cells")
    func tooManyCells() {
        let options = ReadOptions(limits: ReadLimits(maxCellsPerRow: 3))
        let error = TemporaryFile.error { try TemporaryFile.readAll(text: "a,b,c,d\n", options: options) }
        #expect(error?.kind == .limitExceeded)
    }

    @Test("sniffs semicolon, pipe and tab delimiters", arguments: [
        (";", "a;b;c\n1;\"x;y\";3\n4;5;6\n"),
        ("|", "a|b|c\n1|2,5|3\n4|5|6\n"),
        ("tab", "a\tb\tc\n1\t2,5\t3\n"),
        (",", "a,b;c\n1,2;3\n"),
        (",", "single\nvalue\n"),
    ])
    func sniffing(expected: String, text: String) throws {
        let (header, rows, reader) = try TemporaryFile.readAll(text: text)
        #expect(reader.detected["delimiter"] == expected)
        #expect(header?.count == rows.first?.cells.count)
    }

    @Test("uses TAB for .tsv files and an explicit delimiter when given")
    func tsvAndExplicit() throws {
        let tsv = try TemporaryFile.readAll(text: "a\tb,c\n1\t2,3\n", extension: "tsv")
        #expect(tsv.header == ["a", "b,c"])
        #expect(tsv.reader.detected["format"] == "tsv")
        let explicit = try TemporaryFile.readAll(text: "a,b|c\n", options: ReadOptions(delimiter: UInt8(ascii: "|")))
        #expect(explicit.header == ["a,b", "c"])
    }

    @Test("UTF-16 rows before an unpaired surrogate are returned, whatever the block size (found by fuzzing)")
    func utf16RowsBeforeAnError() throws {
        let text = Array("\u{FEFF}name\nAnn\nBob\n".utf16) + [0xDC00] + Array("x\n".utf16)
        let bytes = text.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let path = try TemporaryFile.make(bytes)
        defer { TemporaryFile.remove(path) }
        for blockBytes in [1 << 16, 16] {
            let reader = try CSVReader(source: FileByteSource(path: path, blockBytes: blockBytes), format: .csv, options: ReadOptions())
            #expect(try reader.readHeader() == ["name"], "\(blockBytes)-byte blocks")
            #expect(try reader.nextRow()?.cells == ["Ann"], "\(blockBytes)-byte blocks")
            #expect(try reader.nextRow()?.cells == ["Bob"], "\(blockBytes)-byte blocks")
            let error = TemporaryFile.error { try reader.nextRow() }
            #expect(error?.kind == .invalidEncoding, "\(blockBytes)-byte blocks")
            #expect(error?.byteOffset == Int64(28), "\(blockBytes)-byte blocks")
        }
    }

    @Test("decodes UTF-16 little and big endian with a BOM")
    func utf16() throws {
        let text = "név,ville\n1,Zürich 😀\n"
        let le: [UInt8] = [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let be: [UInt8] = [0xFE, 0xFF] + text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        for bytes in [le, be] {
            let (header, rows, reader) = try TemporaryFile.readAll(bytes: bytes)
            #expect(header == ["név", "ville"])
            #expect(rows.map(\.cells) == [["1", "Zürich 😀"]])
            #expect(reader.detected["encoding"] == "utf-16")
        }
    }

    @Test("falls back to Windows-1252 when the file is not UTF-8")
    func windows1252() throws {
        let bytes: [UInt8] = Array("name,price\nCaf".utf8) + [0xE9] + Array(",".utf8) + [0x80] + Array("5\n".utf8)
        let (_, rows, reader) = try TemporaryFile.readAll(bytes: bytes)
        #expect(rows.map(\.cells) == [["Café", "€5"]])
        #expect(reader.detected["encoding"] == "windows-1252")
    }

    @Test("reads ISO-8859-1 when declared")
    func latin1() throws {
        let bytes: [UInt8] = Array("a\n".utf8) + [0xE9, 0x80] + [0x0A]
        let (_, rows, reader) = try TemporaryFile.readAll(bytes: bytes, options: ReadOptions(encoding: .iso88591))
        #expect(rows.map(\.cells) == [["é\u{80}"]])
        #expect(reader.detected["encoding"] == "iso-8859-1")
    }

    @Test("names the byte offset and line of invalid UTF-8 in a UTF-8 file")
    func invalidUTF8() throws {
        let bytes: [UInt8] = Array("a,b\n1,é\n2,".utf8) + [0xFF] + Array("\n".utf8)
        for options in [ReadOptions(encoding: .utf8), ReadOptions()] {
            let path = try TemporaryFile.make(bytes)
            defer { TemporaryFile.remove(path) }
            let reader = try TableReaders.open(path: path, options: options)
            #expect(try reader.nextRow()?.cells == ["1", "é"])
            let error = TemporaryFile.error { try reader.nextRow() }
            #expect(error?.kind == .invalidEncoding)
            #expect(error?.byteOffset == 11)
            #expect(error?.line == 3)
            #expect(error?.description == "invalid UTF-8 at byte 11 (line 3)")
        }
    }

    @Test("validates UTF-8 sequences cut by block boundaries")
    func utf8AcrossBlocks() throws {
        var text = "h\n"
        while text.utf8.count < 600_000 { text += "€uro 😀 ünï,x\n" }
        let (_, rows, reader) = try TemporaryFile.readAll(text: text)
        #expect(rows.allSatisfy { $0.cells == ["€uro 😀 ünï", "x"] })
        #expect(reader.detected["encoding"] == "utf-8")
    }
}
