import Foundation
import SQLite
import Testing
@testable import Engine

/// Retry, apply and resume never import a row twice or leave one out; counters say what is in
/// the table. See docs/RUNS.md.
@Suite("Retry, apply and resume rules")
struct ContinuationTests {
    /// `rows` items `S-1…`; rows in `bad` (1-based) have an empty name.
    static func csv(rows: Int, bad: Set<Int> = []) -> String {
        "SKU,Name,Price\n" + (1...rows).map { "S-\($0),\(bad.contains($0) ? "" : "Item \($0)"),\($0 % 50)" }.joined(separator: "\n") + "\n"
    }

    /// Creates a run over `csv` and cancels it (through its observer) once `after` rows were processed.
    static func cancelled(_ f: EngineFixture, csv: String, after: Int) throws -> IngestRun {
        let path = try f.write(csv, to: "files/\(UUID().uuidString).csv")
        let id = try f.engine.createRun(slug: "items", path: path, originalFilename: "items.csv", dryRun: false, userID: nil)
        let engine = f.engine!
        return try f.engine.execute(runID: id) { progress in
            if progress.counts.processed >= after { _ = try? engine.requestCancellation(of: progress.runID) }
        }
    }

    @Test("a resumed run continues from the last committed chunk; its counters and row log cover the whole file")
    func resumeCoversTheFile() throws {
        let f = try EngineFixture(importers: ["items": itemsDefinition(chunkSize: 100)])
        let first = try Self.cancelled(f, csv: Self.csv(rows: 2_000, bad: [5, 1_500]), after: 300)
        #expect(first.status == .cancelled)
        #expect(first.resumable)
        #expect(first.counts.failed == 1)
        let resumedID = try f.engine.createResume(of: first.id, userID: nil)
        let resumed = try f.engine.execute(runID: resumedID)
        #expect(resumed.status == .completedWithErrors)
        #expect(resumed.counts.processed == 2_000)
        #expect(resumed.counts.failed == 2)
        #expect(resumed.counts.created == 1_998)
        #expect(try f.query("SELECT COUNT(*), COUNT(DISTINCT sku) FROM items") == [[.integer(1_998), .integer(1_998)]])
        // The resumed run's log holds the stopped run's failed rows too, so a retry sees both.
        #expect(try f.failedRows(resumed.id).map(\.rowNumber) == [6, 1_501])
        #expect(throws: EngineError.self) { try f.engine.createRetry(of: first.id, dryRun: false, userID: nil) }
        try f.redefine("items", itemsDefinition(chunkSize: 100).replacingOccurrences(of: "required|min:2", with: "nullable"))
        let retry = try f.retry(resumed.id)
        #expect(retry.counts.created == 2)
        #expect(try f.query("SELECT COUNT(*) FROM items") == [[.integer(2_000)]])
    }

    @Test("a run whose continuation started is never continued again: no row is imported twice")
    func oneContinuationEver() throws {
        let f = try EngineFixture(importers: ["items": itemsDefinition(chunkSize: 100)])
        let first = try Self.cancelled(f, csv: Self.csv(rows: 3_000), after: 300)
        let resumedID = try f.engine.createResume(of: first.id, userID: nil)
        let engine = f.engine!
        let second = try f.engine.execute(runID: resumedID) { progress in
            if progress.counts.processed >= 1_000 { _ = try? engine.requestCancellation(of: progress.runID) }
        }
        #expect(second.status == .cancelled)
        #expect(throws: EngineError.conflict("Run \(first.id) was already resumed (run \(resumedID)).")) {
            try f.engine.createResume(of: first.id, userID: nil)
        }
        let third = try f.engine.execute(runID: try f.engine.createResume(of: second.id, userID: nil))
        #expect(third.status == .completed)
        #expect(third.counts.created == 3_000)
        #expect(try f.query("SELECT COUNT(*) FROM items") == [[.integer(3_000)]])
    }

    @Test("a chunk-mode run cancelled after a bad row rolled its transaction back cannot be resumed")
    func noResumeAfterDoom() throws {
        let f = try EngineFixture(importers: ["items": itemsDefinition(transaction: "chunk", chunkSize: 100)])
        let run = try Self.cancelled(f, csv: Self.csv(rows: 3_000, bad: [150]), after: 1_000)
        #expect(run.status == .cancelled)
        #expect(!run.resumable)
        #expect(try f.query("SELECT COUNT(*) FROM items") == [[.integer(100)]])
        #expect(throws: EngineError.self) { try f.engine.createResume(of: run.id, userID: nil) }
    }

    @Test("transaction: all counts every row when the file ends on a batch boundary")
    func allModeTail() throws {
        let f = try EngineFixture(importers: ["items": itemsDefinition(transaction: "all", chunkSize: 1_000)])
        let run = try f.run("items", csv: Self.csv(rows: 256))
        #expect(run.status == .completed)
        #expect(run.counts.processed == 256 && run.counts.created == 256)
        let dry = try f.run("items", csv: Self.csv(rows: 512), dryRun: true)
        #expect(dry.counts.processed == 512)
    }

    @Test("a dry run predicts what the real run keeps, also in chunk mode after a bad row")
    func dryRunPrediction() throws {
        let f = try EngineFixture(importers: ["items": itemsDefinition(transaction: "chunk", chunkSize: 100)])
        let csv = Self.csv(rows: 300, bad: [150])
        let dry = try f.run("items", csv: csv, dryRun: true)
        let real = try f.run("items", csv: csv)
        #expect(dry.counts.created == real.counts.created)
        #expect(dry.counts.failed == real.counts.failed)
        #expect(real.counts.created == 100)
    }

    @Test("a run stopped by its error budget: retry refused, the reason says the rest was not read")
    func budgetStop() throws {
        let f = try EngineFixture(importers: ["items": itemsDefinition(chunkSize: 10, extraTop: #""error_budget": {"max_failed_rows": 3},"#)])
        let run = try f.run("items", csv: Self.csv(rows: 1_000, bad: Set(1...20)))
        #expect(run.status == .failed)
        #expect(!run.readToEnd)
        #expect(run.summary?.warnings.contains { $0.hasPrefix("The run stopped before the end of its file") } == true)
        #expect(run.retryRefusal?.contains("stopped before the end of its file") == true)
        #expect(throws: EngineError.self) { try f.engine.createRetry(of: run.id, dryRun: false, userID: nil) }
    }

    @Test("a retry that imported rows is not repeated: the next retry is of its own failed rows")
    func noSecondRetry() throws {
        let f = try EngineFixture(importers: ["items": itemsDefinition()])
        let run = try f.run("items", csv: Self.csv(rows: 10, bad: [2, 3]))
        try f.redefine("items", itemsDefinition().replacingOccurrences(of: "required|min:2", with: "nullable"))
        let retry = try f.retry(run.id)
        #expect(retry.counts.created == 2)
        #expect(throws: EngineError.conflict("The failed rows of run \(run.id) were already retried (run \(retry.id)); retry the failed rows of run \(retry.id) instead.")) {
            try f.engine.createRetry(of: run.id, dryRun: false, userID: nil)
        }
    }

    @Test("a pending apply cancelled before it started gives the file back to its dry run")
    func cancelledApplyKeepsTheFile() throws {
        let f = try EngineFixture(importers: ["items": itemsDefinition()])
        let path = try f.write(Self.csv(rows: 20), to: "uploads/up.csv")
        let dryID = try f.engine.createRun(slug: "items", path: path, originalFilename: "up.csv", dryRun: true, userID: nil, ownsFile: true)
        let dry = try f.engine.execute(runID: dryID)
        #expect(dry.ownedFile != nil)
        let applyID = try f.engine.createApply(of: dryID, userID: nil)
        #expect(try f.engine.requestCancellation(of: applyID) == .requested)
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(try f.store().run(dryID)?.ownedFile != nil)
        let applied = try f.engine.execute(runID: try f.engine.createApply(of: dryID, userID: nil))
        #expect(applied.counts.created == 20)
        #expect(!FileManager.default.fileExists(atPath: path), "removed once applied")
    }

    @Test("migration 4 ends every extra active retry of a run, whatever its status")
    func migrationKeepsOneActiveRetry() throws {
        let path = NSTemporaryDirectory() + "ingest-migrate-\(UUID().uuidString).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let db = try Connection(path: path)
        let upToThree = Migrator(migrations: Array(Schema.migrator.migrations.prefix(3)))
        try upToThree.migrate(db)
        try db.execute("INSERT INTO ingest_runs (id, importer, status, created_at) VALUES (1, 'items', 'completed', 'x')")
        for (id, status) in [(2, "pending"), (3, "processing"), (4, "processing"), (5, "pending")] {
            _ = try db.execute("INSERT INTO ingest_runs (id, importer, status, created_at, retried_from_run_id) VALUES (?, 'items', ?, 'x', 1)",
                               [.integer(Int64(id)), .text(status)])
        }
        try Schema.migrator.migrate(db)
        let active = try db.query("SELECT id FROM ingest_runs WHERE status IN ('pending', 'processing') ORDER BY id")
        #expect(active == [[.integer(3)]])
        #expect(try db.query("SELECT status FROM ingest_runs WHERE id IN (2, 4, 5) ORDER BY id") == [["cancelled"], ["failed"], ["cancelled"]])
    }
}
