import Engine
import Foundation
import Testing

@Suite("The live server: cancellation, hot reload, access")
struct LiveServerTests {
    @Test("cancelling a long run ends it cancelled with the target consistent with its counts; resume completes it")
    func cancelLongRun() throws {
        let fixture = try APIFixture(importers: ["items": itemsDefinition(chunkSize: 100)])
        var csv = "SKU,Name,Price\n"
        csv.reserveCapacity(6 << 20)
        for index in 0..<200_000 { csv += "S-\(index),Name \(index),\(index % 100)\n" }
        let id = try #require(try fixture.upload("items", filename: "many.csv", content: csv).data?.int("id"))
        _ = try fixture.waitForRun(id) { run in run.string("status") == "processing" && (run["progress"]?.int("processed") ?? 0) > 0 }

        let cancel = try fixture.post("/\(id)/cancel")
        #expect(cancel.status == 200)
        let run = try fixture.waitUntilFinished(id)
        #expect(run.string("status") == "cancelled")
        let created = try #require(run["progress"]?.int("created"))
        #expect(created < 200_000)
        #expect(Int64(try fixture.count("items")) == created)
        // The upload of a resumable run is kept, then resume continues from the last committed chunk.
        #expect(fixture.uploadedFiles().count == 1)
        let resume = try fixture.post("/\(id)/resume")
        #expect(resume.status == 202)
        let resumedID = try #require(resume.data?.int("id"))
        let resumed = try fixture.waitUntilFinished(resumedID)
        #expect(resumed.string("status") == "completed")
        #expect(resumed["progress"]?.int("processed") == 200_000)
        #expect(resumed["progress"]?.int("created") == 200_000)
        #expect(try fixture.count("items") == 200_000)
        #expect(try fixture.post("/\(id)/resume").status == 409, "a run is resumed once")
        _ = try fixture.eventually("the upload to be removed") { fixture.uploadedFiles().isEmpty ? true : nil }
    }

    @Test("editing a definition on disk changes the next run without a restart")
    func hotReload() throws {
        let fixture = try APIFixture(importers: ["items": itemsDefinition(nameRules: "required|min:2")])
        let before = try #require(try fixture.get("/importers/items").data?.string("definition_hash"))
        let first = try #require(try fixture.upload("items", content: itemsCSV).data?.int("id"))
        #expect(try fixture.waitUntilFinished(first)["progress"]?.int("failed") == 2)

        try fixture.write(itemsDefinition(nameRules: "required"), to: "importers/items.json")
        let after = try fixture.eventually("the new definition") { () -> String? in
            let hash = try fixture.get("/importers/items").data?.string("definition_hash")
            return hash != before ? hash : nil
        }
        let second = try #require(try fixture.upload("items", content: itemsCSV).data?.int("id"))
        let run = try fixture.waitUntilFinished(second)
        #expect(run["progress"]?.int("failed") == 1)
        #expect(run.string("definition_hash") == after)

        // A broken edit keeps the last good version running and shows the error.
        try fixture.write("{ \"columns\": ", to: "importers/items.json")
        let broken = try fixture.eventually("the load error") { () -> JSONValue? in
            let listed = try fixture.get("/importers").data?.arrayValue?.first { $0.string("slug") == "items" }
            return listed?["valid"]?.boolValue == false ? listed : nil
        }
        #expect(broken["serving_previous_version"]?.boolValue == true)
        #expect(broken["errors"]?.arrayValue?.isEmpty == false)
        #expect(try fixture.upload("items", content: itemsCSV).status == 202)
    }

    @Test("the importer list and detail describe the definitions")
    func importers() throws {
        let fixture = try APIFixture(importers: ["items": itemsDefinition()])
        let list = try #require(try fixture.get("/importers").data?.arrayValue)
        #expect(list.count == 1)
        #expect(list.first?.string("slug") == "items")
        #expect(list.first?.string("target_table") == "items")
        #expect(list.first?["formats"]?.arrayValue == [.string("csv")])
        let detail = try #require(try fixture.get("/importers/items").data)
        #expect(detail["columns"]?.arrayValue?.compactMap { $0.string("name") } == ["sku", "name", "price"])
    }

    @Test("shutdown stops accepting and cancels a run in progress")
    func shutdownCancelsRuns() throws {
        let fixture = try APIFixture(importers: ["items": itemsDefinition(chunkSize: 100)])
        var csv = "SKU,Name,Price\n"
        csv.reserveCapacity(9 << 20)
        for index in 0..<300_000 { csv += "S-\(index),Name \(index),1\n" }
        let id = try #require(try fixture.upload("items", content: csv).data?.int("id"))
        _ = try fixture.waitForRun(id) { $0.string("status") == "processing" }
        let server = try #require(fixture.server)
        let port = server.port
        // Exactly one worker executes the run, so its in-process cancellation flag is registered.
        #expect(fixture.engine.isRunningHere(id))
        server.stop()
        let run = try #require(try fixture.engine.openStore().run(id))
        #expect(run.status == .cancelled)
        #expect(throws: (any Error).self) { try TestHTTPClient(port: port, timeout: .seconds(2)).send("GET", "/api/v1/ingest/health") }
    }
}
