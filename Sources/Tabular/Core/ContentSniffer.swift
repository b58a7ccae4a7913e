/// What a file's bytes are, whatever its name says: the first check every file gets.
///
/// A name is a label anyone can choose (`report.csv` may be a workbook, `test.bin` random
/// bytes), so the content decides: a ZIP signature is a workbook (if the archive holds one),
/// other known binary signatures and bytes no text file holds are refused, and text is told
/// apart as CSV, TSV, JSON or NDJSON from its name or, failing that, its first bytes.
package enum ContentSniffer {
    /// What the bytes are.
    package enum Kind: Sendable, Equatable {
        /// A ZIP archive holding an XLSX workbook.
        case workbook
        /// Text (UTF-8, a single-byte code page, or UTF-16 with or without a BOM).
        case text
        /// Nothing the readers take; the sentence says what it looks like ("a PNG image").
        case refused(String)
        /// A legacy or encrypted workbook, or a damaged ZIP archive: refused, unless its name
        /// says XLSX, when the XLSX reader says what is wrong with it.
        case brokenWorkbook(String)
    }

    /// The outcome: the format to read, and a note when the name said otherwise.
    package struct Detection: Sendable, Equatable {
        package var format: ReadOptions.Format
        package var note: String?
    }

    /// Bytes of the head looked at.
    static let headBytes = 4096

    /// Detects the format of `source`, named `fileName` (the user's name, for its extension).
    static func detect(_ source: FileByteSource, fileName: String?) throws(TabularError) -> Detection {
        let head = try source.read(at: 0, count: headBytes)
        let named = fileName.flatMap(TableReaders.formatFromExtension)
        let shown = fileName.map(Self.lastComponent) ?? "the file"
        // An empty file has no content to judge: its reader says it is empty.
        if head.isEmpty { return Detection(format: named ?? .csv, note: nil) }
        switch try kind(head: head, source: source) {
        case .brokenWorkbook where named == .xlsx:
            return Detection(format: .xlsx, note: nil)
        case .refused(let what), .brokenWorkbook(let what):
            throw TabularError(.unsupportedFormat, "the file is not CSV, TSV, XLSX, JSON or NDJSON: it looks like \(what)")
        case .workbook:
            if let named, named != .xlsx {
                return Detection(format: .xlsx, note: "'\(shown)' is named like \(named.rawValue.uppercased()) but is an XLSX workbook (ZIP); it was read as XLSX.")
            }
            return Detection(format: .xlsx, note: nil)
        case .text:
            if let named, named != .xlsx { return Detection(format: named, note: nil) }
            let sniffed = TableReaders.sniffFormat(head)
            if named == .xlsx {
                return Detection(format: sniffed, note: "'\(shown)' is named like XLSX but is text; it was read as \(sniffed.rawValue.uppercased()).")
            }
            return Detection(format: sniffed, note: nil)
        }
    }

    /// The kind of content whose first bytes are `head`; a ZIP archive is opened to see
    /// whether it holds a workbook.
    static func kind(head: [UInt8], source: FileByteSource) throws(TabularError) -> Kind {
        if head.starts(with: TableReaders.compoundFileMagic) {
            return .brokenWorkbook("a legacy .xls workbook or an encrypted .xlsx; save it as .xlsx (without a password) or CSV")
        }
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) || head.starts(with: [0x50, 0x4B, 0x05, 0x06]) {
            return workbookKind(source)
        }
        if let what = signature(head) { return .refused(what) }
        if head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0xFE, 0xFF]) || utf16ByteOrder(head) != nil { return .text }
        let controls = head.reduce(0) { $0 + (isBinaryByte($1) ? 1 : 0) }
        if let offset = head.firstIndex(where: isBinaryByte), head.contains(0) || (controls >= 4 && controls * 100 > head.count) {
            let digits = Array("0123456789ABCDEF")
            let byte = head[offset]
            return .refused("binary data (byte 0x\(digits[Int(byte >> 4)])\(digits[Int(byte & 0xF)]) at offset \(offset) is not text)")
        }
        return .text
    }

    /// A ZIP archive is a workbook when it has `xl/workbook.xml` (what every XLSX has; `.xlsm`
    /// too). A document or presentation, or any other archive, is refused, saying which.
    private static func workbookKind(_ source: FileByteSource) -> Kind {
        let archive: ZipArchive
        do {
            archive = try ZipArchive(file: source, limits: ReadLimits())
        } catch {
            return .brokenWorkbook("a damaged ZIP archive (\(error.message))")
        }
        if archive.entry("xl/workbook.xml") != nil { return .workbook }
        if archive.entry("xl/workbook.bin") != nil { return .refused("an .xlsb binary workbook; save it as .xlsx or CSV") }
        if archive.entry("word/document.xml") != nil { return .refused("a Word document (.docx), not a workbook") }
        if archive.entry("ppt/presentation.xml") != nil { return .refused("a PowerPoint presentation (.pptx), not a workbook") }
        if archive.entry("content.xml") != nil { return .refused("an OpenDocument file (.ods/.odt); save it as .xlsx or CSV") }
        return .refused("a ZIP archive that is not an XLSX workbook (it has no xl/workbook.xml)")
    }

    /// Known binary signatures, named.
    static func signature(_ head: [UInt8]) -> String? {
        let known: [([UInt8], String)] = [
            ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "a PNG image"),
            ([0xFF, 0xD8, 0xFF], "a JPEG image"),
            (Array("GIF8".utf8), "a GIF image"),
            (Array("%PDF-".utf8), "a PDF document"),
            ([0x1F, 0x8B], "a gzip archive"),
            (Array("BZh".utf8), "a bzip2 archive"),
            ([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], "an xz archive"),
            ([0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C], "a 7-Zip archive"),
            (Array("Rar!".utf8), "a RAR archive"),
            (Array("SQLite format 3".utf8) + [0], "an SQLite database"),
            (Array("PAR1".utf8), "a Parquet file"),
            ([0x7F, 0x45, 0x4C, 0x46], "an executable (ELF)"),
        ]
        return known.first { head.starts(with: $0.0) }?.1
    }

    /// A byte that text files do not hold (as the `file` command judges text): C0 controls other
    /// than BEL, BS, TAB, LF, VT, FF, CR and ESC. A NUL refuses the file (unless it is UTF-16);
    /// the others when there are at least four and they are more than 1% of the head, so a
    /// stray one in a cell does not.
    static func isBinaryByte(_ b: UInt8) -> Bool {
        switch b {
        case 0x00...0x06, 0x0E...0x1A, 0x1C...0x1F: return true
        default: return false
        }
    }

    /// UTF-16 without a BOM, judged by its zero bytes: text that is mostly ASCII has a zero in
    /// every other byte (the high byte of each unit: first in big-endian, second in little-endian)
    /// and none in the others. Returns whether it is big-endian, or nil when it is not UTF-16.
    package static func utf16ByteOrder(_ head: some Collection<UInt8>) -> Bool? {
        let bytes = Array(head.prefix(headBytes))
        let pairs = bytes.count / 2
        guard pairs >= 2 else { return nil }
        var evenZeros = 0, oddZeros = 0
        for i in 0..<pairs {
            if bytes[2 * i] == 0 { evenZeros += 1 }
            if bytes[2 * i + 1] == 0 { oddZeros += 1 }
        }
        // At least 40% of units look like ASCII, and the other position is (almost) never zero.
        if oddZeros * 5 >= pairs * 2 && evenZeros * 50 <= pairs { return false }
        if evenZeros * 5 >= pairs * 2 && oddZeros * 50 <= pairs { return true }
        return nil
    }

    private static func lastComponent(_ name: String) -> String {
        String(name.split(separator: "/").last ?? Substring(name))
    }
}
