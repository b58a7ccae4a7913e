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
        let rows = 60_000  // long enough to stop mid-import after its second chunk (500 rows each), light beside the other suites
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

/// The same commands on both stores, their JSON compared whole: only what follows the clock
/// (timestamps, durations, speeds, CPU times) and the database's own description may differ.
@Suite("Both stores: the same JSON")
struct BothStoresJSONTests {
    static let volatile: Set<String> = ["started_at", "completed_at", "created_at", "updated_at", "duration_ms", "rows_per_second",
                                        "eta_seconds", "read_validate_cpu_ms", "write_cpu_ms", "write_sqlite_ms", "owner_pid", "heartbeat_at",
                                        "loaded_at"]

    /// `value` with the volatile members' values replaced by `"*"`, recursively.
    static func stable(_ value: JSONValue) -> JSONValue {
        switch value.resolved {
        case .object(let members): return .object(members.map { ($0.0, volatile.contains($0.0) ? .string("*") : stable($0.1)) })
        case .array(let items): return .array(items.map(stable))
        default: return value.resolved
        }
    }

    /// What the commands print, as JSON, on a fresh database of `store`.
    static func outputs(_ store: Store) throws -> [(command: String, json: JSONValue)] {
        let f = try ProcessFixture(store, importers: ["items": itemsDefinition(chunkSize: 2)])
        try f.write(itemsCSV, to: "items.csv")
        var results: [(String, JSONValue)] = []
        for command in [["run", "items", "items.csv", "--json"], ["run", "items", "items.csv", "--dry-run", "--json"],
                        ["status", "1", "--json"], ["errors", "1", "--json"], ["runs", "--json"], ["list", "--json"], ["check", "--json"],
                        ["retry", "1", "--json"]] {
            let result = try f.ingest(command)
            let json = try JSONValue.parse(result.stdout.isEmpty ? "null" : result.stdout)
            results.append((command.joined(separator: " ") + " (exit \(result.status))", stable(json)))
        }
        let token = try ServerProcess.token(f)
        let server = try ServerProcess(f)
        let upload = try server.upload("items", csv: itemsCSV, token: token)
        let id = try #require(upload.data?.int("id"), "\(upload.text)")
        _ = try server.waitUntilFinished(id, token: token)
        for path in ["/\(id)", "/\(id)/errors/summary", "/\(id)/rows", "/\(id)/failed-rows/download", "/?per_page=10", "/importers/items/check"] {
            let response = try server.get(path, token: token)
            let json = response.json.map(stable) ?? .string(response.text)
            results.append(("GET \(path) (\(response.status))", json))
        }
        try server.process.terminate()
        return results
    }

    @Test("run, dry run, status, errors, runs, list, check, retry and the API's answers give the same JSON on SQLite and PostgreSQL")
    func sameJSON() throws {
        let sqlite = try Self.outputs(.sqlite)
        let postgres = try Self.outputs(.postgres)
        #expect(sqlite.map(\.command) == postgres.map(\.command))
        for (a, b) in zip(sqlite, postgres) {
            #expect(a.json == b.json, "\(a.command):\nSQLite:     \(a.json.text)\nPostgreSQL: \(b.json.text)")
        }
    }
}
