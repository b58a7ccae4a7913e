import Engine
import Foundation
import Tabular
import Testing

/// Issue 10, parts 4, 8, 9 and 11, through real `ingest` processes and sockets: messages that
/// name the source header (or a label), format by content, the failed rows going back in
/// whatever the format, and the CLI applying the server's sources policy.
@Suite("Messages, formats, failed-rows round trip and sources policy (processes)", .serialized)
struct FormatAndRoundTripProcessTests {
    /// Handles keyed by id; accepts only XLSX uploads. The email column's header is
    /// `Customer Email`; the handle column has a label.
    static let handles = """
        {
          "name": "Handles",
          "source": { "type": "upload", "formats": ["xlsx"] },
          "target": { "table": "handles", "key": ["id"], "on_duplicate": "update" },
          "columns": {
            "id": { "from": "ID", "rules": "required" },
            "handle": { "from": "Handle", "label": "Twitter handle", "rules": "required|min:2" },
            "code": { "from": "Code" },
            "email": { "from": "Customer Email", "rules": "required|email" }
          },
          "examples": [ { "row": { "ID": "1", "Handle": "@a", "Customer Email": "nope" }, "expect": { "errors": ["email"] } } ]
        }
        """

    /// The input rows: 1 and 3 fail on their e-mail, 4 on its handle; the cells a spreadsheet
    /// would take for formulas must come back exactly.
    static let rows: [[String]] = [
        ["ID", "Handle", "Code", "Customer Email"],
        ["1", "@handle", "=1+1", "bad"],
        ["2", "'quoted", "-x", "ok@example.com"],
        ["3", "@other", "01400", "nope"],
        ["4", "x", "'=x", "four@example.com"],
    ]

    static func workbook(_ rows: [[String]]) throws -> [UInt8] {
        var bytes: [UInt8] = []
        let writer = try XLSXWriter(sheetName: "Sheet1") { bytes += $0 }
        for row in rows { try writer.write(row) }
        try writer.finish()
        return bytes
    }

    static func write(_ bytes: [UInt8], _ f: ProcessFixture, _ relative: String) throws -> String {
        let path = f.root + "/" + relative
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The cells of a workbook, read back with Ingest's reader.
    static func cells(ofWorkbook bytes: [UInt8], in f: ProcessFixture) throws -> [[String]] {
        let path = try write(bytes, f, "read-back-\(UUID().uuidString.prefix(6)).xlsx")
        let reader = try TableReaders.open(path: path, options: ReadOptions())
        var out: [[String]] = [try reader.readHeader() ?? []]
        while let row = try reader.nextRow() { out.append(row.cells) }
        return out
    }

    func stored(_ f: ProcessFixture) throws -> [String: [String]] {
        var out: [String: [String]] = [:]
        for row in try f.query("SELECT id, handle, code, email FROM handles ORDER BY id") {
            out[row[0].textValue ?? ""] = row.dropFirst().map { $0.textValue ?? "NULL" }
        }
        return out
    }

    @Test("CLI: failed rows go out as CSV and XLSX and come back losslessly, into an XLSX-only importer; messages name the header or the label")
    func cliRoundTrip() throws {
        let f = try ProcessFixture(importers: ["handles": Self.handles])
        let input = try Self.write(Self.workbook(Self.rows), f, "handles.xlsx")
        let check = try f.ingest(["check"])
        #expect(check.status == 0, "\(check.stdout) \(check.stderr)")

        let first = try f.ingest(["run", "handles", input, "--json"])
        #expect(first.status == 2, "\(first.stderr)")
        let summary = try JSONRun(first.stdout)
        #expect(summary.progress("failed") == 3)
        let errors = try f.ingest(["errors", "1", "--json"])
        let validation = try JSONValue.parse(errors.stdout)["validation_summary"]?.arrayValue?.compactMap { $0.string("message") } ?? []
        // The key stays the column name; the text names the header, or the label.
        #expect(validation.contains("email: The customer email field must be a valid email address."), "\(validation)")
        #expect(validation.contains("handle: The Twitter handle field must be at least 2 characters."), "\(validation)")

        // CSV: formula-like cells get a ' in the file…
        let exported = try f.ingest(["failed-rows", "1", "-o", f.root + "/failed.csv"])
        #expect(exported.status == 0, "\(exported.stderr)")
        #expect(exported.stderr.contains("then: ingest run handles"), "\(exported.stderr)")
        let csv = try String(contentsOfFile: f.root + "/failed.csv", encoding: .utf8)
        #expect(csv.hasPrefix("ID,Handle,Code,Customer Email,_error_message,_row_number\r\n"))
        #expect(csv.contains("1,'@handle,'=1+1,bad,The customer email field must be a valid email address.,2\r\n"), "\(csv)")
        #expect(csv.contains("4,x,''=x,four@example.com,The Twitter handle field must be at least 2 characters.,5\r\n"), "\(csv)")
        // …fixed by the user, and imported again into the XLSX-only importer, without the quotes.
        let fixed = csv.replacingOccurrences(of: ",bad,", with: ",one@example.com,").replacingOccurrences(of: ",nope,", with: ",three@example.com,")
            .replacingOccurrences(of: "4,x,", with: "4,xx,")
        try f.write(fixed, to: "fixed.csv")
        let again = try f.ingest(["run", "handles", f.root + "/fixed.csv", "--json"])
        #expect(again.status == 0, "\(again.stdout) \(again.stderr)")
        #expect(try JSONRun(again.stdout).json["summary"]?["meta"]?["source"]?.string("failed_rows_file") == "true")
        let rows = try stored(f)
        #expect(rows["1"] == ["@handle", "=1+1", "one@example.com"])
        #expect(rows["2"] == ["'quoted", "-x", "ok@example.com"])
        #expect(rows["3"] == ["@other", "01400", "three@example.com"])
        #expect(rows["4"] == ["xx", "'=x", "four@example.com"])

        // XLSX: the same failed rows as a workbook, every cell exactly as read.
        let second = try f.ingest(["run", "handles", input])
        #expect(second.status == 2)
        let xlsxPath = f.root + "/failed.xlsx"
        let asWorkbook = try f.ingest(["failed-rows", "3", "--format", "xlsx", "-o", xlsxPath])
        #expect(asWorkbook.status == 0, "\(asWorkbook.stderr)")
        let book = try Self.cells(ofWorkbook: Array(try Data(contentsOf: URL(fileURLWithPath: xlsxPath))), in: f)
        #expect(book.first == ["ID", "Handle", "Code", "Customer Email", "_error_message", "_row_number"])
        #expect(book.dropFirst().map { Array($0.prefix(4)) } == [["1", "@handle", "=1+1", "bad"], ["3", "@other", "01400", "nope"],
                                                                ["4", "x", "'=x", "four@example.com"]])
        // Imported again as it is, it fails the same rows with the same messages.
        let reimported = try f.ingest(["run", "handles", xlsxPath, "--json"])
        #expect(reimported.status == 2)
        #expect(try JSONRun(reimported.stdout).progress("failed") == 3)
        #expect(try f.ingest(["failed-rows", "3", "--format", "pdf", "-o", "x"]).status == 64)
        // A workbook cannot go back into an importer that reads only CSV: the hint says what to do instead.
        try f.write(Self.handles.replacingOccurrences(of: #""formats": ["xlsx"]"#, with: #""formats": ["csv"]"#), to: "importers/handles.json")
        let csvOnly = try f.ingest(["failed-rows", "3", "--format", "xlsx", "-o", xlsxPath])
        #expect(csvOnly.stderr.contains("The importer 'handles' does not read XLSX files: to import the fixed rows again, export them with '--format csv'"),
                "\(csvOnly.stderr)")
    }

    @Test("API: the failed-rows download as CSV and as XLSX goes back in through upload, losslessly")
    func apiRoundTrip() throws {
        let f = try ProcessFixture(importers: ["handles": Self.handles])
        let token = try ServerProcess.token(f)
        let server = try ServerProcess(f)
        func upload(_ name: String, _ bytes: [UInt8]) throws -> TestHTTPClient.Response {
            var form = MultipartBody()
            form.file("file", filename: name, contentType: "application/octet-stream", content: bytes)
            return try TestHTTPClient(port: server.port).send("POST", APIFixture.prefix + "/upload/handles",
                                                              headers: [("Authorization", "Bearer \(token)"), ("Content-Type", form.contentType)],
                                                              body: form.finished)
        }
        let created = try upload("handles.xlsx", Self.workbook(Self.rows))
        #expect(created.status == 202, "\(created.text)")
        let id = try #require(created.data?.int("id"))
        #expect(try server.waitUntilFinished(id, token: token).string("status") == "completed_with_errors")

        let csv = try server.get("/\(id)/failed-rows/download", token: token)
        #expect(csv.status == 200)
        #expect(csv.header("Content-Type") == "text/csv; charset=utf-8")
        #expect(csv.text.contains("1,'@handle,'=1+1,bad,The customer email field must be a valid email address.,2\r\n"), "\(csv.text)")

        let xlsx = try server.get("/\(id)/failed-rows/download?format=xlsx", token: token)
        #expect(xlsx.status == 200)
        #expect(xlsx.header("Content-Type") == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        #expect(xlsx.header("Content-Disposition") == "attachment; filename=\"ingest-run-\(id)-failed-rows.xlsx\"")
        let book = try Self.cells(ofWorkbook: xlsx.body, in: f)
        #expect(book.dropFirst().map { Array($0.prefix(4)) } == [["1", "@handle", "=1+1", "bad"], ["3", "@other", "01400", "nope"],
                                                                ["4", "x", "'=x", "four@example.com"]])
        let badFormat = try server.get("/\(id)/failed-rows/download?format=pdf", token: token)
        #expect(badFormat.status == 422)
        #expect(badFormat.json?["errors"]?["format"] != nil)

        // The CSV, fixed, goes back into the XLSX-only importer.
        let fixed = csv.text.replacingOccurrences(of: ",bad,", with: ",one@example.com,")
            .replacingOccurrences(of: ",nope,", with: ",three@example.com,").replacingOccurrences(of: "4,x,", with: "4,xx,")
        let again = try upload("ingest-run-\(id)-failed-rows.csv", Array(fixed.utf8))
        #expect(again.status == 202, "\(again.text)")
        let againID = try #require(again.data?.int("id"))
        #expect(try server.waitUntilFinished(againID, token: token).string("status") == "completed")
        let rows = try stored(f)
        #expect(rows["1"] == ["@handle", "=1+1", "one@example.com"])
        #expect(rows["3"] == ["@other", "01400", "three@example.com"])
        #expect(rows["4"] == ["xx", "'=x", "four@example.com"])
        // A CSV that is not a failed-rows export is still refused by the XLSX-only importer.
        let plain = try upload("plain.csv", Array("ID,Handle,Code,Customer Email\n9,@n,1,n@example.com\n".utf8))
        #expect(plain.status == 415)
        #expect(plain.message == "This importer does not accept csv files; accepted formats: xlsx. A failed-rows CSV exported by Ingest "
                + "is accepted if it keeps its last two columns, _error_message and _row_number.")
        #expect(plain.json?["accepted_formats"]?.arrayValue?.compactMap(\.stringValue) == ["xlsx"])
        try server.process.terminate()
    }

    /// A `filesystem` importer and a `url` importer of the items CSV.
    static let feed = """
        { "name": "Feed", "source": { "type": "filesystem", "path": "feeds/items.csv" },
          "target": { "table": "items", "key": ["sku"] },
          "columns": { "sku": { "from": "SKU", "rules": "required" }, "name": { "from": "Name" } } }
        """
    static let remote = """
        { "name": "Remote", "source": { "type": "url", "url": "http://127.0.0.1:1/items.csv", "timeout_s": 5 },
          "target": { "table": "items", "key": ["sku"] },
          "columns": { "sku": { "from": "SKU", "rules": "required" }, "name": { "from": "Name" } } }
        """

    @Test("CLI: ingest run reads filesystem sources under --data-root or INGEST_DATA_ROOT, never elsewhere")
    func cliDataRoot() throws {
        let f = try ProcessFixture(importers: ["feed": Self.feed])
        try f.write("SKU,Name\nA-1,Lamp\n", to: "data/feeds/items.csv")
        let outside = try f.ingest(["run", "feed"])
        #expect(outside.status == 1)
        #expect(outside.stderr.contains("'feeds/items.csv' does not exist under the data root"), "\(outside.stderr)")
        #expect(try f.count("ingest_runs") == 0)
        let byOption = try f.ingest(["run", "feed", "--data-root", f.root + "/data"])
        #expect(byOption.status == 0, "\(byOption.stderr)")
        let byEnvironment = try f.ingest(["run", "feed"], environment: ["INGEST_DATA_ROOT": f.root + "/data"])
        #expect(byEnvironment.status == 0, "\(byEnvironment.stderr)")
        #expect(try f.count("items") == 1)
    }

    @Test("CLI: ingest run applies the URL allow-list and the internal-address refusal of ingest serve")
    func cliURLPolicy() throws {
        let f = try ProcessFixture(importers: ["remote": Self.remote])
        let refusedInternal = try f.ingest(["run", "remote"])
        #expect(refusedInternal.status == 1)
        #expect(refusedInternal.stderr.contains("internal addresses are refused"), "\(refusedInternal.stderr)")
        let offList = try f.ingest(["run", "remote", "--allow-private-urls"], environment: ["INGEST_ALLOWED_URL_HOSTS": "feeds.example.com"])
        #expect(offList.status == 1)
        #expect(offList.stderr.contains("The host '127.0.0.1' is not in the allowed URL hosts."), "\(offList.stderr)")
        #expect(try f.count("ingest_runs") == 0)
        // On the list and allowed to reach loopback: a run is created and fails only on the download.
        let allowed = try f.ingest(["run", "remote", "--allow-private-urls"], environment: ["INGEST_ALLOWED_URL_HOSTS": "feeds.example.com, 127.0.0.1"])
        #expect(allowed.status == 1)
        #expect(try f.count("ingest_runs") == 1)
        #expect(try f.status(1).failureReason.contains("download"), "\(allowed.stdout) \(allowed.stderr)")
    }

    @Test("CLI: a workbook named .csv imports as XLSX with a warning; random bytes, a PNG and a non-workbook ZIP are refused before a run")
    func cliFormatByContent() throws {
        let items = """
            { "name": "Items", "source": { "type": "upload", "formats": ["csv", "xlsx"] },
              "target": { "table": "items", "key": ["sku"] },
              "columns": { "sku": { "from": "SKU", "rules": "required" }, "name": { "from": "Name" } } }
            """
        let f = try ProcessFixture(importers: ["items": items])
        let book = try Self.write(Self.workbook([["SKU", "Name"], ["A-1", "Lamp"]]), f, "report.csv")
        let run = try f.ingest(["run", "items", book, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try JSONRun(run.stdout).json
        #expect(json["summary"]?["meta"]?["source"]?.string("format") == "xlsx")
        #expect(json["summary"]?["warnings"]?.arrayValue?.compactMap(\.stringValue)
                == ["'report.csv' is named like CSV but is an XLSX workbook (ZIP); it was read as XLSX."])
        var generator = SplitMix64(seed: 7)
        let random = try Self.write((0..<2048).map { _ in UInt8(truncatingIfNeeded: generator.next()) }, f, "test.bin")
        let refused = try f.ingest(["run", "items", random])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("The file is not CSV, TSV, XLSX, JSON or NDJSON: it looks like binary data"), "\(refused.stderr)")
        let unrelated = try f.ingest(["run", "items", try Self.write(Array("Colour,Size\nred,9\n".utf8), f, "other.csv")])
        #expect(unrelated.status == 1)
        #expect(unrelated.stderr.contains("None of the file's headers match a column of the importer. Found: Colour, Size. Expected: SKU, Name."),
                "\(unrelated.stderr)")
        #expect(try f.count("ingest_runs") == 1)
    }
}

/// SplitMix64, for deterministic "random" bytes.
private struct SplitMix64 {
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
