import Engine
import Foundation
import Tabular
import Testing

/// Format by content at the API (issue 10, part 8), over a real listener on 127.0.0.1: the
/// bytes decide, and what is none of the importer's formats never becomes a run.
@Suite("Uploads are judged by their content")
struct UploadContentTests {
    /// Items that accept CSV and XLSX.
    static let items = itemsDefinition(formats: #"["csv", "xlsx"]"#)

    func upload(_ f: APIFixture, _ name: String, _ bytes: [UInt8]) throws -> TestHTTPClient.Response {
        var form = MultipartBody()
        form.file("file", filename: name, contentType: "application/octet-stream", content: bytes)
        return try f.request("POST", "/upload/items", headers: [("Content-Type", form.contentType)], body: form.finished)
    }

    func expectNoRun(_ f: APIFixture) throws {
        #expect(try f.get("/").json?["meta"]?.int("total") == 0)
        #expect(f.uploadedFiles().isEmpty)
    }

    @Test("a PNG, random bytes named test.bin and a ZIP that is not a workbook are 415 with accepted_formats, before a run")
    func refusedContent() throws {
        let f = try APIFixture(importers: ["items": Self.items])
        var generator = SplitMix(seed: 99)
        let cases: [(String, [UInt8], String)] = [
            ("photo.csv", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 0, count: 64), "it looks like a PNG image."),
            ("test.bin", (0..<3000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }, "it looks like binary data"),
            ("archive.xlsx", ContentSnifferZip.archive([("readme.txt", Array("hi".utf8))]),
             "it looks like a ZIP archive that is not an XLSX workbook (it has no xl/workbook.xml)."),
        ]
        for (name, bytes, what) in cases {
            let response = try upload(f, name, bytes)
            #expect(response.status == 415, "\(name): \(response.text)")
            #expect(response.message?.hasPrefix("The file is not CSV, TSV, XLSX, JSON or NDJSON: ") == true, "\(name)")
            #expect(response.message?.contains(what) == true, "\(name): \(response.message ?? "")")
            #expect(response.json?["accepted_formats"]?.arrayValue?.compactMap(\.stringValue) == ["csv", "xlsx"])
        }
        try expectNoRun(f)
    }

    @Test("CSV whose header matches none of the importer's columns is 422 naming the headers found, before a run")
    func unmatchedHeader() throws {
        let f = try APIFixture(importers: ["items": Self.items])
        let response = try f.upload("items", filename: "colours.csv", content: "Colour,Size\nred,9\n")
        #expect(response.status == 422, "\(response.text)")
        let message = "None of the file's headers match a column of the importer. Found: Colour, Size. Expected: SKU, Name, Price."
        #expect(response.message == message)
        #expect(response.json?["errors"]?["file"]?.arrayValue?.first?.stringValue == message)
        try expectNoRun(f)
        // One matching header is enough: the run starts and reports what is missing.
        #expect(try f.upload("items", filename: "partial.csv", content: "SKU,Colour\nA-1,red\n").status == 202)
    }

    @Test("a workbook named .csv is imported as XLSX, with a warning; UTF-16 without a BOM imports as text")
    func contentWins() throws {
        let f = try APIFixture(importers: ["items": Self.items])
        var book: [UInt8] = []
        let writer = try XLSXWriter { book += $0 }
        try writer.write(["SKU", "Name", "Price"])
        try writer.write(["A-1", "Desk lamp", "12.5"])
        try writer.finish()
        let response = try upload(f, "report.csv", book)
        #expect(response.status == 202, "\(response.text)")
        let run = try f.waitUntilFinished(try #require(response.data?.int("id")))
        #expect(run.string("status") == "completed")
        #expect(run["summary"]?["meta"]?["source"]?.string("format") == "xlsx")
        #expect(run["summary"]?["warnings"]?.arrayValue?.first?.stringValue
                == "'report.csv' is named like CSV but is an XLSX workbook (ZIP); it was read as XLSX.")

        var utf16: [UInt8] = []
        for unit in "SKU,Name,Price\nB-1,Über,3\n".utf16 { utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let second = try upload(f, "utf16.csv", utf16)
        #expect(second.status == 202, "\(second.text)")
        let done = try f.waitUntilFinished(try #require(second.data?.int("id")))
        #expect(done.string("status") == "completed")
        #expect(try f.query("SELECT name FROM items WHERE sku = 'B-1'").first?.first?.textValue == "Über")
    }

    @Test("a trigger of a filesystem source is judged the same way: 415 for a PNG, 422 for an unmatched header, no run")
    func triggerContent() throws {
        let feed = itemsDefinition(source: #"{ "type": "filesystem", "path": "feeds/items.csv" }"#)
        let f = try APIFixture(importers: ["feed": feed])
        try FileManager.default.createDirectory(atPath: f.root + "/feeds", withIntermediateDirectories: true)
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]).write(to: URL(fileURLWithPath: f.root + "/feeds/items.csv"))
        let png = try f.post("/trigger/feed")
        #expect(png.status == 415, "\(png.text)")
        #expect(png.message == "The file is not CSV, TSV, XLSX, JSON or NDJSON: it looks like a PNG image.")
        try f.write("Colour,Size\nred,9\n", to: "feeds/items.csv")
        let unmatched = try f.post("/trigger/feed")
        #expect(unmatched.status == 422, "\(unmatched.text)")
        #expect(unmatched.json?["errors"]?["source"]?.arrayValue?.first?.stringValue
                == "None of the file's headers match a column of the importer. Found: Colour, Size. Expected: SKU, Name, Price.")
        #expect(try f.get("/").json?["meta"]?.int("total") == 0)
    }

    @Test("malformed JSON fails its run with invalid JSON at line:column, and no hint names jsonPointer")
    func malformedJSON() throws {
        let f = try APIFixture(importers: ["items": itemsDefinition(formats: #"["json"]"#)])
        let response = try f.upload("items", filename: "items.json", content: "[\n  {\"SKU\": \"A-1\", \"Name\": \"Lamp\"},\n  {\"SKU\": \"A-2\" \"Name\": \"x\"}\n]")
        #expect(response.status == 202, "\(response.text)")
        let run = try f.waitUntilFinished(try #require(response.data?.int("id")))
        let reason = run.string("failure_reason") ?? ""
        #expect(reason.contains("invalid JSON at 3:17: expected ',' or '}' in an object"), "\(reason)")
        let object = try f.upload("items", filename: "object.json", content: "{\"data\": [{\"SKU\": \"A-1\"}]}")
        let failed = try f.waitUntilFinished(try #require(object.data?.int("id")))
        #expect(failed.string("failure_reason")?.contains("set source.json.pointer to the array of rows") == true)
        #expect(failed.string("failure_reason")?.contains("jsonPointer") == false)
    }
}

/// A stored ZIP archive, for content tests.
enum ContentSnifferZip {
    static func archive(_ entries: [(String, [UInt8])]) -> [UInt8] {
        var out: [UInt8] = []
        var central: [UInt8] = []
        func u16(_ v: Int, _ a: inout [UInt8]) { a += [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
        func u32(_ v: UInt32, _ a: inout [UInt8]) { for s in [0, 8, 16, 24] { a.append(UInt8((v >> UInt32(s)) & 0xFF)) } }
        func crc32(_ data: [UInt8]) -> UInt32 {
            var crc: UInt32 = 0xFFFF_FFFF
            for b in data {
                crc ^= UInt32(b)
                for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
            }
            return ~crc
        }
        for (name, data) in entries {
            let crc = crc32(data)
            let offset = UInt32(out.count)
            u32(0x0403_4B50, &out); u16(20, &out); u16(0, &out); u16(0, &out); u16(0, &out); u16(0x21, &out)
            u32(crc, &out); u32(UInt32(data.count), &out); u32(UInt32(data.count), &out)
            u16(name.utf8.count, &out); u16(0, &out); out += Array(name.utf8); out += data
            u32(0x0201_4B50, &central); u16(20, &central); u16(20, &central); u16(0, &central); u16(0, &central)
            u16(0, &central); u16(0x21, &central); u32(crc, &central); u32(UInt32(data.count), &central)
            u32(UInt32(data.count), &central); u16(name.utf8.count, &central); u16(0, &central); u16(0, &central)
            u16(0, &central); u16(0, &central); u32(0, &central); u32(offset, &central); central += Array(name.utf8)
        }
        let directoryOffset = UInt32(out.count)
        out += central
        u32(0x0605_4B50, &out); u16(0, &out); u16(0, &out); u16(entries.count, &out); u16(entries.count, &out)
        u32(UInt32(central.count), &out); u32(directoryOffset, &out); u16(0, &out)
        return out
    }
}

/// SplitMix64, for deterministic "random" bytes.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E9B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
