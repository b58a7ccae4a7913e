import Foundation
import Testing
@testable import Tabular

@Suite("TableReaders")
struct TableReadersTests {
    @Test("tells the text formats apart by the extension first", arguments: [
        ("data.csv", ReadOptions.Format.csv), ("DATA.TSV", .tsv), ("x.tab", .tsv),
        ("rows.json", .json), ("rows.ndjson", .ndjson), ("rows.jsonl", .ndjson),
    ])
    func byExtension(fileName: String, expected: ReadOptions.Format) throws {
        let path = try TemporaryFile.make("[1]", extension: "tmp")
        defer { TemporaryFile.remove(path) }
        #expect(try TableReaders.detectFormat(path: path, fileName: fileName) == expected)
    }

    @Test("a workbook extension does not make text a workbook: the content decides", arguments: ["book.xlsx", "book.xlsm"])
    func workbookExtensionOnText(fileName: String) throws {
        let path = try TemporaryFile.make("[1]", extension: "tmp")
        defer { TemporaryFile.remove(path) }
        #expect(try TableReaders.detectFormat(path: path, fileName: fileName) == .json)
        let workbook = try TemporaryFile.make(ContentSnifferTests.workbook([["a"]]), extension: "tmp")
        defer { TemporaryFile.remove(workbook) }
        #expect(try TableReaders.detectFormat(path: workbook, fileName: fileName) == .xlsx)
    }

    @Test("sniffs the content when the extension says nothing", arguments: [
        ("\u{FEFF}  [{\"a\": 1}]", ReadOptions.Format.json),
        ("{\"a\": 1}\n{\"a\": 2}\n", .ndjson),
        ("{\n  \"data\": []\n}", .json),
        ("a\tb\n1\t2\n", .tsv),
        ("a,b\n1,2\n", .csv),
        ("a;b\n", .csv),
        ("", .csv),
    ])
    func byContent(text: String, expected: ReadOptions.Format) throws {
        let path = try TemporaryFile.make(text, extension: "upload")
        defer { TemporaryFile.remove(path) }
        #expect(try TableReaders.detectFormat(path: path, fileName: nil) == expected)
    }

    @Test("a ZIP signature without a readable archive behind it is refused, not read as a workbook")
    func damagedZip() throws {
        let path = try TemporaryFile.make("PK\u{3}\u{4}rest", extension: "upload")
        defer { TemporaryFile.remove(path) }
        let error = TemporaryFile.error { try TableReaders.detectFormat(path: path, fileName: nil) }
        #expect(error?.kind == .unsupportedFormat)
        #expect(error?.message.contains("a damaged ZIP archive") == true)
    }

    @Test("prefers the user's file name over the temp path")
    func fileNameWins() throws {
        let path = try TemporaryFile.make("{\"a\": 1}\n{\"a\": 2}\n", extension: "tmp")
        defer { TemporaryFile.remove(path) }
        let reader = try TableReaders.open(path: path, fileName: "export.jsonl", options: .init())
        #expect(try reader.readHeader() == ["a"])
        #expect(reader.detected["format"] == "ndjson")
        let xlsx = XLSXReaderTests.fixture("basic")
        #expect(try TableReaders.open(path: xlsx, fileName: "upload.bin", options: .init()).detected["format"] == "xlsx")
    }

    @Test("honours an explicit format")
    func explicitFormat() throws {
        let path = try TemporaryFile.make("a|b\n1|2\n", extension: "json")
        defer { TemporaryFile.remove(path) }
        let reader = try TableReaders.open(path: path, options: ReadOptions(format: .csv))
        #expect(try reader.readHeader() == ["a", "b"])
    }

    @Test("reports a missing file as an I/O error")
    func missingFile() {
        let error = TemporaryFile.error { try TableReaders.open(path: "/nonexistent/tabular/file.csv", options: .init()) }
        #expect(error?.kind == .io)
    }

    @Test("describes errors with their location")
    func errorDescription() {
        #expect(TabularError(.invalidEncoding, "invalid UTF-8", byteOffset: 1234, line: 17).description == "invalid UTF-8 at byte 1234 (line 17)")
        #expect(TabularError(.malformedCSV, "unterminated quoted field", line: 3).description == "unterminated quoted field (line 3)")
        #expect(TabularError(.io, "cannot open").description == "cannot open")
    }
}
