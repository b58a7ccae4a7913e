/// The parts of a workbook needed before reading a sheet: sheet list, date system, shared
/// strings and cell styles. Loaded once when the reader opens; the sheet itself is streamed.
final class XLSXWorkbook {
    /// One worksheet as listed in `workbook.xml`, in workbook order.
    struct Sheet: Equatable {
        var name: String
        /// Path of the sheet part inside the archive.
        var path: String
    }

    let archive: ZipArchive
    private let limits: ReadLimits
    private(set) var sheets: [Sheet] = []
    private(set) var dateSystem: SpreadsheetDate.System = .from1900
    /// Shared strings by index. Memory is bounded by `maxSharedStringsBytes`.
    private(set) var sharedStrings: [String] = []
    /// Number format class of each cell style (`cellXfs` index → class).
    private(set) var styleFormats: [NumberFormat] = []

    init(archive: ZipArchive, limits: ReadLimits) throws(TabularError) {
        self.archive = archive
        self.limits = limits
        let workbookPath = try officeDocumentPath()
        let relationships = try readRelationships(of: workbookPath)
        try readWorkbook(workbookPath, relationships: relationships)
        let directory = Self.directory(of: workbookPath)
        if let path = relationships.first(where: { $0.type.hasSuffix("/sharedStrings") })?.target ?? Optional(directory + "sharedStrings.xml"),
           let entry = entry(path) {
            try readSharedStrings(entry)
        }
        if let path = relationships.first(where: { $0.type.hasSuffix("/styles") })?.target ?? Optional(directory + "styles.xml"),
           let entry = entry(path) {
            try readStyles(entry)
        }
    }

    /// The ZIP entry for a part path, tolerating a leading "/" and case differences.
    func entry(_ path: String) -> ZipEntry? {
        let trimmed = path.hasPrefix("/") ? String(path.dropFirst()) : path
        if let entry = archive.entry(trimmed) { return entry }
        let lowered = trimmed.lowercased()
        return archive.entries.values.first { $0.name.lowercased() == lowered }
    }

    /// A pull parser over a part.
    func parser(for entry: ZipEntry) throws(TabularError) -> (XMLPullParser, ZipEntryReader) {
        let reader = try archive.open(entry)
        return (XMLPullParser(cursor: ByteCursor(source: reader), partName: entry.name, maxTextBytes: limits.maxFieldBytes), reader)
    }

    private static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[...slash])
    }

    /// Resolves a relationship target against the folder of its source part (OPC, ECMA-376 Part 2 §9.3).
    private static func resolve(_ target: String, from directory: String) -> String {
        if target.hasPrefix("/") { return String(target.dropFirst()) }
        var parts = directory.split(separator: "/").map(String.init)
        for piece in target.split(separator: "/") {
            if piece == ".." {
                if !parts.isEmpty { parts.removeLast() }
            } else if piece != "." {
                parts.append(String(piece))
            }
        }
        return parts.joined(separator: "/")
    }

    private func officeDocumentPath() throws(TabularError) -> String {
        guard let rels = entry("_rels/.rels") else {
            guard entry("xl/workbook.xml") != nil else {
                throw TabularError(.malformedXLSX, "not an XLSX workbook: the ZIP archive has no xl/workbook.xml")
            }
            return "xl/workbook.xml"
        }
        var (parser, _) = try parser(for: rels)
        while true {
            switch try parser.next() {
            case .start where parser.name == "Relationship":
                if parser.attribute("Type")?.hasSuffix("/officeDocument") == true, let target = parser.attribute("Target") {
                    return Self.resolve(target, from: "")
                }
            case .endOfDocument:
                guard entry("xl/workbook.xml") != nil else {
                    throw TabularError(.malformedXLSX, "not an XLSX workbook: no office document relationship")
                }
                return "xl/workbook.xml"
            default:
                break
            }
        }
    }

    private struct Relationship {
        var id: String
        var type: String
        var target: String
    }

    private func readRelationships(of part: String) throws(TabularError) -> [Relationship] {
        let directory = Self.directory(of: part)
        let fileName = String(part.dropFirst(directory.count))
        guard let rels = entry(directory + "_rels/" + fileName + ".rels") else { return [] }
        var (parser, _) = try parser(for: rels)
        var result: [Relationship] = []
        while true {
            switch try parser.next() {
            case .start where parser.name == "Relationship":
                if let id = parser.attribute("Id"), let target = parser.attribute("Target"), parser.attribute("TargetMode") != "External" {
                    result.append(Relationship(id: id, type: parser.attribute("Type") ?? "", target: Self.resolve(target, from: directory)))
                }
            case .endOfDocument:
                return result
            default:
                break
            }
        }
    }

    private func readWorkbook(_ path: String, relationships: [Relationship]) throws(TabularError) {
        guard let workbook = entry(path) else {
            throw TabularError(.malformedXLSX, "not an XLSX workbook: \(path) is missing")
        }
        let targets = Dictionary(relationships.map { ($0.id, $0.target) }, uniquingKeysWith: { first, _ in first })
        var (parser, _) = try parser(for: workbook)
        var index = 0
        while true {
            switch try parser.next() {
            case .start where parser.name == "workbookPr":
                if let flag = parser.attribute("date1904"), flag == "1" || flag.lowercased() == "true" {
                    dateSystem = .from1904
                }
            case .start where parser.name == "sheet":
                index += 1
                let name = parser.attribute("name") ?? "Sheet\(index)"
                let target = parser.attribute("id").flatMap { targets[$0] } ?? "xl/worksheets/sheet\(index).xml"
                sheets.append(Sheet(name: name, path: target))
            case .endOfDocument:
                guard !sheets.isEmpty else {
                    throw TabularError(.malformedXLSX, "the workbook has no worksheets")
                }
                return
            default:
                break
            }
        }
    }

    private func readSharedStrings(_ entry: ZipEntry) throws(TabularError) {
        var (parser, _) = try parser(for: entry)
        var totalBytes = 0
        while true {
            switch try parser.next() {
            case .start where parser.name == "si":
                let text = try Self.readRichText(&parser, until: "si")
                totalBytes += text.utf8.count + 16
                if totalBytes > limits.maxSharedStringsBytes {
                    throw TabularError(.limitExceeded, "shared strings larger than \(limits.maxSharedStringsBytes) bytes (maxSharedStringsBytes)")
                }
                sharedStrings.append(text)
            case .endOfDocument:
                return
            default:
                break
            }
        }
    }

    /// ECMA-376's `ST_Xstring` escapes: `_xHHHH_` is the UTF-16 code unit HHHH (how Excel writes
    /// characters XML cannot hold, such as control characters), so `_x005F_` is a literal `_`.
    /// A pair of escapes that make a surrogate pair is one character; anything else stays as written.
    static func unescapingHex(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        func unit(at i: Int) -> UInt32? {
            guard i + 6 < scalars.count, scalars[i] == "_", scalars[i + 1] == "x", scalars[i + 6] == "_" else { return nil }
            var value: UInt32 = 0
            for s in scalars[(i + 2)...(i + 5)] {
                let v = s.value
                let digit: UInt32
                switch v {
                case 0x30...0x39: digit = v - 0x30
                case 0x41...0x46: digit = v - 0x41 + 10
                case 0x61...0x66: digit = v - 0x61 + 10
                default: return nil
                }
                value = value << 4 | digit
            }
            return value
        }
        var out = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            if let u = unit(at: i) {
                if (0xD800...0xDBFF).contains(u), let low = unit(at: i + 7), (0xDC00...0xDFFF).contains(low),
                   let s = Unicode.Scalar(0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00)) {
                    out.append(s)
                    i += 14
                    continue
                }
                if let s = Unicode.Scalar(u) {
                    out.append(s)
                    i += 7
                    continue
                }
            }
            out.append(scalars[i])
            i += 1
        }
        return String(out)
    }

    /// Whether `text` has `_x` anywhere, the start of every `_xHHHH_` escape, looked for in its
    /// UTF-8 bytes. (`String.contains("_x")` resolves to Foundation's `range(of:)`, which bridged
    /// every cell to `NSString`: 40% of the parse thread of an XLSX import in a profile.)
    static func mayHoldHexEscape(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.count > 1 else { return false }
            for index in 0..<(bytes.count - 1) where bytes[index] == UInt8(ascii: "_") && bytes[index + 1] == UInt8(ascii: "x") {
                return true
            }
            return false
        }
    }

    /// Concatenates the `<t>` runs of a string item (`<si>` or `<is>`), leaving out phonetic
    /// runs (`<rPh>`), up to the end of `element`.
    static func readRichText(_ parser: inout XMLPullParser, until element: String) throws(TabularError) -> String {
        var result = ""
        var inText = false
        while true {
            switch try parser.next() {
            case .start:
                if parser.name == "t" {
                    inText = true
                } else if parser.name == "rPh" || parser.name == "phoneticPr" {
                    try parser.skipElement()
                }
            case .end:
                if parser.name == "t" {
                    inText = false
                } else if parser.name == element {
                    return Self.mayHoldHexEscape(result) ? Self.unescapingHex(result) : result
                }
            case .text:
                if inText { result += parser.text }
            case .endOfDocument:
                throw parser.error("unexpected end of document inside <\(element)>")
            }
        }
    }

    private func readStyles(_ entry: ZipEntry) throws(TabularError) {
        var (parser, _) = try parser(for: entry)
        var customFormats: [Int: NumberFormat] = [:]
        var inCellXfs = false
        while true {
            switch try parser.next() {
            case .start where parser.name == "numFmt":
                if let id = parser.attribute("numFmtId").flatMap({ Int($0) }), let code = parser.attribute("formatCode") {
                    customFormats[id] = NumberFormat.classify(code: code)
                }
            case .start where parser.name == "cellXfs":
                inCellXfs = true
            case .end where parser.name == "cellXfs":
                inCellXfs = false
            case .start where parser.name == "xf" && inCellXfs:
                let id = parser.attribute("numFmtId").flatMap { Int($0) } ?? 0
                // Excel allows 64 000 cell formats; far more is a hostile file.
                guard styleFormats.count < 1_000_000, customFormats.count < 1_000_000 else {
                    throw TabularError(.limitExceeded, "styles.xml defines more than 1 000 000 cell formats")
                }
                styleFormats.append(customFormats[id] ?? NumberFormat.builtIn(id))
            case .endOfDocument:
                return
            default:
                break
            }
        }
    }
}
