import Foundation
import Tabular
import Testing

/// Replays the committed seed corpus of each table-reader fuzz target (`Fuzz/Corpus/TARGET`)
/// through the same harness the libFuzzer build runs, so every input that once found a bug
/// stays a regression test. The long runs are `Fuzz/run.sh`.
@Suite("Fuzz corpus replay: table readers")
struct TabularFuzzCorpusTests {
    static func corpus(_ target: String) throws -> [(name: String, bytes: [UInt8])] {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fuzz/Corpus/\(target)")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        return try names.map { name in
            (name, [UInt8](try Data(contentsOf: directory.appendingPathComponent(name))))
        }
    }

    static func harness(_ target: String) -> (([UInt8], FuzzScratchFile) -> [String])? {
        switch target {
        case "csv": CSVFuzz.check
        case "json": JSONFuzz.check
        case "xlsx": XLSXFuzz.check
        case "xlsx-sheet": XLSXSheetFuzz.check
        default: nil
        }
    }

    @Test("every corpus input reads without breaking the TableReader contract", arguments: ["csv", "json", "xlsx", "xlsx-sheet"])
    func replay(target: String) throws {
        let check = try #require(Self.harness(target))
        let inputs = try Self.corpus(target)
        #expect(inputs.count >= 5)
        let scratch = FuzzScratchFile()
        for (name, bytes) in inputs {
            #expect(check(bytes, scratch) == [], "\(target)/\(name)")
        }
    }
}

@Suite("Fuzz harness: table readers")
struct TabularFuzzHarnessTests {
    @Test("the xlsx-sheet harness builds a workbook the reader reads, so the fuzzer reaches the sheet reader")
    func storedWorkbookReads() throws {
        let scratch = FuzzScratchFile()
        let sheet = #"<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>Qty</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>x</t></is></c><c r="B2"><v>3</v></c></row></sheetData></worksheet>"#
        let parts = zip(XLSXSheetFuzz.partNames, [Array(sheet.utf8)] + XLSXSheetFuzz.defaultParts.dropFirst().map { Array($0.utf8) })
        scratch.write(StoredZip.archive(Array(parts)))
        let result = XLSXFuzz.read(scratch, options: ReadOptions(format: .xlsx, limits: XLSXFuzz.limits))
        #expect(result.error == nil)
        #expect(result.header == ["Name", "Qty"])
        #expect(result.rows.map(\.cells) == [["x", "3"]])
    }

    @Test("a CRC-32 matches the ZIP check value")
    func crc() {
        #expect(StoredZip.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
    }
}
