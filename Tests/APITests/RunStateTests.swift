import Engine
import Foundation
import Testing

/// Without workers (requests through the router), runs stay `pending` until the test executes
/// them, so every state a conflict depends on is reached deterministically.
@Suite("Cancel and retry against run states")
struct RunStateTests {
    @Test("cancelling a pending upload ends it cancelled at once and removes its file")
    func cancelPending() throws {
        let fixture = try APIFixture(importers: ["items": itemsDefinition()], serve: false)
        let id = try #require(try fixture.upload("items", content: itemsCSV).data?.int("id"))
        #expect(fixture.uploadedFiles().count == 1)
        let response = try fixture.post("/\(id)/cancel")
        #expect(response.status == 200)
        #expect(response.json == .object([("message", .string("Cancellation request sent."))]))
        #expect(try fixture.get("/\(id)").data?.string("status") == "cancelled")
        #expect(fixture.uploadedFiles().isEmpty)
        #expect(try fixture.post("/\(id)/cancel").status == 409)
    }

    @Test("a retry is refused with 409 while the original is unfinished or while a retry of it is pending")
    func retryConflicts() throws {
        let fixture = try APIFixture(importers: ["items": itemsDefinition()], serve: false)
        let id = try #require(try fixture.upload("items", content: itemsCSV).data?.int("id"))
        let early = try fixture.post("/\(id)/retry")
        #expect(early.status == 409)
        #expect(early.message == "The ingest run \(id) has not finished yet; retry it once it has.")

        let original = try fixture.engine.execute(runID: id)
        #expect(original.status == .completedWithErrors)
        let first = try fixture.post("/\(id)/retry", json: "{\"dry_run\": true}")
        #expect(first.status == 202)
        let retryID = try #require(first.data?.int("id"))
        #expect(first.data?["dry_run"]?.boolValue == true)
        #expect(first.data?.string("status") == "pending")

        let second = try fixture.post("/\(id)/retry")
        #expect(second.status == 409)
        #expect(second.message == "A retry of the ingest run \(id) is already pending or processing (run \(retryID)).")

        // Once that retry has run, another may start.
        _ = try fixture.engine.execute(runID: retryID)
        #expect(try fixture.post("/\(id)/retry").status == 202)
    }

    @Test("dry_run in a JSON body must be a boolean, 0/1 or their strings")
    func jsonDryRun() throws {
        let fixture = try APIFixture(importers: ["items": itemsDefinition()], serve: false)
        let id = try #require(try fixture.upload("items", content: itemsCSV).data?.int("id"))
        _ = try fixture.engine.execute(runID: id)
        let invalid = try fixture.post("/\(id)/retry", json: "{\"dry_run\": \"maybe\"}")
        #expect(invalid.status == 422)
        #expect(invalid.json?["errors"]?["dry_run"] != nil)
        #expect(try fixture.post("/\(id)/retry", json: "[1]").status == 400)
        let ok = try fixture.post("/\(id)/retry", json: "{\"dry_run\": 1}")
        #expect(ok.status == 202)
        #expect(ok.data?["dry_run"]?.boolValue == true)
    }

    @Test("GET /{id} embeds at most 100 logged rows; /{id}/rows pages through all of them")
    func rowsAreCappedAndPaged() throws {
        let fixture = try APIFixture(importers: ["items": itemsDefinition()], serve: false)
        let csv = "SKU,Name,Price\n" + (1...130).map { "S-\($0),X,1\n" }.joined()
        let id = try #require(try fixture.upload("items", content: csv).data?.int("id"))
        _ = try fixture.engine.execute(runID: id)
        let run = try #require(try fixture.get("/\(id)").data)
        #expect(run["rows"]?.arrayValue?.count == 100)
        #expect(run["progress"]?.int("failed") == 130)

        let page = try #require(try fixture.get("/\(id)/rows?status=failed&page=3&per_page=50").json)
        #expect(page["data"]?.arrayValue?.count == 30)
        #expect(page["data"]?.arrayValue?.first?.int("row_number") == 102)
        #expect(page["meta"]?.int("total") == 130)
        #expect(page["meta"]?.int("last_page") == 3)
        #expect(page["links"]?["next"] == .null)
        #expect(page["links"]?.string("prev") == "/api/v1/ingest/\(id)/rows?status=failed&per_page=50&page=2")
        #expect(try fixture.get("/\(id)/rows?status=weird").status == 422)
    }
}
