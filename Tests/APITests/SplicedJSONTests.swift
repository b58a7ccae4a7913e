import Engine
import HTTP
import SQLite
import Testing
@testable import API

/// `GET /{id}`, `GET /{id}/rows` and `GET /` copy the stored row data, row errors and run
/// summaries into the response as bytes; the error summary decodes each distinct errors text once.
/// These tests build the same documents the way the API used to (decode the stored JSON into
/// values, write them out again) and require the bytes to be identical, on awkward rows.
@Suite("Stored JSON spliced into responses is byte for byte the value-built JSON")
struct SplicedJSONTests {
    /// Rows the importer fails and logs: unicode, quotes, backslashes, slashes, control
    /// characters, line breaks, numbers written as text, empty cells.
    static let csv = """
        SKU,Name,Price
        A/1,"Zoë — 東京 🎉 ""quoted"" \\ back / slash",12.50
        A\\2,x,3
        "A""3","tab\there",-1
        A-4,"line
        break <\u{2028}>",-1e3
        A-5,"ctl\u{1}\u{7}\u{1F}char\u{7F}",-0.0
        A-6,é,
        A-7,e\u{301},-5
        ,,

        """

    /// Rows no import would log as written (a key with escapes, NUL in a value, canonically
    /// equivalent messages, validation with unicode columns and an empty list), appended directly.
    static func extraRows(runID: Int64) -> [LoggedRow] {
        [
            LoggedRow(runID: runID, rowNumber: 100, status: .failed,
                      data: [(key: "key \"q\" / \\ \u{0}", value: "v\u{0}\u{8}\u{C}"), (key: "é", value: "e\u{301}"), (key: "", value: "")],
                      errors: RowErrors(message: "Caf\u{E9}", validation: [(column: "c/1 ✓", messages: ["m \"1\" \\ /", "m2"]), (column: "c2", messages: [])])),
            LoggedRow(runID: runID, rowNumber: 101, status: .failed, data: [(key: "SKU", value: "1e308")],
                      errors: RowErrors(message: "Cafe\u{301}", validation: [(column: "c/1 ✓", messages: ["m2", "🚀 rocket"])])),
            LoggedRow(runID: runID, rowNumber: 102, status: .skipped, data: [(key: "SKU", value: "-0")], errors: nil),
            LoggedRow(runID: runID, rowNumber: 103, status: .failed, data: [], errors: nil),
        ]
    }

    /// A finished run with the awkward rows logged, and the fixture serving it through the router.
    static func fixture() throws -> (APIFixture, Int64) {
        let fixture = try APIFixture(importers: ["items": itemsDefinition()], serve: false)
        let id = try #require(try fixture.upload("items", content: csv).data?.int("id"))
        let run = try fixture.engine.execute(runID: id)
        #expect(run.status == .completedWithErrors)
        try fixture.engine.openStore().append(extraRows(runID: id))
        return (fixture, id)
    }

    /// The run object as the API built it before: summary decoded and encoded again.
    static func valueBuilt(_ run: IngestRun, rows: [LoggedRow]?) -> JSONValue {
        let members = run.json(rows: rows).objectValue ?? []
        return .object(members.map { $0.0 == "summary" ? ($0.0, run.summary.map(RunStore.encode) ?? .null) : $0 })
    }

    @Test("GET /{id}: the run with its rows, spliced, equals the value-built document byte for byte")
    func showRun() throws {
        let (fixture, id) = try SplicedJSONTests.fixture()
        let store = try fixture.engine.openStore()
        let run = try #require(try store.run(id))
        let rows = try store.rows(of: id, limit: IngestRunResource.embeddedRowLimit, offset: 0).rows
        #expect(rows.count >= 8)
        #expect(run.summary != nil)
        let expected = JSONBytesWriter.bytes(.object([("data", SplicedJSONTests.valueBuilt(run, rows: rows))]))
        let response = try fixture.get("/\(id)")
        #expect(response.status == 200)
        #expect(response.body == expected, "\(response.text)\n---\n\(String(decoding: expected, as: UTF8.self))")
        // And the CLI's text writer says the same.
        #expect(Array(JSONValue.object([("data", run.json(rowObjects: try store.storedRows(of: id, limit: 100, offset: 0).map(\.json)))]).text.utf8) == expected)
    }

    @Test("GET /{id}/rows and GET /: spliced pages equal the value-built pages byte for byte")
    func pages() throws {
        let (fixture, id) = try SplicedJSONTests.fixture()
        let store = try fixture.engine.openStore()
        for (query, status) in [("", nil), ("?status=failed&per_page=3&page=2", LoggedRow.Status.failed)] {
            let page = try PageRequest(query: HTTPRequest(method: .get, target: "/x" + query).query, defaultPerPage: 15, maxPerPage: 100)
            let (rows, total) = try store.rows(of: id, status: status, limit: page.perPage, offset: page.offset)
            let expected = PaginatedResource(items: rows.map(\.json), total: total, page: page, path: APIFixture.prefix + "/\(id)/rows",
                                             filters: status.map { [("status", $0.rawValue)] } ?? []).json
            let response = try fixture.get("/\(id)/rows" + query)
            #expect(response.status == 200)
            #expect(response.body == JSONBytesWriter.bytes(expected), "\(query): \(response.text)")
        }
        let (runs, total) = try store.runs(limit: 15, offset: 0)
        let expected = PaginatedResource(items: runs.map { SplicedJSONTests.valueBuilt($0, rows: nil) }, total: total,
                                         page: try PageRequest(query: HTTPRequest(method: .get, target: "/").query, defaultPerPage: 15, maxPerPage: 100),
                                         path: APIFixture.prefix, filters: []).json
        let response = try fixture.get("")
        #expect(response.status == 200)
        #expect(response.body == JSONBytesWriter.bytes(expected), "\(response.text)")
    }

    @Test("GET /{id}/errors/summary, counted per distinct errors text, equals the summary counted row by row")
    func errorSummary() throws {
        let (fixture, id) = try SplicedJSONTests.fixture()
        let store = try fixture.engine.openStore()
        // The previous algorithm: decode every failed row and count in Swift dictionaries.
        var total = 0
        var messages: [String: Int] = [:]
        var validation: [String: Int] = [:]
        try store.forEachFailedRow(of: id) { row in
            total += 1
            guard let errors = row.errors else { return }
            messages[errors.message, default: 0] += 1
            for (column, list) in errors.validation {
                for message in list { validation["\(column): \(message)", default: 0] += 1 }
            }
        }
        func sorted(_ d: [String: Int]) -> JSONValue {
            let entries: [(message: String, count: Int)] = d.map { (message: $0.key, count: $0.value) }
            let ordered = entries.sorted { a, b in a.count != b.count ? a.count > b.count : a.message < b.message }
            return .array(ordered.map { entry -> JSONValue in
                .object([("message", .string(entry.message)), ("count", .integer(Int64(entry.count)))])
            })
        }
        let expected: JSONValue = .object([("data", .object([
            ("total_failed_rows", .integer(Int64(total))),
            ("error_summary", sorted(messages)),
            ("validation_summary", sorted(validation)),
        ]))])
        let response = try fixture.get("/\(id)/errors/summary")
        #expect(response.status == 200)
        #expect(response.body == JSONBytesWriter.bytes(expected), "\(response.text)")
        // Canonically equivalent messages are one entry, shown as first logged (precomposed).
        let entries = try #require(response.data?["error_summary"]?.arrayValue)
        #expect(entries.contains { $0["message"]?.stringValue?.unicodeScalars.elementsEqual("Caf\u{E9}".unicodeScalars) == true && $0.int("count") == 2 })
        #expect(total >= 6)
    }

    @Test("stored JSON that is not a JSON object is a 500, never copied into a response")
    func corruptStoredJSON() throws {
        let (fixture, id) = try SplicedJSONTests.fixture()
        let store = try fixture.engine.openStore()
        for (column, value) in [("data", "'[1,2]'"), ("data", "'{\"a\":\"b\"'"), ("errors", "'{\"message\":\"x\"} trailing'"), ("data", "x'7b7d'")] {
            let original = try store.storedRows(of: id, limit: 1, offset: 0)
            #expect(original.count == 1)
            let connection = try SQLite.Connection(path: fixture.databasePath)
            try connection.execute("UPDATE ingest_rows SET \(column) = \(value) WHERE id = (SELECT MIN(id) FROM ingest_rows WHERE run_id = \(id))")
            #expect(try fixture.get("/\(id)").status == 500, "\(column) = \(value)")
            #expect(try fixture.get("/\(id)/rows").status == 500, "\(column) = \(value)")
            let restore = column == "data" ? Array(original[0].data.bytes) : (original[0].errors?.bytes ?? [])
            try connection.execute("UPDATE ingest_rows SET \(column) = ? WHERE id = (SELECT MIN(id) FROM ingest_rows WHERE run_id = \(id))",
                                   [.text(String(decoding: restore, as: UTF8.self))])
            #expect(try fixture.get("/\(id)").status == 200)
        }
        let connection = try SQLite.Connection(path: fixture.databasePath)
        try connection.execute("UPDATE ingest_runs SET summary = '{\"errors\":[' WHERE id = \(id)")
        #expect(try fixture.get("/\(id)").status == 500)
        #expect(try fixture.get("").status == 500)
    }
}
