import Engine
import Foundation
import Testing

@Suite("Uploading files over HTTP")
struct UploadFlowTests {
    @Test("an upload with bad rows ends completed_with_errors, and its summary, error summary and failed-rows CSV match the file")
    func uploadWithBadRows() throws {
        let fixture = try APIFixture(importers: ["items": itemsDefinition()])
        let response = try fixture.upload("items", filename: "items.csv", content: itemsCSV)
        #expect(response.status == 202)
        let created = try #require(response.data)
        // As created, unless a worker's own poll claimed it between the insert and this read.
        #expect(["pending", "processing"].contains(created.string("status") ?? ""))
        #expect(created.string("importer") == "items")
        #expect(created.string("original_filename") == "items.csv")
        #expect(created.int("user_id") == 42)
        let id = try #require(created.int("id"))

        let run = try fixture.waitUntilFinished(id)
        #expect(run.string("status") == "completed_with_errors")
        #expect(run["progress"]?.int("total") == 5)
        #expect(run["progress"]?.int("successful") == 3)
        #expect(run["progress"]?.int("failed") == 2)
        #expect(run["summary"]?["meta"]?.int("failed_rows") == 2)
        #expect(run["summary"]?["meta"]?.int("created_rows") == 3)
        #expect(run.string("started_at")?.hasSuffix("Z") == true)
        #expect(run.string("completed_at") != nil)
        let rows = try #require(run["rows"]?.arrayValue)
        #expect(rows.compactMap { $0.int("row_number") } == [3, 5])
        #expect(try fixture.count("items") == 3)

        let summary = try #require(try fixture.get("/\(id)/errors/summary").data)
        #expect(summary.int("total_failed_rows") == 2)
        #expect(summary["error_summary"]?.arrayValue?.first?.string("message") == "The given data was invalid.")
        #expect(summary["error_summary"]?.arrayValue?.first?.int("count") == 2)
        let validation = summary["validation_summary"]?.arrayValue?.compactMap { $0.string("message") } ?? []
        #expect(validation.count == 2)
        #expect(validation.contains { $0.hasPrefix("name: ") })
        #expect(validation.contains { $0.hasPrefix("price: ") })

        let download = try fixture.get("/\(id)/failed-rows/download")
        #expect(download.status == 200)
        #expect(download.header("Content-Type") == "text/csv; charset=utf-8")
        #expect(download.header("Content-Disposition") == "attachment; filename=\"ingest-run-\(id)-failed-rows.csv\"")
        let lines = download.text.split(whereSeparator: \.isNewline).map(String.init)
        #expect(lines.first == "SKU,Name,Price,_error_message,_row_number")
        #expect(lines.count == 3)
        #expect(lines.dropFirst().first?.hasPrefix("A-2,X,3.00,") == true)
        #expect(lines.dropFirst().first?.hasSuffix(",3") == true)
        #expect(lines.last?.hasPrefix("A-4,Table,-1,") == true)
        #expect(lines.last?.hasSuffix(",5") == true)

        // The worker removes the uploaded file when the run ends.
        _ = try fixture.eventually("the upload to be removed") { fixture.uploadedFiles().isEmpty ? true : nil }
    }

    @Test("a dry run goes through the whole pipeline and leaves the target untouched")
    func dryRunLeavesTargetUntouched() throws {
        let fixture = try APIFixture(importers: ["items": itemsDefinition()])
        let response = try fixture.upload("items", content: itemsCSV, dryRun: "1")
        #expect(response.status == 202)
        #expect(response.data?["dry_run"]?.boolValue == true)
        let run = try fixture.waitUntilFinished(try #require(response.data?.int("id")))
        #expect(run.string("status") == "completed_with_errors")
        #expect(run["progress"]?.int("failed") == 2)
        #expect(try fixture.count("items") == 0)
    }

    @Test("dry_run accepts only 1, 0, true and false", arguments: ["maybe", "yes", "2"])
    func dryRunMustBeBoolean(value: String) throws {
        let fixture = try APIFixture(importers: ["items": itemsDefinition()], serve: false)
        let response = try fixture.upload("items", content: itemsCSV, dryRun: value)
        #expect(response.status == 422)
        #expect(response.message == "The dry run field must be true or false.")
        #expect(response.json?["errors"]?["dry_run"]?.arrayValue == [.string("The dry run field must be true or false.")])
        #expect(fixture.uploadedFiles().isEmpty)
        #expect(try fixture.query("SELECT COUNT(*) FROM ingest_runs").first?.first?.integerValue == 0)
    }

    @Test("a retry runs only the failed rows of the original, recording the token's user")
    func retryRunsOnlyFailedRows() throws {
        let fixture = try APIFixture(importers: ["items": itemsDefinition(nameRules: "required|min:2")])
        let id = try #require(try fixture.upload("items", content: itemsCSV).data?.int("id"))
        try fixture.waitUntilFinished(id)

        let response = try fixture.post("/\(id)/retry", json: "{\"dry_run\": false}")
        #expect(response.status == 202)
        let retry = try #require(response.data)
        #expect(retry.int("retried_from_run_id") == id)
        #expect(retry.int("user_id") == 42)
        let finished = try fixture.waitUntilFinished(try #require(retry.int("id")))
        #expect(finished["progress"]?.int("total") == 2)
        #expect(finished["progress"]?.int("failed") == 2)
        #expect(finished.string("status") == "completed_with_errors")
    }

    @Test("a trigger of a filesystem importer reads its file under the data root")
    func triggerReadsDataRoot() throws {
        let source = "{ \"type\": \"filesystem\", \"path\": \"feeds/items.csv\" }"
        let fixture = try APIFixture(importers: ["feed": itemsDefinition(source: source)])
        try FileManager.default.createDirectory(atPath: fixture.root + "/feeds", withIntermediateDirectories: true)
        try fixture.write(itemsCSV, to: "feeds/items.csv")
        let response = try fixture.post("/trigger/feed", json: "{\"dry_run\": true}")
        #expect(response.status == 202)
        #expect(response.data?["dry_run"]?.boolValue == true)
        let run = try fixture.waitUntilFinished(try #require(response.data?.int("id")))
        #expect(run["progress"]?.int("total") == 5)
        // Not an upload: the source file stays.
        #expect(FileManager.default.fileExists(atPath: fixture.root + "/feeds/items.csv"))
    }

    @Test("a client file name is only a label: its path parts are dropped")
    func fileNameIsSanitised() throws {
        let fixture = try APIFixture(importers: ["items": itemsDefinition()], serve: false)
        let response = try fixture.upload("items", filename: "../../etc/evil.csv", content: itemsCSV)
        #expect(response.status == 202)
        #expect(response.data?.string("original_filename") == "evil.csv")
        let stored = fixture.uploadedFiles()
        #expect(stored.count == 1)
        #expect(stored.allSatisfy { $0.hasPrefix("upload-") })
    }
}
