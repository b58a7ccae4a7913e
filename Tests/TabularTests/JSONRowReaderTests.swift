import Foundation
import Synchronization
import Testing
@testable import Tabular

@Suite("JSONRowReader")
struct JSONRowReaderTests {
    static func read(_ text: String, format: ReadOptions.Format = .json, options: ReadOptions = .init(), blockBytes: Int = 1 << 16) throws -> (header: [String]?, rows: [TableRow]) {
        let path = try TemporaryFile.make(text, extension: format.rawValue)
        defer { TemporaryFile.remove(path) }
        let reader = try JSONRowReader(path: path, format: format, options: options, blockBytes: blockBytes)
        let header = try reader.readHeader()
        var rows: [TableRow] = []
        while let row = try reader.nextRow() { rows.append(row) }
        return (header, rows)
    }

    static let document = """
    \u{FEFF}[
      {"id": 1, "name": "Ann \\"A\\" \\u00e9\\ud83d\\ude00", "address": {"city": "Bern", "geo": {"lat": 46.9}},
       "tags": ["a", "b"], "price": 1.0E+12, "big": 12345678901234567890, "active": true, "note": null},
      {"id": 2, "name": "Bob", "extra": false, "address": {}, "tags": [], "mixed": [1, {"k": "v\\n"}, null]}
    ]
    """

    @Test("flattens objects, keeps numbers as written and arrays as JSON text")
    func flatten() throws {
        let (header, rows) = try Self.read(Self.document)
        #expect(header == ["id", "name", "address.city", "address.geo.lat", "tags", "price", "big", "active", "note", "extra", "address", "mixed"])
        #expect(rows.count == 2)
        #expect(rows[0].cells == ["1", "Ann \"A\" é😀", "Bern", "46.9", "[\"a\",\"b\"]", "1.0E+12", "12345678901234567890", "true", "", "", "", ""])
        #expect(rows[1].cells == ["2", "Bob", "", "", "[]", "", "", "", "", "false", "", "[1,{\"k\":\"v\\n\"},null]"])
        #expect(rows.map(\.recordNumber) == [2, 3])
    }

    @Test("gives the same rows when read one byte at a time")
    func tinyBlocks() throws {
        let whole = try Self.read(Self.document)
        let tiny = try Self.read(Self.document, blockBytes: 1)
        #expect(whole.header == tiny.header)
        #expect(whole.rows == tiny.rows)
    }

    @Test("a value over maxFieldBytes is reported at the same byte whatever the block size (found by fuzzing)")
    func limitOffsetIndependentOfBlocks() throws {
        let text = #"[{"k": ""# + String(repeating: "v", count: 40) + #""}]"#
        let options = ReadOptions(limits: ReadLimits(maxFieldBytes: 16))
        var offsets: Set<Int64?> = []
        for blockBytes in [1 << 16, 16, 7, 1] {
            let error = TemporaryFile.error { try Self.read(text, options: options, blockBytes: blockBytes) }
            #expect(error?.kind == .limitExceeded, "\(blockBytes)-byte blocks")
            offsets.insert(error?.byteOffset)
        }
        // The string's content starts at byte 8; its 17th byte is the first past the limit.
        #expect(offsets == [Int64(24)])
    }

    @Test("a long bare word is invalid JSON, not a value over a limit (found by fuzzing)")
    func longBareWord() {
        let error = TemporaryFile.error { try Self.read(#"[{"k": "# + String(repeating: "h", count: 40) + "}]") }
        #expect(error?.kind == .malformedJSON)
        #expect(error?.byteOffset == 7)
        #expect(error?.message.contains("invalid literal") == true)
    }

    @Test("reads the array at a JSON pointer")
    func pointer() throws {
        let text = #"{"meta": {"skip": [1, [2, {"x": "]"}]]}, "data": {"a/b": [{"q": 0}, [{"id": "x"}, {"id": "y"}]]}}"#
        let (header, rows) = try Self.read(text, options: ReadOptions(jsonPointer: "/data/a~1b/1"))
        #expect(header == ["id"])
        #expect(rows.map(\.cells) == [["x"], ["y"]])
    }

    @Test("names a pointer that leads nowhere")
    func pointerNotFound() {
        let error = TemporaryFile.error { try Self.read(#"{"data": []}"#, options: ReadOptions(jsonPointer: "/rows")) }
        #expect(error?.kind == .malformedJSON)
        #expect(error?.message.contains("/rows") == true)
    }

    @Test("asks for a pointer when the document is an object, by the definition key that sets it")
    func rootObject() {
        let error = TemporaryFile.error { try Self.read(#"{"data": [{"a": 1}]}"#) }
        #expect(error?.message.contains("set source.json.pointer to the array of rows") == true)
        #expect(error?.message.contains("jsonPointer") == false)
    }

    @Test("reads NDJSON, skipping blank lines")
    func ndjson() throws {
        let (header, rows) = try Self.read("{\"a\": 1}\n\n{\"b\": \"x\", \"a\": 2}\r\n", format: .ndjson)
        #expect(header == ["a", "b"])
        #expect(rows.map(\.cells) == [["1", ""], ["2", "x"]])
        #expect(rows.map(\.recordNumber) == [2, 3])
    }

    @Test("warns about keys first seen after the header sample")
    func lateKeys() throws {
        let options = ReadOptions(limits: ReadLimits(jsonHeaderSampleObjects: 2))
        let (header, rows) = try Self.read(#"[{"a":1},{"b":2},{"a":3,"c":4}]"#, options: options)
        #expect(header == ["a", "b"])
        #expect(rows[2].cells == ["3", ""])
        #expect(rows[2].warnings == ["unknown key \"c\" ignored: not among the keys of the first 2 objects"])
        #expect(rows[0].warnings.isEmpty)
    }

    @Test("returns the rows before bad JSON, then an error with offset and line")
    func badJSON() throws {
        let text = "[\n{\"a\": 1},\n{\"a\": 2},\n{\"a\": tru}\n]"
        for sample in [1, 1000] {
            let path = try TemporaryFile.make(text, extension: "json")
            defer { TemporaryFile.remove(path) }
            let reader = try TableReaders.open(path: path, options: ReadOptions(limits: ReadLimits(jsonHeaderSampleObjects: sample)))
            #expect(try reader.readHeader() == ["a"])
            #expect(try reader.nextRow()?.cells == ["1"])
            #expect(try reader.nextRow()?.cells == ["2"])
            let error = TemporaryFile.error { try reader.nextRow() }
            #expect(error?.kind == .malformedJSON)
            #expect(error?.line == 4)
            #expect(error?.byteOffset == 28)
        }
    }

    @Test("rejects malformed documents with a clear error", arguments: [
        "[{\"a\": 1,}]", "[{\"a\" 1}]", "[{\"a\": 01}]", "[{\"a\": \"x]", "[{\"a\": 1}", "[1, 2]", "[{\"a\": \"\\q\"}]",
        "[{\"a\": 1}] x", "[{\"a\": \"\\ud800\"}]", "[{\"a\": 1.}]",
    ])
    func malformed(text: String) {
        let error = TemporaryFile.error { try Self.read(text) }
        #expect(error != nil)
        #expect(error?.byteOffset != nil)
    }

    @Test("returns no header for an empty document or array")
    func empty() throws {
        #expect(try Self.read("").header == nil)
        #expect(try Self.read("  \n").header == nil)
        #expect(try Self.read("[]").header == nil)
        #expect(try Self.read("", format: .ndjson).header == nil)
    }

    @Test("reports what it detected")
    func detected() throws {
        let path = try TemporaryFile.make(#"{"data": [{"a": 1}]}"#, extension: "json")
        defer { TemporaryFile.remove(path) }
        let (_, rows, reader) = try TemporaryFile.readAll(path: path, options: ReadOptions(jsonPointer: "/data"))
        #expect(rows.map(\.cells) == [["1"]])
        #expect(reader.detected == ["format": "json", "encoding": "utf-8", "jsonPointer": "/data", "headerSampleObjects": "1"])
        #expect(reader.bytesRead == reader.totalBytes)
    }

    @Test("refuses UTF-16 JSON with a clear error")
    func utf16() {
        let error = TemporaryFile.error { try TemporaryFile.readAll(bytes: [0xFF, 0xFE, 0x5B, 0x00, 0x5D, 0x00], extension: "json") }
        #expect(error?.kind == .invalidEncoding)
    }

    @Test("caps nesting depth")
    func depth() {
        let deep = "[{\"a\": " + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "}]"
        #expect(TemporaryFile.error { try Self.read(deep) }?.kind == .limitExceeded)
    }

    // MARK: - Key selection and header caps (issue 9 item 6)

    static func selecting(_ keys: Set<String>) -> ReadOptions {
        var options = ReadOptions()
        options.keySelection = KeySelection { keys.contains($0) }
        return options
    }

    @Test("keeps only the selected keys, nested ones by their dotted names, in the header and every row")
    func keySelection() throws {
        let text = #"""
        [{"id": 1, "skip": {"deep": [1, {"x": "]"}]}, "address": {"city": "Bern", "zip": "3000", "geo": {}}, "tags": ["a"], "n": null},
         {"noise": "x", "address": {}, "id": 2, "late": "y"},
         {"address": {"geo": {"lat": 1}}, "id": "3"}]
        """#
        let options = Self.selecting(["id", "address.city", "address.geo", "address", "late"])
        let (header, rows) = try Self.read(text, options: options)
        #expect(header == ["id", "address.city", "address.geo", "address", "late"])
        #expect(rows.map(\.cells) == [["1", "Bern", "", "", ""], ["2", "", "", "", "y"], ["3", "", "", "", ""]])
        #expect(rows.allSatisfy { $0.warnings.isEmpty })
        // Unselected values are still read as JSON: broken syntax in them is an error.
        let broken = TemporaryFile.error { try Self.read(#"[{"id": 1, "skip": [1, 2,]}]"#, options: options) }
        #expect(broken?.kind == .malformedJSON)
    }

    @Test("keys in another order, missing or unknown in later objects land in their own columns")
    func keysMovingBetweenObjects() throws {
        let text = """
            {"a": "1", "b": "2", "c": "3"}
            {"c": "6", "a": "4", "b": "5"}
            {"b": "8", "x": "?", "a": "7"}
            {"a": "9", "b": "10", "c": "11"}
            {"c": "12"}
            """
        var options = ReadOptions()
        options.limits.jsonHeaderSampleObjects = 2  // "x" comes after the sample: unknown
        let (header, rows) = try Self.read(text, format: .ndjson, options: options)
        #expect(header == ["a", "b", "c"])
        #expect(rows.map(\.cells) == [["1", "2", "3"], ["4", "5", "6"], ["7", "8", ""], ["9", "10", "11"], ["", "", "12"]])
        #expect(rows[2].warnings.count == 1)
    }

    @Test("the key selection is asked once per distinct key, however many objects repeat it")
    func selectionAskedOncePerKey() throws {
        let asked = Mutex<[String: Int]>([:])
        var options = ReadOptions()
        options.keySelection = KeySelection { key in
            asked.withLock { $0[key, default: 0] += 1 }
            return key != "skip"
        }
        let text = (0..<50).map { #"{"id": \#($0), "skip": 1, "n": {"m": 2}}"# }.joined(separator: "\n")
        let (header, rows) = try Self.read(text, format: .ndjson, options: options)
        #expect(header == ["id", "n.m"])
        #expect(rows.count == 50)
        #expect(asked.withLock { $0 } == ["id": 1, "skip": 1, "n.m": 1])
    }

    @Test("objects with thousands of unselected keys cost nothing in the header or the rows")
    func wideObjects() throws {
        var text = "["
        for o in 0..<20 {
            if o > 0 { text += "," }
            text += "{\"id\": \(o)"
            for k in 0..<2_000 { text += ",\"k\(o)_\(k)\": \(k)" }
            text += "}"
        }
        text += "]"
        let (header, rows) = try Self.read(text, options: Self.selecting(["id"]))
        #expect(header == ["id"])
        #expect(rows.map(\.cells) == (0..<20).map { [String($0)] })
        // Without a selection the same objects pass maxCellsPerRow one by one, but not the header cap.
        let capped = ReadOptions(limits: ReadLimits(maxCellsPerRow: 2_001, maxJSONHeaderKeys: 3_000))
        let error = TemporaryFile.error { try Self.read(text, options: capped) }
        #expect(error?.kind == .tooManyColumns)
        #expect(error?.message == "the first 2 objects have more than 3000 distinct keys (maxJSONHeaderKeys)")
    }

    @Test("stops sampling the header at jsonHeaderSampleBytes, keeping at least one object")
    func sampleBytes() throws {
        let text = #"[{"a": "xxxxxxxxxx"}, {"b": 1}, {"c": 2}]"#
        let (header, rows) = try Self.read(text, options: ReadOptions(limits: ReadLimits(jsonHeaderSampleBytes: 4)))
        #expect(header == ["a"])
        #expect(rows.map(\.cells) == [["xxxxxxxxxx"], [""], [""]])
        #expect(rows[1].warnings == ["unknown key \"b\" ignored: not among the keys of the first object"])
    }
}
