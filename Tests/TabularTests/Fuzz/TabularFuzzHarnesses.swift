// Fuzz harnesses for the table readers, shared by the libFuzzer targets under `Fuzz/` (which
// compile this file next to their entry point) and by `FuzzCorpusTests`, which replays the
// committed corpus through them on every `swift test`. Keep this file free of `Testing`.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@testable import Tabular

/// A file in the temporary directory that each input overwrites, so a fuzzer that runs millions
/// of inputs creates one file, not millions. Removed when the object goes away.
final class FuzzScratchFile {
    let path: String
    private let descriptor: Int32

    init() {
        var template = Array((Self.temporaryDirectory + "/ingest-fuzz-XXXXXX").utf8CString)
        descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        precondition(descriptor >= 0, "cannot create a scratch file in \(Self.temporaryDirectory)")
        path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    deinit {
        _ = close(descriptor)
        _ = unlink(path)
    }

    private static var temporaryDirectory: String {
        guard let value = getenv("TMPDIR") else { return "/tmp" }
        let text = String(cString: value)
        return text.isEmpty ? "/tmp" : text
    }

    /// Replaces the file's content with `bytes`.
    func write(_ bytes: some Collection<UInt8>) {
        precondition(ftruncate(descriptor, 0) == 0, "cannot truncate the scratch file")
        let array = Array(bytes)
        var done = 0
        while done < array.count {
            let written = array.withUnsafeBytes { pwrite(descriptor, $0.baseAddress! + done, array.count - done, off_t(done)) }
            if written < 0 && errno == EINTR { continue }
            precondition(written > 0, "cannot write the scratch file")
            done += written
        }
    }
}

/// What a reader gave for one file: the header, the rows, and the error that stopped it.
struct FuzzReadResult: Equatable {
    var header: [String]?
    var rows: [TableRow] = []
    var error: TabularError?
    var problems: [String] = []

    /// Reads everything from a reader made by `open`, checking the ``TableReader`` contract on
    /// the way: row numbers increase, limits hold, and an error repeats once thrown.
    static func read(limits: ReadLimits, _ open: () throws(TabularError) -> any TableReader) -> FuzzReadResult {
        var result = FuzzReadResult()
        let reader: any TableReader
        do {
            reader = try open()
        } catch {
            result.error = error
            return result
        }
        do {
            result.header = try reader.readHeader()
            if try reader.readHeader() != result.header { result.problems.append("readHeader() changed on a second call") }
            while let row = try reader.nextRow() {
                if let last = result.rows.last, row.recordNumber <= last.recordNumber {
                    result.problems.append("row number \(row.recordNumber) after \(last.recordNumber)")
                }
                if row.cells.count > limits.maxCellsPerRow {
                    result.problems.append("a row of \(row.cells.count) cells passed maxCellsPerRow \(limits.maxCellsPerRow)")
                }
                if let cell = row.cells.first(where: { $0.utf8.count > limits.maxFieldBytes }) {
                    result.problems.append("a \(cell.utf8.count)-byte cell passed maxFieldBytes \(limits.maxFieldBytes)")
                }
                result.rows.append(row)
            }
            if try reader.nextRow() != nil { result.problems.append("a row after the end") }
        } catch {
            result.error = error
            do {
                _ = try reader.nextRow()
                result.problems.append("nextRow() after the error \(error) returned instead of throwing")
            } catch let again {
                if again != error { result.problems.append("the error \(error) became \(again) on the next call") }
            }
        }
        if let total = reader.totalBytes, reader.bytesRead > total {
            result.problems.append("bytesRead \(reader.bytesRead) > totalBytes \(total)")
        }
        return result
    }

    /// What differs between two reads of the same file, ignoring ``problems``.
    func difference(from other: FuzzReadResult) -> String? {
        if header != other.header { return "header \(String(describing: header)) vs \(String(describing: other.header))" }
        if rows != other.rows {
            let index = rows.indices.first { $0 >= other.rows.count || rows[$0] != other.rows[$0] } ?? rows.count
            return "\(rows.count) vs \(other.rows.count) rows, first difference at row \(index)"
        }
        if error != other.error { return "error \(String(describing: error)) vs \(String(describing: other.error))" }
        return nil
    }
}

/// One input through ``CSVReader``. The first byte picks the options (format, delimiter,
/// encoding, header row); the rest is the file. Read with the sniffed dialect, then again in
/// small blocks with the dialect fixed, both reads must give the same rows and error.
enum CSVFuzz {
    static let limits = ReadLimits(maxFieldBytes: 512, maxCellsPerRow: 64)

    static func options(_ selector: UInt8) -> ReadOptions {
        let delimiters: [UInt8?] = [nil, nil, UInt8(ascii: ","), UInt8(ascii: ";"), 0x09, UInt8(ascii: "|"), nil, nil]
        let encodings: [ReadOptions.Encoding?] = [nil, nil, nil, .utf8, .utf16, .windows1252, .iso88591, nil]
        return ReadOptions(
            format: selector & 0x40 == 0 ? .csv : .tsv,
            delimiter: delimiters[Int(selector & 7)],
            encoding: encodings[Int(selector >> 3 & 7)],
            headerRow: selector & 0x80 == 0 ? 1 : 3,
            limits: limits
        )
    }

    static func check(_ bytes: [UInt8], scratch: FuzzScratchFile) -> [String] {
        guard let selector = bytes.first else { return [] }
        var options = options(selector)
        scratch.write(bytes.dropFirst())
        var sniffed: CSVReader?
        let first = FuzzReadResult.read(limits: limits) { () throws(TabularError) -> any TableReader in
            let reader = try CSVReader(path: scratch.path, format: options.format ?? .csv, options: options)
            sniffed = reader
            return reader
        }
        var problems = first.problems
        // Same dialect, 16 + n byte blocks: block boundaries must not matter.
        guard let detected = sniffed?.detected["delimiter"] else { return problems }
        options.delimiter = detected == "tab" ? 0x09 : detected.utf8.first
        let blockBytes = 16 + Int(selector & 0x0F)
        let second = FuzzReadResult.read(limits: limits) { () throws(TabularError) -> any TableReader in
            try CSVReader(source: FileByteSource(path: scratch.path, blockBytes: blockBytes), format: options.format ?? .csv, options: options)
        }
        problems += second.problems
        if let difference = first.difference(from: second) {
            problems.append("64 KiB blocks vs \(blockBytes)-byte blocks: \(difference)")
        }
        return problems
    }
}

/// One input through ``JSONRowReader``. The first byte picks JSON or NDJSON and a pointer; the
/// rest is the file. Read in 64 KiB blocks and in small blocks, it must give the same rows.
enum JSONFuzz {
    static let limits = ReadLimits(maxFieldBytes: 512, maxCellsPerRow: 64, jsonHeaderSampleObjects: 4, maxJSONDepth: 12)

    static func options(_ selector: UInt8) -> ReadOptions {
        let pointers: [String?] = [nil, nil, "/data", "/a/0/b", nil, "", "/data/items", "/~1x~0"]
        return ReadOptions(format: selector & 0x80 == 0 ? .json : .ndjson, jsonPointer: pointers[Int(selector & 7)], limits: limits)
    }

    static func check(_ bytes: [UInt8], scratch: FuzzScratchFile) -> [String] {
        guard let selector = bytes.first else { return [] }
        let options = options(selector)
        let format = options.format ?? .json
        scratch.write(bytes.dropFirst())
        let whole = FuzzReadResult.read(limits: limits) { () throws(TabularError) -> any TableReader in
            try JSONRowReader(path: scratch.path, format: format, options: options)
        }
        let blockBytes = 16 + Int(selector >> 3 & 0x0F)
        let small = FuzzReadResult.read(limits: limits) { () throws(TabularError) -> any TableReader in
            try JSONRowReader(path: scratch.path, format: format, options: options, blockBytes: blockBytes)
        }
        var problems = whole.problems + small.problems
        if let header = whole.header, let row = whole.rows.first(where: { $0.cells.count != header.count }) {
            problems.append("row \(row.recordNumber) has \(row.cells.count) cells for \(header.count) header names")
        }
        if let difference = whole.difference(from: small) {
            problems.append("64 KiB blocks vs \(blockBytes)-byte blocks: \(difference)")
        }
        return problems
    }
}

/// One input through ``XLSXReader`` as a whole file. The first byte picks the sheet and header
/// row; the rest is the file (a ZIP archive, or anything).
enum XLSXFuzz {
    static let limits = ReadLimits(
        maxFieldBytes: 1024, maxCellsPerRow: 64, maxZipEntries: 64, maxUncompressedBytes: 4 << 20,
        maxCells: 20_000, maxSharedStringsBytes: 64 << 10
    )

    static func options(_ selector: UInt8) -> ReadOptions {
        let sheets: [ReadOptions.Sheet?] = [nil, nil, .index(1), .index(2), .name("Sheet1"), .name("sheet2"), nil, .index(0)]
        return ReadOptions(format: .xlsx, headerRow: selector & 0x80 == 0 ? 1 : 2, sheet: sheets[Int(selector & 7)], limits: limits)
    }

    static func check(_ bytes: [UInt8], scratch: FuzzScratchFile) -> [String] {
        guard let selector = bytes.first else { return [] }
        scratch.write(bytes.dropFirst())
        return read(scratch, options: options(selector)).problems
    }

    static func read(_ scratch: FuzzScratchFile, options: ReadOptions) -> FuzzReadResult {
        let result = FuzzReadResult.read(limits: options.limits) { () throws(TabularError) -> any TableReader in
            try XLSXReader(path: scratch.path, options: options)
        }
        var problems = result.problems
        if let header = result.header, header.last?.isEmpty == true { problems.append("the header ends with an empty cell") }
        var checked = result
        checked.problems = problems
        return checked
    }
}

/// One input through ``XLSXReader`` as the XML of a well-formed workbook: the input is split at
/// NUL bytes into the sheet, the shared strings, the styles and the workbook part, which are
/// stored (uncompressed, with correct CRCs) in a ZIP archive, so the fuzzer works on the XML
/// and the sheet reader rather than on the archive's checksums.
enum XLSXSheetFuzz {
    static let defaultParts = [
        #"<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>"#,
        #"<sst><si><t>Name</t></si></sst>"#,
        #"<styleSheet><cellXfs><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>"#,
        #"<workbook><sheets><sheet name="Sheet1"/></sheets></workbook>"#,
    ]
    static let partNames = ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml", "xl/workbook.xml"]

    static func check(_ bytes: [UInt8], scratch: FuzzScratchFile) -> [String] {
        var parts = bytes.split(separator: 0, maxSplits: 3, omittingEmptySubsequences: false).map(Array.init)
        if parts.isEmpty { parts = [[]] }
        for index in parts.count..<defaultParts.count { parts.append(Array(defaultParts[index].utf8)) }
        scratch.write(StoredZip.archive(Array(zip(partNames, parts))))
        return XLSXFuzz.read(scratch, options: ReadOptions(format: .xlsx, limits: XLSXFuzz.limits)).problems
    }
}

/// Writes a ZIP archive of stored (uncompressed) entries (PKWARE APPNOTE 6.3 §4.3).
enum StoredZip {
    static func archive(_ entries: [(name: String, data: [UInt8])]) -> [UInt8] {
        var out: [UInt8] = []
        var directory: [UInt8] = []
        for (name, data) in entries {
            let offset = UInt32(out.count)
            let nameBytes = Array(name.utf8)
            let crc = crc32(data)
            // Local file header.
            append32(0x0403_4B50, to: &out)
            append16(20, to: &out); append16(0, to: &out); append16(0, to: &out)
            append16(0, to: &out); append16(0, to: &out)
            append32(crc, to: &out); append32(UInt32(data.count), to: &out); append32(UInt32(data.count), to: &out)
            append16(UInt16(nameBytes.count), to: &out); append16(0, to: &out)
            out += nameBytes
            out += data
            // Central directory header.
            append32(0x0201_4B50, to: &directory)
            append16(20, to: &directory); append16(20, to: &directory); append16(0, to: &directory); append16(0, to: &directory)
            append16(0, to: &directory); append16(0, to: &directory)
            append32(crc, to: &directory); append32(UInt32(data.count), to: &directory); append32(UInt32(data.count), to: &directory)
            append16(UInt16(nameBytes.count), to: &directory); append16(0, to: &directory); append16(0, to: &directory)
            append16(0, to: &directory); append16(0, to: &directory); append32(0, to: &directory)
            append32(offset, to: &directory)
            directory += nameBytes
        }
        let directoryOffset = UInt32(out.count)
        out += directory
        // End of central directory record.
        append32(0x0605_4B50, to: &out)
        append16(0, to: &out); append16(0, to: &out)
        append16(UInt16(entries.count), to: &out); append16(UInt16(entries.count), to: &out)
        append32(UInt32(directory.count), to: &out); append32(directoryOffset, to: &out)
        append16(0, to: &out)
        return out
    }

    private static func append16(_ value: UInt16, to out: inout [UInt8]) {
        out += [UInt8(value & 0xFF), UInt8(value >> 8)]
    }

    private static func append32(_ value: UInt32, to out: inout [UInt8]) {
        append16(UInt16(value & 0xFFFF), to: &out)
        append16(UInt16(value >> 16), to: &out)
    }

    /// CRC-32 (ISO 3309, reflected polynomial 0xEDB88320), as ZIP uses it.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        return crc ^ 0xFFFF_FFFF
    }

    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }
}
