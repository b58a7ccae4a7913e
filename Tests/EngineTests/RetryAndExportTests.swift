import Foundation
import Testing
import SQLite
@testable import Engine

@Suite("Retry, error summary and failed-rows export")
struct RetryAndExportTests {
    static let csv = "SKU,Name,Price\nA1,Apple,1\nA2,,2\nA3,Cherry,-1\nA4,,4\n"

    @Test("retry runs only the failed rows, under the current definition")
    func retry() throws {
        let f = try EngineFixture(importers: ["items": itemsDefinition()])
        let original = try f.run("items", csv: Self.csv)
        #expect(original.counts.failed == 3)
        // Same definition: the rows fail again, keeping their original row numbers.
        let again = try f.retry(original.id)
        #expect(again.parentID == original.id && again.retriedFromRunID == original.id)
        #expect(again.counts.processed == 3 && again.counts.failed == 3)
        #expect(try f.failedRows(again.id).map(\.rowNumber) == [3, 4, 5])
        // Relax the definition: the retry now succeeds.
        try f.redefine("items", itemsDefinition().replacingOccurrences(of: #""rules": "required|min:2""#, with: #""rules": "nullable""#)
                                                  .replacingOccurrences(of: "nullable|min:0", with: "nullable"))
        let fixed = try f.retry(original.id)
        #expect(fixed.status == .completed && fixed.counts.created == 3)
        #expect(try f.query("SELECT COUNT(*) FROM items") == [[.integer(4)]])
    }

    @Test("retry of a run without failed rows is a clear error")
    func retryNothing() throws {
        let f = try EngineFixture(importers: ["items": itemsDefinition()])
        let run = try f.run("items", csv: "SKU,Name,Price\nA1,Apple,1\n")
        #expect(throws: EngineError.noFailedRows(runID: run.id)) { try f.engine.createRetry(of: run.id, dryRun: false, userID: nil) }
        #expect(throws: EngineError.runNotFound(id: 999)) { try f.engine.createRetry(of: 999, dryRun: false, userID: nil) }
    }

    @Test("the error summary counts messages and validation messages, most frequent first")
    func errorSummary() throws {
        let f = try EngineFixture(importers: ["items": itemsDefinition(onDuplicate: "fail")])
        _ = try f.run("items", csv: "SKU,Name,Price\nA1,Apple,1\n")
        let run = try f.run("items", csv: "SKU,Name,Price\nA1,Apple,1\nA2,,2\nA3,,-1\nA4,Dates,-4\n")
        let summary = try f.store().errorSummary(of: run.id)
        #expect(summary.totalFailedRows == 4)
        #expect(summary.errorSummary == [.init(message: "The given data was invalid.", count: 3), .init(message: "Duplicate entry found for key 'sku'.", count: 1)])
        #expect(summary.validationSummary == [
            .init(message: "name: The name field is required.", count: 2),
            .init(message: "price: The price field must be at least 0.", count: 2),
        ])
        let json = summary.json.text
        #expect(json.hasPrefix(#"{"total_failed_rows":4,"error_summary":[{"message":"The given data was invalid.","count":3}"#))
    }

    @Test("the failed-rows CSV round-trips: fix it, import it, the rows succeed")
    func roundTrip() throws {
        let f = try EngineFixture(importers: ["items": itemsDefinition()])
        let run = try f.run("items", csv: "SKU,Name,Price\nA1,Apple,1\nA2,,2\n\"A,3\",\"=cmd\",-1\n")
        var bytes: [UInt8] = []
        let count = try FailedRowsExport.write(runID: run.id, store: f.store()) { bytes += $0 }
        #expect(count == 2)
        let csv = String(decoding: bytes, as: UTF8.self)
        #expect(csv == "SKU,Name,Price,_error_message,_row_number\r\nA2,,2,The name field is required.,3\r\n\"A,3\",'=cmd,-1,The price field must be at least 0.,4\r\n")
        let fixed = csv.replacingOccurrences(of: "A2,,2", with: "A2,Apricot,2").replacingOccurrences(of: "'=cmd,-1", with: "Cherry,3")
        let rerun = try f.run("items", csv: fixed)
        #expect(rerun.status == .completed && rerun.counts.created == 2)
        #expect(try f.query("SELECT sku, name FROM items ORDER BY sku") == [["A,3", "Cherry"], ["A1", "Apple"], ["A2", "Apricot"]])
    }

    @Test("formula-like cells are neutralised, plain numbers are not")
    func formulaInjection() {
        #expect(CSVWriter.neutralize("=SUM(A1)") == "'=SUM(A1)")
        #expect(CSVWriter.neutralize("@cmd") == "'@cmd")
        #expect(CSVWriter.neutralize("+1+1") == "'+1+1")
        #expect(CSVWriter.neutralize("-3.00") == "-3.00")
        #expect(CSVWriter.neutralize("+49") == "+49")
        #expect(CSVWriter.neutralize("-") == "'-")
        #expect(CSVWriter.neutralize("\tx") == "'\tx")
        #expect(CSVWriter.neutralize("plain") == "plain")
    }
}

@Suite("Cancellation")
struct CancellationTests {
    @Test("a cancel request from another connection stops the run between chunks, keeping committed chunks")
    func cancelFromAnotherConnection() throws {
        let f = try EngineFixture(importers: ["items": itemsDefinition(chunkSize: 100)])
        var csv = "SKU,Name,Price\n"
        for i in 0..<20_000 { csv += "S\(i),Item \(i),\(i)\n" }
        let path = try f.write(csv, to: "files/big.csv")
        let id = try f.engine.createRun(slug: "items", path: path, originalFilename: "big.csv", dryRun: false, userID: nil)
        let database = f.database
        let run = try f.engine.execute(runID: id) { progress in
            // Another process would do exactly this: flag the run in the database.
            if progress.counts.processed == 300, let store = try? RunStore(path: database) {
                _ = try? store.requestCancellation(of: progress.runID)
            }
        }
        #expect(run.status == .cancelled)
        #expect(run.counts.processed == 300)
        #expect(try f.query("SELECT COUNT(*) FROM items") == [[.integer(300)]])
        #expect(run.failureReason?.hasPrefix("Cancelled at row 300") == true)
    }

    @Test("cancelling a pending run ends it at once; a finished run cannot be cancelled")
    func pendingAndFinished() throws {
        let f = try EngineFixture(importers: ["items": itemsDefinition()])
        let path = try f.write("SKU,Name,Price\nA1,Apple,1\n", to: "files/a.csv")
        let id = try f.engine.createRun(slug: "items", path: path, originalFilename: "a.csv", dryRun: false, userID: nil)
        #expect(try f.engine.requestCancellation(of: id) == .requested)
        #expect(try f.store().run(id)?.status == .cancelled)
        let done = try f.run("items", csv: "SKU,Name,Price\nA1,Apple,1\n")
        #expect(try f.engine.requestCancellation(of: done.id) == .alreadyFinished(.completed))
        #expect(try f.engine.requestCancellation(of: 4242) == .notFound)
    }

    @Test("runs left processing by a crash end failed as interrupted")
    func interrupted() throws {
        let f = try EngineFixture(importers: ["items": itemsDefinition()])
        let store = try f.store()
        let id = try store.createRun(.init(importer: "items"))
        // Claimed by a process of this host that holds no lock: it is gone.
        let dead = RunOwner(host: LocalRunOwnership.hostName, pid: 999_999, startedAt: "2020-01-01T00:00:00.000000Z")
        #expect(try store.claim(id, owner: dead, definitionHash: nil))
        #expect(try f.engine.recoverAbandonedRuns() == [id])
        #expect(try store.run(id)?.status == .failed)
        #expect(try store.run(id)?.failureReason?.hasPrefix("interrupted") == true)
        #expect(try store.run(id)?.resumable == true)
        #expect(try f.engine.recoverAbandonedRuns() == [])
    }
}

@Suite("Stored runs are read by column name, and what Ingest did not write is a typed error")
struct StoredRunDecodingTests {
    @Test("an unknown status, corrupt summary JSON or corrupt row data is a corrupt-record error, not a silent default")
    func corruptRecords() throws {
        let f = try EngineFixture(importers: ["items": itemsDefinition()])
        let run = try f.run("items", csv: "SKU,Name,Price\nA1,Apple,1\nA2,,2\n")
        let store = try f.store()
        #expect(try store.run(run.id)?.status == .completedWithErrors)
        _ = try f.query("UPDATE ingest_runs SET status = 'exploded' WHERE id = \(run.id)")
        #expect(throws: SQLiteError.corruptRecord(table: "ingest_runs", id: run.id, column: "status", "unknown status 'exploded'")) {
            try store.run(run.id)
        }
        _ = try f.query("UPDATE ingest_runs SET status = 'completed', summary = '{not json' WHERE id = \(run.id)")
        #expect(throws: SQLiteError.self) { try store.run(run.id) }
        _ = try f.query("UPDATE ingest_runs SET summary = NULL WHERE id = \(run.id)")
        #expect(try store.run(run.id)?.summary == nil)
        _ = try f.query("UPDATE ingest_rows SET data = '[1,2]' WHERE run_id = \(run.id)")
        #expect(throws: SQLiteError.self) { try store.rows(of: run.id, limit: 10, offset: 0) }
    }
}

@Suite("Cancellation from another process")
struct CrossProcessCancellationTests {
    @Test("a run holding one transaction (transaction: all) is cancelled through the signal file and writes nothing")
    func allModeCancelledElsewhere() throws {
        let f = try EngineFixture(importers: ["items": itemsDefinition(transaction: "all", chunkSize: 100)])
        var csv = "SKU,Name,Price\n"
        for i in 0..<20_000 { csv += "S\(i),Item \(i),\(i)\n" }
        let path = try f.write(csv, to: "files/big.csv")
        let id = try f.engine.createRun(slug: "items", path: path, originalFilename: "big.csv", dryRun: false, userID: nil)
        let configuration = f.engine.configuration
        let asked = CancellationFlag()
        let run = try f.engine.execute(runID: id) { progress in
            // A second engine stands for another process: it cannot take the write lock the run holds.
            if progress.counts.processed == 500, !asked.isRaised, let other = try? IngestEngine(configuration: configuration) {
                asked.raise()
                let result = Result { try other.requestCancellation(of: progress.runID) }
                #expect((try? result.get()) == .requested, "\(result)")
            }
        }
        #expect(run.status == .cancelled)
        #expect(try f.query("SELECT COUNT(*) FROM sqlite_master WHERE name = 'items'") == [[.integer(0)]])
        #expect(!FileManager.default.fileExists(atPath: f.database + "-cancel/\(id)"))
    }

    @Test("two workers racing for one run: exactly one executes it")
    func raceForOneRun() throws {
        let f = try EngineFixture(importers: ["items": itemsDefinition()])
        let path = try f.write("SKU,Name,Price\nA1,Apple,1\n", to: "files/a.csv")
        let id = try f.engine.createRun(slug: "items", path: path, originalFilename: "a.csv", dryRun: false, userID: nil)
        _ = try f.engine.execute(runID: id)
        #expect(throws: EngineError.conflict("Run \(id) is completed, not pending.")) { try f.engine.execute(runID: id) }
        #expect(FileManager.default.fileExists(atPath: path), "the loser must not delete the winner's source")
    }
}
