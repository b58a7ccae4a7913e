import API
import CLI
import Engine
import Foundation
import HTTP
import SQLite
import Testing

@Suite("Retention: ingest prune and serve --retention")
struct RetentionTests {
    /// A database with runs of every kind, some finished long ago.
    final class Runs {
        let fixture: APIFixture
        let store: RunStore
        private(set) var ids: [String: Int64] = [:]
        static let longAgo = "2020-01-01T00:00:00.000000Z"

        init() throws {
            fixture = try APIFixture(importers: ["items": itemsDefinition()], serve: false)
            store = try fixture.engine.openStore()
        }

        /// A run ended with `status`, its `completed_at` (and `created_at`) set to `finishedAt`,
        /// with `loggedRows` failed rows and optionally a kept file.
        @discardableResult
        func finished(_ name: String, _ status: RunStatus, finishedAt: String = longAgo, loggedRows: Int = 0,
                      keptFile: Bool = false) throws -> Int64 {
            var new = RunStore.NewRun(importer: "items", originalFilename: "\(name).csv")
            if keptFile {
                try FileManager.default.createDirectory(atPath: fixture.uploadsDirectory, withIntermediateDirectories: true)
                let path = fixture.uploadsDirectory + "/\(name).csv"
                try String(repeating: "x", count: 1000).write(toFile: path, atomically: true, encoding: .utf8)
                new.sourcePath = path
                new.ownsFile = true
            }
            let id = try store.createRun(new)
            #expect(try store.claim(id, owner: EventStreamTests.Live.owner, definitionHash: nil))
            var ending = RunStore.Ending(status: status, counts: RunCounts(), bytesRead: 0)
            ending.resumable = keptFile
            #expect(try store.finish(id, ending))
            let db = try Connection(path: fixture.databasePath)
            for row in 0..<loggedRows {
                _ = try db.execute("INSERT INTO ingest_rows (run_id, row_number, status, data, errors) VALUES (?, ?, 'failed', '{}', NULL)",
                                   [.integer(id), .integer(Int64(row + 2))])
            }
            _ = try db.execute("UPDATE ingest_runs SET created_at = ?, completed_at = ? WHERE id = ?",
                               [.text(finishedAt), .text(finishedAt), .integer(id)])
            ids[name] = id
            return id
        }

        /// A run still pending, created long ago.
        func pending(_ name: String, retrying original: Int64? = nil) throws {
            var new = RunStore.NewRun(importer: "items", originalFilename: "\(name).csv")
            new.retriedFromRunID = original
            new.parentID = original
            let id = try store.createRun(new)
            _ = try Connection(path: fixture.databasePath).execute("UPDATE ingest_runs SET created_at = ? WHERE id = ?",
                                                                   [.text(Runs.longAgo), .integer(id)])
            ids[name] = id
        }

        func remaining() throws -> Set<Int64> {
            Set(try fixture.query("SELECT id FROM ingest_runs").compactMap { $0.first?.integerValue })
        }

        /// The standard set: two old finished runs to prune (one with rows and a kept upload),
        /// and four runs to keep.
        func populate() throws {
            try finished("old-completed", .completedWithErrors, loggedRows: 3, keptFile: true)
            try finished("old-cancelled", .cancelled)
            try finished("recent", .completed, finishedAt: Timestamp.now(), loggedRows: 1)
            try pending("old-pending")
            let original = try finished("old-retried", .completedWithErrors, loggedRows: 2)
            try pending("live-retry", retrying: original)
        }
    }

    @Test("prune deletes old finished runs, their rows and kept files, never pending runs or the source of one; dry run counts the same")
    func prune() throws {
        let runs = try Runs()
        try runs.populate()
        let before = try runs.remaining()
        let dry = try runs.fixture.engine.prune(olderThan: .seconds(30 * 86_400), dryRun: true)
        #expect(dry.runs == 2)
        #expect(dry.rows == 3)
        #expect(dry.files == 1)
        #expect(dry.fileBytes == 1000)
        #expect(try runs.remaining() == before, "a dry run deletes nothing")
        #expect(runs.fixture.uploadedFiles().count == 1)

        let done = try runs.fixture.engine.prune(olderThan: .seconds(30 * 86_400), dryRun: false)
        #expect(done.runs == dry.runs && done.rows == dry.rows && done.files == dry.files && done.fileBytes == dry.fileBytes)
        #expect(!done.dryRun)
        let kept = ["recent", "old-pending", "old-retried", "live-retry"].compactMap { runs.ids[$0] }
        #expect(try runs.remaining() == Set(kept))
        #expect(try runs.fixture.query("SELECT COUNT(*) FROM ingest_rows").first?.first?.integerValue == 3)
        #expect(runs.fixture.uploadedFiles().isEmpty)
        #expect(try runs.fixture.engine.prune(olderThan: .seconds(30 * 86_400), dryRun: false).runs == 0)
    }

    @Test("prune keeps a run whose webhook delivery is still pending or sending, and takes it once the delivery is delivered or failed")
    func pendingDeliveries() throws {
        let runs = try Runs()
        let id = try runs.finished("hooked", .completed)
        let db = try Connection(path: runs.fixture.databasePath)
        _ = try db.execute("""
            INSERT INTO ingest_webhook_deliveries (delivery_id, run_id, event, url, secret_env, payload, status, created_at)
            VALUES ('d-1', ?, 'run.completed', 'https://hooks.example.com/x', 'INGEST_SECRET_A', '{}', 'pending', ?)
            """, [.integer(id), .text(Runs.longAgo)])
        for status in ["pending", "sending"] {
            _ = try db.execute("UPDATE ingest_webhook_deliveries SET status = ?", [.text(status)])
            #expect(try runs.fixture.engine.prune(olderThan: .seconds(86_400), dryRun: false).runs == 0, "\(status)")
            #expect(try runs.remaining() == [id])
        }
        _ = try db.execute("UPDATE ingest_webhook_deliveries SET status = 'failed'")
        #expect(try runs.fixture.engine.prune(olderThan: .seconds(86_400), dryRun: false).runs == 1)
        #expect(try runs.remaining().isEmpty)
        #expect(try runs.fixture.query("SELECT COUNT(*) FROM ingest_webhook_deliveries").first?.first?.integerValue == 0)
    }

    @Test("ingest prune prints the counts, the same with --dry-run, and refuses a bad or missing age")
    func command() throws {
        let runs = try Runs()
        try runs.populate()
        let database = ["--database", runs.fixture.databasePath, "--importers", runs.fixture.importersDirectory]
        let dry = TokenCommandTests.ingest(["prune", "--older-than", "30d", "--dry-run"] + database)
        #expect(dry.code == 0)
        #expect(dry.out.hasPrefix("Would prune 2 run(s) finished before "))
        #expect(dry.out.contains("(older than 30d): 3 logged row(s), 1 kept file(s) (0.0 MB)."))
        let done = TokenCommandTests.ingest(["prune", "--older-than", "12h"] + database)
        #expect(done.code == 0)
        #expect(done.out.hasPrefix("Pruned 2 run(s) finished before "))
        #expect(try runs.remaining().count == 4)

        for (bad, message) in [("30", "takes an age such as 30d, 12h or 90m"), ("30w", "not '30w'"), ("0d", "more than zero"),
                               ("-5d", "not '-5d'"), ("99999999d", "at most 36500d")] {
            let refused = TokenCommandTests.ingest(["prune", "--older-than", bad] + database)
            #expect(refused.code == 64, "\(bad)")
            #expect(refused.err.contains(message), "\(bad): \(refused.err)")
        }
        let missing = TokenCommandTests.ingest(["prune"] + database)
        #expect(missing.code == 64)
        #expect(missing.err.contains("--older-than"))
    }

    @Test("serve --retention prunes at start, and each time the timer fires (driven directly here)")
    func serverRetention() throws {
        let runs = try Runs()
        try runs.finished("old", .completed, loggedRows: 2)
        try runs.finished("recent", .completed, finishedAt: Timestamp.now())
        let fixture = runs.fixture
        var configuration = IngestServerConfiguration(
            engine: EngineConfiguration(databasePath: fixture.databasePath, importersDirectory: fixture.importersDirectory,
                                        uploadsDirectory: fixture.uploadsDirectory, dataRoot: fixture.root),
            http: HTTPServerConfiguration(host: "127.0.0.1", port: 0))
        configuration.retention = .seconds(30 * 86_400)
        let server = try IngestServer(configuration: configuration, logger: HTTPServer.silentLogger)
        let startup = try server.start()
        defer { server.stop() }
        #expect(startup.retention?.runs == 1)
        #expect(startup.retention?.rows == 2)
        #expect(try runs.remaining() == [runs.ids["recent"]].compactMap { $0 }.reduce(into: Set()) { $0.insert($1) })

        try runs.finished("later", .failed)
        #expect(try server.applyRetention()?.runs == 1)
        #expect(try runs.remaining().count == 1)

        let parsed = try ServeOptionsTests.configuration(["--retention", "90m"])
        #expect(parsed.retention == .seconds(5400))
        #expect(try ServeOptionsTests.configuration([]).retention == nil)
        #expect(throws: UsageError.self) { try ServeOptionsTests.configuration(["--retention", "soon"]) }
    }
}
