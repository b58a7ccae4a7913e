import Testing
@testable import HTTP

@Suite("Multipart parser")
struct MultipartParserTests {
    static let body = [
        "This is the preamble; ignore it.\r\n",
        "--XyZ\r\n",
        "Content-Disposition: form-data; name=\"note\"\r\n",
        "\r\n",
        "hello\r\nworld",
        "\r\n--XyZ   \r\n",
        "Content-Disposition: form-data; name=\"file\"; filename=\"a \\\"quoted\\\" name.csv\"; filename*=UTF-8''%E2%82%AC%20rates.csv\r\n",
        "Content-Type: text/csv\r\n",
        "\r\n",
        "a,b\r\n1,2\r\n--Xy\r\n-\r\n--XY\r\n\r",
        "\r\n--XyZ--\r\n",
        "epilogue, also ignored",
    ].joined()

    /// Events with adjacent body chunks joined, which is what must not depend on the splits.
    private func normalized(_ events: [MultipartEvent]) -> [MultipartEvent] {
        var result: [MultipartEvent] = []
        for event in events {
            if case .bodyChunk(let bytes) = event, case .bodyChunk(let previous)? = result.last {
                result[result.count - 1] = .bodyChunk(previous + bytes)
            } else if case .bodyChunk(let bytes) = event, bytes.isEmpty {
                continue
            } else {
                result.append(event)
            }
        }
        return result
    }

    private func parse(_ pieces: [ArraySlice<UInt8>], boundary: String = "XyZ", limits: MultipartLimits = MultipartLimits()) throws(MultipartError) -> [MultipartEvent] {
        var parser = try MultipartParser(boundary: boundary, limits: limits)
        var events: [MultipartEvent] = []
        for piece in pieces { events += try parser.feed(piece) }
        try parser.finish()
        return normalized(events)
    }

    @Test("the same input split at every byte position gives the same events")
    func everySplit() throws {
        let bytes = Array(Self.body.utf8)
        let reference = try parse([bytes[...]])
        #expect(reference.count == 7)
        for split in 0...bytes.count {
            #expect(try parse([bytes[0..<split], bytes[split...]]) == reference, "split at \(split)")
        }
        // And byte by byte.
        #expect(try parse(bytes.map { [$0][...] }) == reference)
    }

    @Test("parts carry name, decoded filename*, content type and content")
    func partContent() throws {
        let events = try parse([Array(Self.body.utf8)[...]])
        guard case .partHeaders(let note) = events[0], case .bodyChunk(let noteBody) = events[1],
              case .partHeaders(let file) = events[3], case .bodyChunk(let fileBody) = events[4]
        else {
            Issue.record("unexpected events \(events)")
            return
        }
        #expect(note.name == "note")
        #expect(note.filename == nil)
        #expect(String(decoding: noteBody, as: UTF8.self) == "hello\r\nworld")
        #expect(file.name == "file")
        #expect(file.filename == "€ rates.csv")
        #expect(file.contentType == "text/csv")
        #expect(String(decoding: fileBody, as: UTF8.self) == "a,b\r\n1,2\r\n--Xy\r\n-\r\n--XY\r\n\r")
        #expect(events[2] == .partEnd)
        #expect(events[5] == .partEnd)
        #expect(events[6] == .end)
    }

    @Test("quoted-string escapes in filename are decoded")
    func quotedFilename() throws {
        let body = "--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"say \\\"hi\\\"; ok.txt\"\r\n\r\nx\r\n--b--"
        let events = try parse([Array(body.utf8)[...]], boundary: "b")
        guard case .partHeaders(let head) = events.first else { Issue.record("no head"); return }
        #expect(head.filename == "say \"hi\"; ok.txt")
    }

    @Test("the boundary is read from a quoted Content-Type parameter")
    func quotedBoundary() {
        #expect(MultipartParser.boundary(fromContentType: "multipart/form-data; boundary=\"a b:c\"") == "a b:c")
        #expect(MultipartParser.boundary(fromContentType: "Multipart/Form-Data; charset=utf-8; boundary=plain") == "plain")
        #expect(MultipartParser.boundary(fromContentType: "application/json") == nil)
        #expect(MultipartParser.boundary(fromContentType: "multipart/form-data") == nil)
    }

    @Test("a body starting directly with the boundary and a quoted boundary with spaces both parse")
    func boundaryAtStart() throws {
        let body = "--a b:c\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n1\r\n--a b:c--\r\n"
        let events = try parse([Array(body.utf8)[...]], boundary: "a b:c")
        #expect(events.count == 4)
    }

    @Test("a body cut before the closing boundary is truncated")
    func truncated() {
        let bytes = Array(Self.body.utf8)
        let cut = bytes.count - "--\r\nepilogue, also ignored".utf8.count - 10
        #expect(throws: MultipartError.truncated) { try parse([bytes[0..<cut]]) }
    }

    @Test("limits on parts, header size and field size are enforced")
    func limits() {
        let bytes = Array(Self.body.utf8)[...]
        #expect(throws: MultipartError.tooManyParts(limit: 1)) { try parse([bytes], limits: MultipartLimits(maxParts: 1)) }
        #expect(throws: MultipartError.partHeadersTooLarge(limit: 40)) { try parse([bytes], limits: MultipartLimits(maxPartHeaderBytes: 40)) }
        #expect(throws: MultipartError.fieldTooLarge(name: "note", limit: 5)) { try parse([bytes], limits: MultipartLimits(maxFieldBytes: 5)) }
        #expect(throws: MultipartError.fileTooLarge(limit: 10)) { try parse([bytes], limits: MultipartLimits(maxFileBytes: 10)) }
        #expect(throws: MultipartError.preambleTooLarge(limit: 4)) { try parse([bytes], limits: MultipartLimits(maxPreambleBytes: 4)) }
    }

    @Test("part headers exactly at their limit pass at every split, so the CRLF CRLF after them never counts (found by fuzzing)")
    func headersAtTheLimit() throws {
        let header = "Content-Disposition: form-data; name=\"n\"\r\nX-Pad: " + String(repeating: "p", count: 20)
        let limits = MultipartLimits(maxPartHeaderBytes: header.utf8.count)
        let bytes = Array(("--XyZ\r\n" + header + "\r\n\r\nvalue\r\n--XyZ--").utf8)
        let reference = try parse([bytes[...]], limits: limits)
        #expect(reference.count == 4)
        for split in 0...bytes.count {
            #expect(try parse([bytes[0..<split], bytes[split...]], limits: limits) == reference, "split at \(split)")
        }
        #expect(throws: MultipartError.partHeadersTooLarge(limit: header.utf8.count - 1)) {
            try parse(bytes.map { [$0][...] }, limits: MultipartLimits(maxPartHeaderBytes: header.utf8.count - 1))
        }
    }

    @Test("garbage after a boundary and bad boundaries are refused")
    func malformed() {
        #expect(throws: MultipartError.self) { try parse([Array("--XyZjunk\r\n\r\n".utf8)[...]]) }
        #expect(throws: MultipartError.invalidBoundary) { try MultipartParser(boundary: "") }
        #expect(throws: MultipartError.invalidBoundary) { try MultipartParser(boundary: String(repeating: "x", count: 71)) }
    }

    @Test("RFC 8187 extended values decode UTF-8 and ISO-8859-1 and refuse the rest")
    func extendedValues() {
        #expect(HeaderParameters.decodeExtendedValue("UTF-8''%C3%A9t%C3%A9.csv") == "été.csv")
        #expect(HeaderParameters.decodeExtendedValue("iso-8859-1'fr'%E9t%E9.csv") == "été.csv")
        #expect(HeaderParameters.decodeExtendedValue("UTF-8''%FF") == nil)
        #expect(HeaderParameters.decodeExtendedValue("koi8-r''x") == nil)
    }
}
