import Engine
import Foundation
import SQLite
import Testing

/// The HTTP API on both stores: `ingest serve --database …` on an ephemeral port, requests over
/// real sockets. One server per store and test carries several steps, to keep the suite fast.
@Suite("Both stores: the API")
struct BothStoresAPITests {
    @Test("upload with failing rows, the error summary, the failed-rows CSV, then a retry over HTTP", arguments: Store.allCases)
    func uploadSummaryExportRetry(store: Store) throws {
        let f = try ProcessFixture(store, importers: ["items": itemsDefinition()])
        let token = try ServerProcess.token(f)
        let server = try ServerProcess(f)
        let check = try server.get("/importers/items/check", token: token)
        #expect(check.data?["ok"]?.boolValue == true, "\(check.text)")
        #expect(check.data?["notes"]?.arrayValue?.compactMap(\.stringValue) == ["table 'items' will be created on the first run"], "\(check.text)")
        let upload = try server.upload("items", csv: itemsCSV, token: token)
        #expect(upload.status == 202, "\(upload.text)")
        let id = try #require(upload.data?.int("id"))
        let run = try server.waitUntilFinished(id, token: token)
        #expect(run.string("status") == "completed_with_errors")
        #expect(["created", "updated", "skipped", "failed"].map { run["progress"]?.int($0) } == [3, 0, 0, 2])

        let summary = try server.get("/\(id)/errors/summary", token: token)
        #expect(summary.status == 200, "\(summary.text)")
        #expect(summary.data?.int("total_failed_rows") == 2)
        let validation = summary.data?["validation_summary"]?.arrayValue?.compactMap { $0.string("message") } ?? []
        #expect(validation == ["name: The name field must be at least 2 characters.", "price: The price field must be at least 0."], "\(summary.text)")

        let csv = try server.get("/\(id)/failed-rows/download", token: token)
        #expect(csv.status == 200)
        #expect(csv.text == """
            SKU,Name,Price,_error_message,_row_number\r
            A-2,X,3.00,The name field must be at least 2 characters.,3\r
            A-4,Table,-1,The price field must be at least 0.,5\r

            """)

        try f.write(itemsDefinition(nameRules: "required").replacingOccurrences(of: "nullable|min:0", with: "nullable"), to: "importers/items.json")
        _ = try f.eventually("the server to load the changed definition") { () -> Bool? in
            try server.get("/importers/items", token: token).text.contains("min:2") ? nil : true
        }
        let retry = try server.post("/\(id)/retry", token: token)
        #expect(retry.status == 202, "\(retry.text)")
        let retried = try #require(retry.data?.int("id"))
        let done = try server.waitUntilFinished(retried, token: token)
        #expect(done.string("status") == "completed", "\(done)")
        #expect(done["progress"]?.int("created") == 2)
        #expect(try f.storeCount("items") == 5)
        try server.process.terminate()
    }

    @Test("cancel a running upload over HTTP, then resume it: every row once", arguments: Store.allCases)
    func cancelAndResume(store: Store) throws {
        let rows = 150_000
        let f = try ProcessFixture(store, importers: ["items": RunLifecycleProcessTests.definition(transaction: "none")])
        let token = try ServerProcess.token(f)
        let server = try ServerProcess(f)
        let upload = try server.upload("items", csv: ProcessFixture.itemsCSV(rows: rows), token: token)
        let id = try #require(upload.data?.int("id"), "\(upload.text)")
        _ = try f.eventually("the run to commit a chunk") { () -> Bool? in
            ((try? f.storeScalar("SELECT processed_rows FROM ingest_runs WHERE id = \(id)")) ?? 0) >= 1_000 ? true : nil
        }
        let cancel = try server.post("/\(id)/cancel", token: token)
        #expect([200, 202].contains(cancel.status), "\(cancel.text)")
        let cancelled = try server.waitUntilFinished(id, token: token)
        #expect(cancelled.string("status") == "cancelled", "\(cancelled)")
        let kept = try #require(cancelled["progress"]?.int("created"))
        #expect(kept == (try f.storeCount("items")), "counters equal the committed rows")
        #expect(kept < Int64(rows))
        let resume = try server.post("/\(id)/resume", token: token)
        #expect(resume.status == 202, "\(resume.text)")
        let resumedID = try #require(resume.data?.int("id"))
        let done = try server.waitUntilFinished(resumedID, token: token, timeout: .seconds(120))
        #expect(done.string("status") == "completed", "\(done)")
        #expect(done["progress"]?.int("processed") == Int64(rows))
        #expect(done["progress"]?.int("created") == Int64(rows))
        #expect(try f.storeCount("items") == Int64(rows))
        #expect(try f.storeScalar("SELECT COUNT(DISTINCT sku) FROM items") == Int64(rows))
        try server.process.terminate()
    }
}
