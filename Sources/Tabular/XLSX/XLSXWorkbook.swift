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
                    return result
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
