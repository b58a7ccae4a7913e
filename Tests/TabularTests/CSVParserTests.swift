import Testing
@testable import Tabular

@Suite("CSVParser")
struct CSVParserTests {
    /// Parses `text` fed as one chunk.
    static func parse(_ bytes: [UInt8], delimiter: UInt8 = UInt8(ascii: ","), maxFieldBytes: Int = 1 << 20) throws(TabularError) -> [CSVRecord] {
        var parser = CSVParser(delimiter: delimiter, maxFieldBytes: maxFieldBytes)
        var records: [CSVRecord] = []
        try parser.feed(bytes, into: &records)
        try parser.finish(into: &records)
        return records
    }

    static func parse(_ text: String) throws(TabularError) -> [[String]] {
        try parse(Array(text.utf8)).map(\.cells)
    }

    /// Parses `bytes` split into chunks at the given positions.
    static func parse(_ bytes: [UInt8], splits: [Int]) throws(TabularError) -> [CSVRecord] {
        var parser = CSVParser()
        var records: [CSVRecord] = []
        var start = 0
        for split in splits + [bytes.count] {
            try parser.feed(Array(bytes[start..<split]), into: &records)
            start = split
        }
        try parser.finish(into: &records)
        return records
    }

    static let tricky = "a,b,\"c\"\r\n\"q,\"\"x\"\"\r\ny\",2,\r\nlone\rcr,\"\"\n\n\"tail\"x,ab\"c\"d,\"é€😀\",\"\"\"\"\r\nlast"

    @Test("reads simple records with LF line ends")
    func simple() throws {
        #expect(try Self.parse("a,b,c\n1,2,3\n") == [["a", "b", "c"], ["1", "2", "3"]])
    }

    @Test("treats CRLF, LF and a lone CR as line ends")
    func lineEnds() throws {
        #expect(try Self.parse("a,b\r\n1,2\r3,4\n5,6") == [["a", "b"], ["1", "2"], ["3", "4"], ["5", "6"]])
    }

    @Test("keeps delimiters, doubled quotes and line breaks inside quoted fields")
    func quotedFields() throws {
        #expect(try Self.parse("\"a,b\",\"say \"\"hi\"\"\",\"x\r\ny\nz\"\n") == [["a,b", "say \"hi\"", "x\r\ny\nz"]])
    }

    @Test("keeps a quote inside an unquoted field literally")
    func quoteInsideUnquoted() throws {
        #expect(try Self.parse("ab\"c,5\"\n") == [["ab\"c", "5\""]])
    }

    @Test("appends text that follows a closing quote")
    func textAfterClosingQuote() throws {
        #expect(try Self.parse("\"ab\"cd,\"x\" y\n") == [["abcd", "x y"]])
    }

    @Test("distinguishes a trailing newline from none and keeps empty trailing fields")
    func trailingNewline() throws {
        #expect(try Self.parse("a,b\n1,2") == [["a", "b"], ["1", "2"]])
        #expect(try Self.parse("a,b\n1,2\n") == [["a", "b"], ["1", "2"]])
        #expect(try Self.parse("a,b\n1,\n") == [["a", "b"], ["1", ""]])
        #expect(try Self.parse("a,b\n1,") == [["a", "b"], ["1", ""]])
        #expect(try Self.parse("") == [])
    }

    @Test("reports blank lines as records of one empty field")
    func blankLines() throws {
        let records = try Self.parse(Array("a\n\n\r\nb\n".utf8))
        #expect(records.map(\.cells) == [["a"], [""], [""], ["b"]])
        #expect(records.map(\.isBlank) == [false, true, true, false])
    }

    @Test("keeps ragged rows as they are")
    func raggedRows() throws {
        #expect(try Self.parse("a,b,c\n1\n1,2,3,4\n") == [["a", "b", "c"], ["1"], ["1", "2", "3", "4"]])
    }

    @Test("numbers records by the physical line they start on")
    func recordLines() throws {
        let records = try Self.parse(Array("a\n\"x\ny\"\r\nb\rc".utf8))
        #expect(records.map(\.line) == [1, 2, 4, 5])
    }

    @Test("names the starting line of an unterminated quoted field")
    func unterminatedQuote() {
        #expect(throws: TabularError(.malformedCSV, "unterminated quoted field starting on line 3", line: 3)) {
            _ = try Self.parse("a,b\n1,2\n3,\"oops\n\n")
        }
    }

    @Test("rejects a field longer than the limit")
    func fieldTooLong() throws {
        let long = Array("a,".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: 101) + [0x0A]
        #expect(throws: TabularError.self) { _ = try Self.parse(long, maxFieldBytes: 100) }
        let quoted = Array("\"".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: 101) + Array("\"\n".utf8)
        let error = TemporaryFile.error { try Self.parse(quoted, maxFieldBytes: 100) }
        #expect(error?.kind == .limitExceeded)
        #expect(try Self.parse(Array(repeating: UInt8(ascii: "y"), count: 100), maxFieldBytes: 100).map(\.cells) == [[String(repeating: "y", count: 100)]])
    }

    @Test("rejects a field over the limit even when it arrives in small chunks")
    func fieldTooLongAcrossChunks() {
        var parser = CSVParser(maxFieldBytes: 10)
        var records: [CSVRecord] = []
        let error = TemporaryFile.error {
            for _ in 0..<20 { try parser.feed(Array("ab".utf8), into: &records) }
        }
        #expect(error?.kind == .limitExceeded)
    }

    @Test("gives the same records whatever the chunk boundaries")
    func everySplitPosition() throws {
        let bytes = Array(Self.tricky.utf8)
        let expected = try Self.parse(bytes)
        #expect(expected.map(\.cells) == [
            ["a", "b", "c"], ["q,\"x\"\r\ny", "2", ""], ["lone"], ["cr", ""], [""],
            ["tailx", "ab\"c\"d", "é€😀", "\""], ["last"],
        ])
        for split in 0...bytes.count {
            let got = try Self.parse(bytes, splits: [split])
            #expect(got == expected, "split at \(split): \(got)")
        }
        for first in stride(from: 0, through: bytes.count, by: 3) {
            for second in first...bytes.count {
                #expect(try Self.parse(bytes, splits: [first, second]) == expected, "splits at \(first), \(second)")
            }
        }
        #expect(try Self.parse(bytes, splits: Array(0...bytes.count)) == expected, "byte by byte")
    }

    @Test("uses any delimiter byte")
    func otherDelimiters() throws {
        #expect(try Self.parse(Array("a;b\n\"x;y\";2\n".utf8), delimiter: UInt8(ascii: ";")).map(\.cells) == [["a", "b"], ["x;y", "2"]])
        #expect(try Self.parse(Array("a\tb\n1\t2".utf8), delimiter: 0x09).map(\.cells) == [["a", "b"], ["1", "2"]])
    }
}
