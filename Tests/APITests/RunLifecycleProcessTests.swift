import Engine
import Foundation
import Testing

/// The run lifecycle across real `ingest` processes: ownership, recovery after `kill -9`, resume,
/// apply, retry rules, one retry at a time, and file ownership. See docs/RUNS.md.
@Suite("Run lifecycle across processes")
struct RunLifecycleProcessTests {
    static let rows = 150_000

    static func definition(transaction: String, chunkSize: Int = 500, rowLog: String = "failed") -> String {
        """
        {
          "name": "Items",
          "source": { "type": "upload", "formats": ["csv"] },
          "target": { "table": "items", "key": ["sku"], "on_duplicate": "update" },
          "transaction": "\(transaction)",
          "chunk_size": \(chunkSize),
          "row_log": "\(rowLog)",
          "columns": {
            "sku": { "from": "SKU", "rules": "required" },
            "name": { "from": "Name", "rules": "required|min:2" },
            "price": { "from": "Price", "type": "decimal", "rules": "nullable|min:0" }
          }
        }
        """
    }

    /// Waits until run 1 is mid-import: a committed chunk (none/row/chunk), or its owner's lock (all).
    static func waitUntilMidImport(_ f: ProcessFixture, transaction: String) throws {
        if transaction == "all" {
            _ = try f.eventually("run 1 to start") { FileManager.default.fileExists(atPath: f.database + "-runs/1.lock") ? true : nil }
            usleep(300_000)
        } else {
            _ = try f.eventually("run 1 to commit a chunk") { () -> Bool? in
                let processed = (try? f.scalar("SELECT processed_rows FROM ingest_runs WHERE id = 1")) ?? 0
                return processed >= 2_000 ? true : nil
            }
        }
    }

    /// After a kill: the run is failed (interrupted), its counters are the committed rows, and
    /// resume completes it with every row of the file exactly once.
    static func expectRecoveredAndResumable(_ f: ProcessFixture, transaction: String, recovered: JSONRun) throws {
        #expect(recovered.status == "failed")
        #expect(recovered.failureReason.hasPrefix("interrupted"), "\(recovered.failureReason)")
        #expect(recovered.progress("created") == (try f.count("items")), "counters equal the committed rows")
        #expect(recovered.progress("created") < Int64(rows), "the kill came mid-import")
        if transaction == "all" { #expect(try f.count("items") == 0) }
        let resumed = try f.ingest(["resume", "1", "--json"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let run = try JSONRun(resumed.stdout)
        #expect(run.status == "completed")
        #expect(run.progress("processed") == Int64(rows))
        #expect(run.progress("created") == Int64(rows))
        #expect(try f.count("items") == Int64(rows))
        #expect(try f.scalar("SELECT COUNT(DISTINCT sku) FROM items") == Int64(rows))
    }

    @Test("kill -9 of `ingest run` mid-import, each transaction mode: the next command ends it interrupted; resume completes it",
          arguments: ["none", "row", "chunk", "all"])
    func killedCLIRun(transaction: String) throws {
        let f = try ProcessFixture(importers: ["items": Self.definition(transaction: transaction)])
        try f.write(ProcessFixture.itemsCSV(rows: Self.rows), to: "items.csv")
        let importer = try f.start(["run", "items", "items.csv"])
        try Self.waitUntilMidImport(f, transaction: transaction)
        importer.killHard()
        #expect(try f.scalar("SELECT COUNT(*) FROM ingest_runs WHERE status = 'processing'") == 1)
        let status = try f.ingest(["status", "1", "--json"])
        #expect(status.stderr.contains("run 1 was interrupted"), "\(status.stderr)")
        try Self.expectRecoveredAndResumable(f, transaction: transaction, recovered: try JSONRun(status.stdout))
    }

    @Test("kill -9 of `ingest serve` mid-import, each transaction mode: the next start ends it interrupted; resume over HTTP completes it",
          arguments: ["none", "row", "chunk", "all"])
    func killedServer(transaction: String) throws {
        let f = try ProcessFixture(importers: ["items": Self.definition(transaction: transaction)])
        let token = try ServerProcess.token(f)
        let csv = ProcessFixture.itemsCSV(rows: Self.rows)
        let first = try ServerProcess(f)
        let upload = try first.upload("items", csv: csv, token: token)
        #expect(upload.status == 202)
        try Self.waitUntilMidImport(f, transaction: transaction)
        first.process.killHard()

        let second = try ServerProcess(f)
        #expect(second.process.stderr.contains("Recovered 1 interrupted run"), "\(second.process.stderr)")
        let run = try #require(try second.get("/1", token: token).data)
        #expect(run.string("status") == "failed")
        #expect(run.string("failure_reason")?.hasPrefix("interrupted") == true)
        #expect(run["progress"]?.int("created") == (try f.count("items")))
        let resume = try second.post("/1/resume", token: token)
        #expect(resume.status == 202, "\(resume.text)")
        let resumedID = try #require(resume.data?.int("id"))
        let done = try second.waitUntilFinished(resumedID, token: token)
        #expect(done.string("status") == "completed")
        #expect(done["progress"]?.int("processed") == Int64(Self.rows))
        #expect(try f.count("items") == Int64(Self.rows))
        #expect(try f.scalar("SELECT COUNT(DISTINCT sku) FROM items") == Int64(Self.rows))
        try second.process.terminate()
        let uploads = (try? FileManager.default.contentsOfDirectory(atPath: f.database + "-uploads")) ?? []
        #expect(uploads.isEmpty, "the upload is removed once the resumed run completed: \(uploads)")
    }

    @Test("two servers and one CLI import on one database: every run ends in its true status, none is failed while its owner lives")
    func sharedDatabase() throws {
        let f = try ProcessFixture(importers: ["items": Self.definition(transaction: "none", chunkSize: 1000)])
        let token = try ServerProcess.token(f)
        try f.write(ProcessFixture.itemsCSV(rows: Self.rows), to: "items.csv")
        let a = try ServerProcess(f)
        // A long run owned by server A…
        #expect(try a.upload("items", csv: ProcessFixture.itemsCSV(rows: Self.rows), token: token).status == 202)
        _ = try f.eventually("run 1 to commit a chunk") { (try? f.scalar("SELECT processed_rows FROM ingest_runs WHERE id = 1")) ?? 0 > 0 ? true : nil }
        // …while a CLI import and a second server start on the same database.
        let cli = try f.start(["run", "items", "items.csv", "--json"])
        let b = try ServerProcess(f)
        #expect(b.process.stderr.contains("Recovered 0 interrupted runs"), "\(b.process.stderr)")
        for i in 0..<4 {
            let server = i % 2 == 0 ? a : b
            #expect(try server.upload("items", csv: ProcessFixture.itemsCSV(rows: 2_000), token: token).status == 202)
        }
        #expect(try cli.wait() == 0, "\(cli.stderr)")
        let ids: [Int64] = Array(1...6)
        for id in ids {
            let run = try b.waitUntilFinished(id, token: token, timeout: .seconds(120))
            #expect(run.string("status") == "completed", "run \(id): \(run.string("failure_reason") ?? "")")
        }
        let owners = try f.query("SELECT DISTINCT owner_pid FROM ingest_runs")
        #expect(owners.count >= 2, "several processes executed runs")
        #expect(try f.scalar("SELECT COUNT(*) FROM ingest_runs WHERE status <> 'completed'") == 0)
        try a.process.terminate()
        try b.process.terminate()
    }

    @Test("another connection holding the write lock past the busy timeout: the run ends failed with the reason, counters equal the table")
    func lockedDatabase() throws {
        let f = try ProcessFixture(importers: ["items": Self.definition(transaction: "none")])
        f.environment = ["INGEST_BUSY_TIMEOUT_MS": "200", "INGEST_FINAL_WRITE_BUDGET_MS": "500"]
        try f.write(ProcessFixture.itemsCSV(rows: Self.rows), to: "items.csv")
        let importer = try f.start(["run", "items", "items.csv", "--json"])
        try Self.waitUntilMidImport(f, transaction: "none")
        let blocker = try LockHolder(path: f.database)
        let status = try importer.wait()
        blocker.release()
        #expect(status == 1)
        let run = try f.status(1)
        #expect(run.status == "failed")
        #expect(run.failureReason.contains("database is locked"), "\(run.failureReason)")
        #expect(run.progress("created") == (try f.count("items")))
        #expect(try f.scalar("SELECT COUNT(*) FROM ingest_runs WHERE status = 'processing'") == 0)
        f.environment = [:]
        let resumed = try f.ingest(["resume", "1", "--json"])
        #expect(try JSONRun(resumed.stdout).status == "completed", "\(resumed.stderr)")
        #expect(try f.count("items") == Int64(Self.rows))
    }

    @Test("a database on a full disk: the run ends failed with the reason, counters equal the rows in the table, nothing stays processing")
    func fullDisk() throws {
        let f = try ProcessFixture(importers: ["items": Self.definition(transaction: "none")])
        let disk = try SmallDisk(megabytes: 4)
        defer { disk.unmount() }
        f.environment = ["INGEST_FINAL_WRITE_BUDGET_MS": "500"]
        try f.write(ProcessFixture.itemsCSV(rows: 100_000), to: "items.csv")
        // Room the test frees afterwards, as an operator would.
        let filler = disk.path + "/filler"
        #expect(FileManager.default.createFile(atPath: filler, contents: Data(count: 1 << 20)))
        let database = disk.path + "/ingest.sqlite"
        let run = try IngestProcess(["run", "items", f.root + "/items.csv", "--json", "--database", database, "--importers", f.root + "/importers"],
                                    in: f.root, environment: f.environment)
        #expect(try run.wait() == 1, "\(run.stdout.suffix(400)) \(run.stderr.suffix(400))")
        try FileManager.default.removeItem(atPath: filler)
        let shown = try IngestProcess(["status", "1", "--json", "--database", database, "--importers", f.root + "/importers"], in: f.root)
        #expect(try shown.wait() == 0, "\(shown.stderr)")
        let ended = try JSONRun(shown.stdout)
        #expect(ended.status == "failed", "\(shown.stderr)")
        #expect(ended.failureReason.contains("full"), "\(ended.failureReason)")
        let connection = try SQLiteConnection(database)
        #expect(ended.progress("created") == (try connection.count("items")))
        #expect(try connection.scalar("SELECT COUNT(*) FROM ingest_runs WHERE status = 'processing'") == 0)
    }

    @Test("all with 4 bad rows among 1,000 reports and logs all 4, and the target is untouched")
    func everyBadRowInAllMode() throws {
        let f = try ProcessFixture(importers: ["items": Self.definition(transaction: "all", chunkSize: 100)])
        try f.write(ProcessFixture.itemsCSV(rows: 1_000, bad: [3, 250, 251, 999]), to: "items.csv")
        let result = try f.ingest(["run", "items", "items.csv", "--json"])
        #expect(result.status == 1)
        let run = try JSONRun(result.stdout)
        #expect(run.status == "failed")
        #expect(run.progress("failed") == 4)
        #expect(run.progress("created") == 0, "nothing is in the table")
        #expect(run.json["summary"]?["meta"]?["rolled_back"]?.int("created") == 996)
        #expect(try f.count("items") == 0)
        #expect(try f.query("SELECT row_number FROM ingest_rows WHERE status = 'failed' ORDER BY row_number").map { $0[0].integerValue } == [4, 251, 252, 1000])
        // Retrying only the failed rows would leave partial data: refused, with what to do instead.
        let retry = try f.ingest(["retry", "1"])
        #expect(retry.status == 1)
        #expect(retry.stderr.contains("import the whole file again"), "\(retry.stderr)")
    }

    @Test("chunk mode reports every bad row; earlier chunks are kept")
    func everyBadRowInChunkMode() throws {
        let f = try ProcessFixture(importers: ["items": Self.definition(transaction: "chunk", chunkSize: 100)])
        try f.write(ProcessFixture.itemsCSV(rows: 1_000, bad: [250, 600, 601]), to: "items.csv")
        let result = try f.ingest(["run", "items", "items.csv", "--json"])
        let run = try JSONRun(result.stdout)
        #expect(run.status == "failed")
        #expect(run.progress("failed") == 3)
        #expect(try f.count("items") == 200, "the chunks before the first bad row")
        #expect(run.progress("created") == 200)
        #expect(try f.scalar("SELECT COUNT(*) FROM ingest_rows WHERE status = 'failed'") == 3)
    }

    @Test("a dry run: retry refused; apply commits exactly what it predicted; refused once the file changed")
    func dryRunApply() throws {
        let f = try ProcessFixture(importers: ["items": Self.definition(transaction: "none")])
        try f.write("SKU,Name,Price\nS-1,Old,1\n", to: "seed.csv")
        #expect(try f.ingest(["run", "items", "seed.csv"]).status == 0)
        try f.write(ProcessFixture.itemsCSV(rows: 1_000, bad: [10, 20]), to: "items.csv")
        let dry = try f.ingest(["run", "items", "items.csv", "--dry-run", "--json"])
        let predicted = try JSONRun(dry.stdout)
        #expect(predicted.status == "completed_with_errors")
        #expect(try f.count("items") == 1)
        let retry = try f.ingest(["retry", "2"])
        #expect(retry.status == 1)
        #expect(retry.stderr.contains("dry run"), "\(retry.stderr)")

        let applied = try f.ingest(["apply", "2", "--json"])
        #expect(applied.status == 2, "\(applied.stderr)")
        let run = try JSONRun(applied.stdout)
        for key in ["created", "updated", "skipped", "failed"] { #expect(run.progress(key) == predicted.progress(key), "\(key)") }
        #expect(try f.count("items") == 998)
        #expect(try f.ingest(["apply", "2"]).stderr.contains("already applied"))

        try f.write(ProcessFixture.itemsCSV(rows: 10), to: "items.csv")
        let second = try f.ingest(["run", "items", "items.csv", "--dry-run"])
        #expect(second.status == 0)
        try f.write(ProcessFixture.itemsCSV(rows: 11), to: "items.csv")
        let changed = try f.ingest(["apply", "4"])
        #expect(changed.status == 1)
        #expect(changed.stderr.contains("changed since"), "\(changed.stderr)")
    }

    @Test("two concurrent `ingest retry N` processes create exactly one retry run")
    func oneRetryAtATime() throws {
        let f = try ProcessFixture(importers: ["items": Self.definition(transaction: "none", rowLog: "failed")])
        try f.write(ProcessFixture.itemsCSV(rows: 40_000, bad: Set(1...40_000)), to: "items.csv")
        #expect(try f.ingest(["run", "items", "items.csv"]).status == 2)
        try f.write(Self.definition(transaction: "none").replacingOccurrences(of: "required|min:2", with: "nullable"), to: "importers/items.json")
        let first = try f.start(["retry", "1"])
        let second = try f.start(["retry", "1"])
        let statuses = [try first.wait(), try second.wait()]
        #expect(try f.scalar("SELECT COUNT(*) FROM ingest_runs WHERE retried_from_run_id = 1") == 1)
        #expect(statuses.sorted() == [0, 1], "one retry ran, the other was refused: \(first.stderr) \(second.stderr)")
        #expect((first.stderr + second.stderr).contains("already pending or processing"))
    }

    @Test("cancelling a pending upload from the CLI removes the uploaded file; a feed under the data root is never deleted")
    func fileOwnership() throws {
        let f = try ProcessFixture(importers: [
            "items": Self.definition(transaction: "none"),
            "feed": Self.definition(transaction: "none").replacingOccurrences(
                of: "{ \"type\": \"upload\", \"formats\": [\"csv\"] }", with: "{ \"type\": \"filesystem\", \"path\": \"feeds/items.csv\" }"),
        ])
        try f.write(ProcessFixture.itemsCSV(rows: 50), to: "feeds/items.csv")
        // Uploads inside the data root: allowed, but the engine deletes only files it recorded.
        let server = try ServerProcess(f, extra: ["--data-root", f.root, "--uploads", f.root + "/uploads"])
        let token = try ServerProcess.token(f)
        let trigger = try server.post("/trigger/feed", token: token)
        #expect(trigger.status == 202)
        let id = try #require(trigger.data?.int("id"))
        #expect(try server.waitUntilFinished(id, token: token).string("status") == "completed")
        #expect(FileManager.default.fileExists(atPath: f.root + "/feeds/items.csv"), "the feed is never deleted")
        try server.process.terminate()

        // The uploads folder may not be the data root (or hold it).
        let refused = try f.ingest(["serve", "--port", "0", "--data-root", f.root + "/uploads/x", "--uploads", f.root + "/uploads"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("may not be the data root"), "\(refused.stderr)")

        // A pending upload (no workers here) cancelled from the CLI loses its file.
        let api = try APIFixture(importers: ["items": Self.definition(transaction: "none")], serve: false)
        let pending = try #require(try api.upload("items", content: itemsCSV).data?.int("id"))
        #expect(api.uploadedFiles().count == 1)
        let cancel = try IngestProcess(["cancel", String(pending), "--database", api.databasePath, "--importers", api.importersDirectory],
                                       in: api.root)
        #expect(try cancel.wait() == 0, "\(cancel.stderr)")
        #expect(api.uploadedFiles().isEmpty)
    }
}
