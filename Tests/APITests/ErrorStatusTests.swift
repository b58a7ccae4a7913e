import Engine
import Foundation
import SQLite
import Testing
@testable import API

@Suite("Every error status of API.md, over real sockets")
struct ErrorStatusTests {
    static let definitions = [
        "items": itemsDefinition(),
        "small": itemsDefinition(maxSizeMB: 1),
    ]

    @Test("401 without a token, with a wrong one and with a malformed header, always with WWW-Authenticate: Bearer")
    func unauthenticated() throws {
        let fixture = try APIFixture(importers: Self.definitions)
        for response in [
            try fixture.get("/", token: .some(nil)),
            try fixture.get("/", token: "ingest_" + String(repeating: "0", count: 64)),
            try fixture.request("GET", "/", token: .some(nil), headers: [("Authorization", "Basic dXNlcjpwYXNz")]),
            try fixture.upload("items", content: itemsCSV, token: "wrong"),
        ] {
            #expect(response.status == 401)
            #expect(response.json == .object([("message", .string("Unauthenticated."))]))
            #expect(response.header("WWW-Authenticate") == "Bearer")
        }
        #expect(fixture.uploadedFiles().isEmpty)
        // The scheme is case-insensitive (RFC 7235 §2.1).
        let lower = try fixture.request("GET", "/", token: .some(nil), headers: [("Authorization", "bearer \(fixture.token)")])
        #expect(lower.status == 200)
    }

    @Test("health needs no token")
    func healthIsOpen() throws {
        let fixture = try APIFixture(importers: [:])
        let response = try fixture.get("/health", token: .some(nil))
        #expect(response.status == 200)
        #expect(response.text == "{\"status\":\"ok\"}")
    }

    @Test("404 for an unknown run, a non-integer id, an unknown importer, and a download without failed rows")
    func notFound() throws {
        let fixture = try APIFixture(importers: Self.definitions)
        let unknown = try fixture.get("/999")
        #expect(unknown.status == 404)
        #expect(unknown.message == "No ingest run found with the id 999.")
        for path in ["/abc", "/-1", "/1.5", "/abc/errors/summary", "/abc/rows"] {
            #expect(try fixture.get(path).status == 404, "GET \(path)")
        }
        #expect(try fixture.post("/abc/cancel").status == 404)

        let upload = try fixture.upload("nope", content: itemsCSV)
        #expect(upload.status == 404)
        #expect(upload.message == "No importer found with the slug 'nope'.")
        #expect(fixture.uploadedFiles().isEmpty)
        #expect(try fixture.post("/trigger/nope").message == "No importer found with the slug 'nope'.")
        #expect(try fixture.get("/importers/nope").status == 404)

        let clean = try #require(try fixture.upload("items", content: "SKU,Name,Price\nB-1,Bench,10\n").data?.int("id"))
        #expect(try fixture.waitUntilFinished(clean).string("status") == "completed")
        let download = try fixture.get("/\(clean)/failed-rows/download")
        #expect(download.status == 404)
        #expect(download.message == "No failed rows found for this ingest run.")
        #expect(try fixture.get("/999/failed-rows/download").status == 404)
    }

    @Test("405 with Allow for a known path and a wrong method")
    func methodNotAllowed() throws {
        let fixture = try APIFixture(importers: Self.definitions)
        let response = try fixture.request("DELETE", "/1")
        #expect(response.status == 405)
        #expect(response.header("Allow") == "GET, HEAD")
        #expect(response.message != nil)
        let upload = try fixture.get("/upload/items")
        #expect(upload.status == 405)
        #expect(upload.header("Allow") == "POST")
    }

    @Test("400 for a retry without failed rows and for a body that is not JSON; 409 to cancel a finished run")
    func badRequestAndConflict() throws {
        let fixture = try APIFixture(importers: Self.definitions)
        let id = try #require(try fixture.upload("items", content: "SKU,Name,Price\nB-1,Bench,10\n").data?.int("id"))
        try fixture.waitUntilFinished(id)

        let retry = try fixture.post("/\(id)/retry")
        #expect(retry.status == 400)
        #expect(retry.message == "The original run has no failed rows to retry.")
        let garbage = try fixture.post("/\(id)/retry", json: "{dry_run: yes")
        #expect(garbage.status == 400)
        #expect(garbage.message == "The request body is not valid JSON.")

        let cancel = try fixture.post("/\(id)/cancel")
        #expect(cancel.status == 409)
        #expect(cancel.message == "The ingest run has already finished (completed).")
    }

    @Test("413 before the body is read when Content-Length is above the importer's max_size_mb")
    func tooLargeBeforeReading() throws {
        let fixture = try APIFixture(importers: Self.definitions)
        var form = MultipartBody()
        form.file("file", filename: "big.csv", content: [])
        // Only the head goes out: the answer must not wait for the 2 MiB the head announces.
        let response = try fixture.request("POST", "/upload/small", headers: [
            ("Content-Type", form.contentType), ("Content-Length", String(2 << 20)), ("Expect", "100-continue"),
        ])
        #expect(response.status == 413)
        #expect(response.message == "The file may not be larger than 1 MB.")
        #expect(fixture.uploadedFiles().isEmpty)
    }

    @Test("413 while streaming when the file itself is above the limit, and the partial file is removed")
    func tooLargeWhileStreaming() throws {
        let fixture = try APIFixture(importers: Self.definitions)
        let row = "C-1,Something long enough,1\n"
        let content = "SKU,Name,Price\n" + String(repeating: row, count: (1 << 20) / row.utf8.count + 10)
        let response = try fixture.upload("small", content: content)
        #expect(response.status == 413)
        #expect(response.message == "The file may not be larger than 1 MB.")
        #expect(fixture.uploadedFiles().isEmpty)
    }

    @Test("415 for a format the importer does not accept, listing the accepted ones, and for a body that is not multipart")
    func unsupportedMediaType() throws {
        let fixture = try APIFixture(importers: Self.definitions)
        let response = try fixture.upload("items", filename: "items.json", content: "[{\"SKU\": \"A\"}]")
        #expect(response.status == 415)
        #expect(response.message == "This importer does not accept json files; accepted formats: csv.")
        #expect(response.json?["accepted_formats"]?.arrayValue == [.string("csv")])
        #expect(fixture.uploadedFiles().isEmpty)

        let plain = try fixture.request("POST", "/upload/items", headers: [("Content-Type", "text/csv")], body: Array(itemsCSV.utf8))
        #expect(plain.status == 415)
    }

    @Test("422 for an upload without a file, and for a trigger of an upload-only importer")
    func unprocessable() throws {
        let fixture = try APIFixture(importers: Self.definitions)
        var form = MultipartBody()
        form.field("dry_run", "1")
        let response = try fixture.request("POST", "/upload/items", headers: [("Content-Type", form.contentType)], body: form.finished)
        #expect(response.status == 422)
        #expect(response.json == .object([
            ("message", .string("The file field is required.")),
            ("errors", .object([("file", .array([.string("The file field is required.")]))])),
        ]))

        let trigger = try fixture.post("/trigger/items")
        #expect(trigger.status == 422)
        #expect(trigger.message?.contains("imports uploaded files") == true)
        #expect(trigger.json?["errors"] != nil)
    }

    @Test("422 for a form field or JSON key the endpoint does not take, so a misspelt dry_run never imports for real (found by schemathesis)")
    func unknownFields() throws {
        let fixture = try APIFixture(importers: Self.definitions)
        var form = MultipartBody()
        form.field("dryrun", "1")
        form.file("file", filename: "items.csv", content: Array(itemsCSV.utf8))
        let upload = try fixture.request("POST", "/upload/items", headers: [("Content-Type", form.contentType)], body: form.finished)
        #expect(upload.status == 422)
        #expect(upload.json?["errors"]?["dryrun"]?.arrayValue == [.string("The dryrun field is not accepted; send only file and dry_run.")])
        #expect(fixture.uploadedFiles().isEmpty)
        #expect(try fixture.get("/").json?["meta"]?.int("total") == 0)

        var extraFile = MultipartBody()
        extraFile.file("file", filename: "items.csv", content: Array(itemsCSV.utf8))
        extraFile.file("attachment", filename: "other.csv", content: Array(itemsCSV.utf8))
        let second = try fixture.request("POST", "/upload/items", headers: [("Content-Type", extraFile.contentType)], body: extraFile.finished)
        #expect(second.status == 422)
        #expect(second.json?["errors"]?["attachment"] != nil)
        #expect(fixture.uploadedFiles().isEmpty)

        let id = try #require(try fixture.upload("items", content: itemsCSV).data?.int("id"))
        try fixture.waitUntilFinished(id)
        let retry = try fixture.post("/\(id)/retry", json: #"{"dryRun": true}"#)
        #expect(retry.status == 422)
        #expect(retry.json?["errors"]?["dryRun"]?.arrayValue == [.string("The dryRun field is not accepted; send only dry_run.")])
        #expect(try fixture.post("/\(id)/retry", json: #"{"dry_run": " true"}"#).status == 422)
    }

    @Test("a 500 says only \"Server Error.\"")
    func serverErrorRevealsNothing() throws {
        let error = APIError(SQLiteErrorStandIn())
        #expect(error.status.code == 500)
        let response = error.makeResponse()
        #expect(try response.collectBody() == Array("{\"message\":\"Server Error.\"}".utf8))
        #expect(APIError(EngineError.database(.init(extendedCode: 1, message: "no such table: secret", sql: "SELECT 1"))) == .server)
    }

    private struct SQLiteErrorStandIn: Error {}
}
