import Foundation
import Testing
@testable import Tabular

/// Readers built from an ``OpenedFile`` read the file that was opened, never a path again.
@Suite("Reading an opened file")
struct OpenedFileTests {
    func openFile(_ path: String) throws -> OpenedFile {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        try #require(fd >= 0)
        return OpenedFile(adopting: fd, path: path)
    }

    func rows(_ reader: any TableReader) throws -> [[String]] {
        var out: [[String]] = []
        while let row = try reader.nextRow() { out.append(row.cells) }
        return out
    }

    @Test("the path swapped for another file after opening changes nothing that is read")
    func swappedPath() throws {
        let path = try TemporaryFile.make("SKU,Name\nA1,Apple\n")
        let other = try TemporaryFile.make("SKU,Name\nZ9,Secret\n")
        defer { TemporaryFile.remove(path); TemporaryFile.remove(other) }
        let file = try openFile(path)
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.moveItem(atPath: other, toPath: path)
        let reader = try TableReaders.open(file: file, fileName: "feed.csv", options: ReadOptions())
        #expect(try reader.readHeader() == ["SKU", "Name"])
        #expect(try rows(reader) == [["A1", "Apple"]])
    }

    @Test("readers of one opened file keep their own positions; sniffing reads the open file")
    func independentReaders() throws {
        var text = "{\"sku\": \"A0\"}\n"
        for index in 1..<5_000 { text += "{\"sku\": \"A\(index)\"}\n" }
        let path = try TemporaryFile.make(text, extension: "data")
        defer { TemporaryFile.remove(path) }
        let file = try openFile(path)
        #expect(try TableReaders.detectFormat(file: file, fileName: nil) == .ndjson)
        let first = try TableReaders.open(file: file, fileName: nil, options: ReadOptions())
        let second = try TableReaders.open(file: file, fileName: nil, options: ReadOptions())
        var firstRows: [String] = []
        var secondRows: [String] = []
        // Interleaved: a shared file position would make each reader skip what the other read.
        while true {
            let a = try first.nextRow()
            let b = try second.nextRow()
            if let a { firstRows.append(a.cells[0]) }
            if let b { secondRows.append(b.cells[0]) }
            if a == nil && b == nil { break }
        }
        #expect(firstRows.count == 5_000 && firstRows == secondRows)
        #expect(firstRows.first == "A0" && firstRows.last == "A4999")
    }

    @Test("workbooks read from an opened file too")
    func workbook() throws {
        let path = TemporaryFile.fixtures.appendingPathComponent("xlsx/basic.xlsx").path
        let byPath = try TemporaryFile.readAll(path: path)
        let reader = try TableReaders.open(file: try openFile(path), fileName: nil, options: ReadOptions())
        #expect(try reader.readHeader() == byPath.header)
        #expect(try rows(reader) == byPath.rows.map(\.cells))
    }
}
