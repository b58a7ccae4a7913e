import Foundation
import Testing
@testable import Tabular

/// The reader's side of `nest`: `ReadOptions.rawJSONKeys` keeps a key's value as its JSON text,
/// and `NestedArray` reads only a real array of objects back out of it.
@Suite("Raw JSON keys and nested arrays")
struct NestedArrayTests {
    @Test("a raw key keeps an array as JSON, a string with its quotes, and is a column even when the sample lacks it")
    func rawKeys() throws {
        var options = ReadOptions()
        options.rawJSONKeys = ["lines", "order.lines"]
        let ndjson = """
            {"id": 1, "lines": [{"sku": "A", "qty": 2}]}
            {"id": 2, "lines": "[{\\"sku\\": \\"B\\"}]"}
            {"id": 3, "lines": null, "order": {"lines": [1]}}
            {"id": 4, "lines": {"sku": "C"}}

            """
        let (header, rows) = try JSONRowReaderTests.read(ndjson, format: .ndjson, options: options)
        #expect(header == ["id", "lines", "order.lines"])
        #expect(rows.map(\.cells) == [
            ["1", #"[{"sku":"A","qty":2}]"#, ""],
            ["2", #""[{\"sku\": \"B\"}]""#, ""],
            ["3", "null", "[1]"],
            ["4", #"{"sku":"C"}"#, ""],
        ])
        let sampled = try JSONRowReaderTests.read(#"{"id": 1}"# + "\n", format: .ndjson, options: options)
        #expect(sampled.header == ["id", "lines", "order.lines"])
    }

    @Test("only a real array of objects gives objects, flattened as rows are")
    func objects() throws {
        let objects = try NestedArray.objects(in: #"[{"sku":"A","qty":2,"dims":{"w":1},"tags":["x"]},{"sku":"B","note":null}]"#)
        #expect(objects.map { $0.map { "\($0.key)=\($0.value)" } } == [["sku=A", "qty=2", "dims.w=1", #"tags=["x"]"#], ["sku=B", "note="]])
        #expect(try NestedArray.objects(in: "").isEmpty)
        #expect(try NestedArray.objects(in: " null ").isEmpty)
        #expect(try NestedArray.objects(in: "[]").isEmpty)
        for (text, found) in [(#""[{\"sku\":\"A\"}]""#, "a string"), (#"{"sku":"A"}"#, "an object"), ("12", "a number"), ("true", "a boolean")] {
            #expect(Self.message(text) == "expected an array of objects, found \(found)", "\(text)")
        }
        #expect(Self.message("[1]")?.hasPrefix("array element 1 is not an object") == true)
        #expect(Self.message(#"[{"a":1},"x"]"#)?.hasPrefix("array element 2 is not an object") == true)
    }

    static func message(_ text: String) -> String? {
        do {
            _ = try NestedArray.objects(in: text)
            return nil
        } catch {
            return error.message
        }
    }
}
