import CZlib

/// Writes a one-sheet XLSX workbook as a stream: rows go out as they come, so memory does not
/// grow with the number of rows (the failed-rows export as a workbook).
///
/// Every cell is an inline string (`t="inlineStr"`), so values are kept exactly as text: no
/// number or date guessing (`01400` stays `01400`), and no cell is ever a formula, so nothing
/// needs neutralising. Characters XML 1.0 cannot hold (C0 controls other than TAB, LF and CR)
/// are written with Excel's `_xHHHH_` escapes, a literal `_xHHHH_` as `_x005F_xHHHH_`, and CR as
/// `&#13;`, so a reader that follows ECMA-376 (Excel, and Ingest's own) gets every cell back.
/// The sheet part is deflated with a ZIP data descriptor; the small parts are stored.
package final class XLSXWriter {
    private let sink: ([UInt8]) throws -> Void
    private var written: UInt64 = 0
    private var central: [UInt8] = []
    private var entryCount = 0
    private var rowNumber = 0
    private var sheet: DeflateStream?
    private var sheetHeaderOffset: UInt64 = 0
    private var finished = false

    /// The most bytes a workbook may have: ZIP without the ZIP64 extension (4 GiB).
    static let maxBytes: UInt64 = 0xFFFF_FFFF

    /// Starts the workbook, with one sheet called `sheetName`.
    package init(sheetName: String = "Sheet1", sink: @escaping ([UInt8]) throws -> Void) throws {
        self.sink = sink
        try store("[Content_Types].xml", Self.contentTypes)
        try store("_rels/.rels", Self.rootRelationships)
        try store("xl/workbook.xml", Self.workbook(sheetName: sheetName))
        try store("xl/_rels/workbook.xml.rels", Self.workbookRelationships)
        try store("xl/styles.xml", Self.styles)
        sheetHeaderOffset = written
        try emit(Self.localHeader(name: "xl/worksheets/sheet1.xml", method: 8, crc: 0, compressed: 0, size: 0, streamed: true))
        let stream = try DeflateStream()
        sheet = stream
        try deflate(Array(#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#.utf8)
                    + Array(#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#.utf8))
    }

    deinit { sheet?.end() }

    /// Writes one row; empty cells are left out.
    package func write(_ cells: [String]) throws {
        rowNumber += 1
        var xml: [UInt8] = []
        xml.reserveCapacity(cells.reduce(32) { $0 + $1.utf8.count + 48 })
        xml += Array("<row r=\"\(rowNumber)\">".utf8)
        for (i, cell) in cells.enumerated() where !cell.isEmpty {
            xml += Array("<c r=\"\(Self.columnLetters(i + 1))\(rowNumber)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">".utf8)
            Self.appendEscaped(cell, to: &xml)
            xml += Array("</t></is></c>".utf8)
        }
        xml += Array("</row>".utf8)
        try deflate(xml)
    }

    /// Ends the sheet and writes the ZIP directory. The workbook is complete only after this.
    package func finish() throws {
        guard !finished, let stream = sheet else { return }
        finished = true
        try deflate(Array("</sheetData></worksheet>".utf8))
        try stream.finish { (out: [UInt8]) throws in try self.emit(out) }
        stream.end()
        sheet = nil
        var descriptor: [UInt8] = []
        Self.put32(&descriptor, 0x0807_4B50)
        Self.put32(&descriptor, stream.crc)
        Self.put32(&descriptor, UInt32(truncatingIfNeeded: stream.compressedBytes))
        Self.put32(&descriptor, UInt32(truncatingIfNeeded: stream.inputBytes))
        guard stream.inputBytes <= Self.maxBytes else { throw XLSXWriterError("the sheet is larger than 4 GiB, which a workbook without ZIP64 cannot hold") }
        try emit(descriptor)
        addCentralEntry(name: "xl/worksheets/sheet1.xml", method: 8, crc: stream.crc, compressed: stream.compressedBytes,
                        size: stream.inputBytes, offset: sheetHeaderOffset, streamed: true)
        let directoryOffset = written
        let directory = central
        try emit(directory)
        var end: [UInt8] = []
        Self.put32(&end, 0x0605_4B50)
        Self.put16(&end, 0); Self.put16(&end, 0)
        Self.put16(&end, UInt16(entryCount)); Self.put16(&end, UInt16(entryCount))
        Self.put32(&end, UInt32(directory.count))
        Self.put32(&end, UInt32(truncatingIfNeeded: directoryOffset))
        Self.put16(&end, 0)
        try emit(end)
    }

    // MARK: ZIP

    private func emit(_ bytes: [UInt8]) throws {
        written += UInt64(bytes.count)
        guard written <= Self.maxBytes else { throw XLSXWriterError("the workbook is larger than 4 GiB, which a workbook without ZIP64 cannot hold") }
        try sink(bytes)
    }

    private func deflate(_ bytes: [UInt8]) throws {
        guard let sheet else { throw XLSXWriterError("the workbook is already finished") }
        try sheet.write(bytes) { (out: [UInt8]) throws in try self.emit(out) }
    }

    /// A small part, stored uncompressed with its sizes and CRC up front.
    private func store(_ name: String, _ text: String) throws {
        let data = Array(text.utf8)
        let crc = data.withUnsafeBufferPointer { UInt32(truncatingIfNeeded: crc32(0, $0.baseAddress, UInt32($0.count))) }
        let offset = written
        try emit(Self.localHeader(name: name, method: 0, crc: crc, compressed: UInt64(data.count), size: UInt64(data.count), streamed: false))
        try emit(data)
        addCentralEntry(name: name, method: 0, crc: crc, compressed: UInt64(data.count), size: UInt64(data.count), offset: offset, streamed: false)
    }

    private func addCentralEntry(name: String, method: UInt16, crc: UInt32, compressed: UInt64, size: UInt64, offset: UInt64, streamed: Bool) {
        var h: [UInt8] = []
        Self.put32(&h, 0x0201_4B50)
        Self.put16(&h, 20); Self.put16(&h, 20)
        Self.put16(&h, streamed ? 0x0808 : 0x0800)
        Self.put16(&h, method)
        Self.put16(&h, 0); Self.put16(&h, 0x0021)  // 1980-01-01 00:00
        Self.put32(&h, crc)
        Self.put32(&h, UInt32(truncatingIfNeeded: compressed)); Self.put32(&h, UInt32(truncatingIfNeeded: size))
        Self.put16(&h, UInt16(name.utf8.count)); Self.put16(&h, 0); Self.put16(&h, 0)
        Self.put16(&h, 0); Self.put16(&h, 0); Self.put32(&h, 0)
        Self.put32(&h, UInt32(truncatingIfNeeded: offset))
        h += Array(name.utf8)
        central += h
        entryCount += 1
    }

    private static func localHeader(name: String, method: UInt16, crc: UInt32, compressed: UInt64, size: UInt64, streamed: Bool) -> [UInt8] {
        var h: [UInt8] = []
        put32(&h, 0x0403_4B50)
        put16(&h, 20)
        put16(&h, streamed ? 0x0808 : 0x0800)  // bit 3: sizes in a data descriptor; bit 11: UTF-8 names
        put16(&h, method)
        put16(&h, 0); put16(&h, 0x0021)
        put32(&h, crc)
        put32(&h, UInt32(truncatingIfNeeded: compressed)); put32(&h, UInt32(truncatingIfNeeded: size))
        put16(&h, UInt16(name.utf8.count)); put16(&h, 0)
        h += Array(name.utf8)
        return h
    }

    private static func put16(_ out: inout [UInt8], _ v: UInt16) { out.append(UInt8(v & 0xFF)); out.append(UInt8(v >> 8)) }
    private static func put32(_ out: inout [UInt8], _ v: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8((v >> UInt32(shift)) & 0xFF)) }
    }

    // MARK: Cells

    /// `A`, `B`, …, `Z`, `AA`, … for a 1-based column number.
    static func columnLetters(_ column: Int) -> String {
        var n = column
        var letters: [UInt8] = []
        while n > 0 {
            let r = (n - 1) % 26
            letters.insert(UInt8(ascii: "A") + UInt8(r), at: 0)
            n = (n - 1) / 26
        }
        return String(decoding: letters, as: UTF8.self)
    }

    /// Cell text as XML character data, escaped so that it reads back exactly (see the type's note).
    static func appendEscaped(_ text: String, to out: inout [UInt8]) {
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let s = scalars[i]
            switch s.value {
            case 0x26: out += Array("&amp;".utf8)
            case 0x3C: out += Array("&lt;".utf8)
            case 0x3E: out += Array("&gt;".utf8)
            case 0x0D: out += Array("&#13;".utf8)
            case 0x09, 0x0A: out.append(UInt8(s.value))
            case 0x00...0x1F, 0xFFFE, 0xFFFF: out += Array(hexEscape(s.value).utf8)
            case 0x5F where isHexEscape(scalars, at: i): out += Array("_x005F_".utf8)
            default: out += Array(String(s).utf8)
            }
            i += 1
        }
    }

    /// `_xHHHH_` for a code unit.
    static func hexEscape(_ value: UInt32) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var text: [UInt8] = Array("_x".utf8)
        for shift in stride(from: 12, through: 0, by: -4) { text.append(digits[Int((value >> UInt32(shift)) & 0xF)]) }
        text.append(UInt8(ascii: "_"))
        return String(decoding: text, as: UTF8.self)
    }

    /// Whether `_xHHHH_` (four hex digits) starts at `i`.
    static func isHexEscape(_ scalars: [Unicode.Scalar], at i: Int) -> Bool {
        guard i + 6 < scalars.count, scalars[i] == "_", scalars[i + 1] == "x", scalars[i + 6] == "_" else { return false }
        return scalars[(i + 2)...(i + 5)].allSatisfy { $0.properties.isASCIIHexDigit }
    }

    // MARK: Parts

    static let contentTypes = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
        + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#
        + #"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#
        + #"<Default Extension="xml" ContentType="application/xml"/>"#
        + #"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#
        + #"<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
        + #"<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#
        + "</Types>"

    static let rootRelationships = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
        + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        + #"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>"#
        + "</Relationships>"

    static func workbook(sheetName: String) -> String {
        var name: [UInt8] = []
        appendEscaped(String(sheetName.prefix(31)), to: &name)
        let quoted = String(decoding: name, as: UTF8.self).replacingQuotes()
        return #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
            + #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#
            + "<sheets><sheet name=\"\(quoted)\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
    }

    static let workbookRelationships = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
        + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        + #"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>"#
        + #"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#
        + "</Relationships>"

    static let styles = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
        + #"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
        + #"<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>"#
        + #"<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>"#
        + #"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#
        + #"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#
        + #"<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>"#
        + #"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>"#
        + "</styleSheet>"
}

/// Why a workbook could not be written.
package struct XLSXWriterError: Error, Sendable, CustomStringConvertible {
    package let description: String
    init(_ description: String) { self.description = description }
}

private extension String {
    func replacingQuotes() -> String {
        var out = ""
        for c in self { if c == "\"" { out += "&quot;" } else { out.append(c) } }
        return out
    }
}

/// Raw deflate (no zlib header) over zlib, feeding its output to a closure, with the CRC-32
/// and byte counts a ZIP entry needs.
final class DeflateStream {
    private let stream: UnsafeMutablePointer<z_stream>
    private var output = [UInt8](repeating: 0, count: 1 << 16)
    private var ended = false
    private(set) var crc: UInt32 = 0
    private(set) var inputBytes: UInt64 = 0
    private(set) var compressedBytes: UInt64 = 0

    init() throws {
        stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // The deflateInit2 macro is not imported; -MAX_WBITS selects raw deflate, as ZIP needs.
        let status = deflateInit2_(stream, 6, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            ended = true
            throw XLSXWriterError("zlib could not start compressing (status \(status))")
        }
    }

    deinit { end() }

    /// Compresses `bytes`, handing any output produced to `out`.
    func write(_ bytes: [UInt8], _ out: ([UInt8]) throws -> Void) throws {
        guard !bytes.isEmpty else { return }
        inputBytes += UInt64(bytes.count)
        var input = bytes
        try input.withUnsafeMutableBufferPointer { (buffer: inout UnsafeMutableBufferPointer<UInt8>) throws in
            crc = UInt32(truncatingIfNeeded: crc32(UInt(crc), buffer.baseAddress, UInt32(buffer.count)))
            stream.pointee.next_in = buffer.baseAddress
            stream.pointee.avail_in = UInt32(buffer.count)
            while stream.pointee.avail_in > 0 {
                try run(Z_NO_FLUSH, out)
            }
            stream.pointee.next_in = nil
        }
    }

    /// Flushes everything left.
    func finish(_ out: ([UInt8]) throws -> Void) throws {
        var status: Int32 = Z_OK
        while status != Z_STREAM_END {
            status = try run(Z_FINISH, out)
        }
    }

    @discardableResult
    private func run(_ flush: Int32, _ out: ([UInt8]) throws -> Void) throws -> Int32 {
        let capacity = output.count
        let (status, produced) = output.withUnsafeMutableBufferPointer { (buffer: inout UnsafeMutableBufferPointer<UInt8>) -> (Int32, Int) in
            stream.pointee.next_out = buffer.baseAddress
            stream.pointee.avail_out = UInt32(capacity)
            let status = deflate(stream, flush)
            return (status, capacity - Int(stream.pointee.avail_out))
        }
        guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
            throw XLSXWriterError("zlib failed while compressing (status \(status))")
        }
        if produced > 0 {
            compressedBytes += UInt64(produced)
            try out(Array(output[0..<produced]))
        }
        return status
    }

    /// Releases zlib's state (once).
    func end() {
        guard !ended else { return }
        ended = true
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }
}
