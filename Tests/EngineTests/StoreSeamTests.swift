import Definitions
import Foundation
import Postgres
import PostgresTestServer
import SQLite
import Synchronization
import Testing
@testable import Engine

/// The bookkeeping stores on both implementations of the store seam: a SQLite file and a fresh
/// PostgreSQL database from the test server.
enum StoreBackend: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite, postgres

    var description: String { rawValue }

    /// A new, empty database of this kind.
    func freshLocation() throws -> DatabaseLocation {
        switch self {
        case .sqlite: return .sqlite(path: NSTemporaryDirectory() + "ingest-seam-\(UUID().uuidString.prefix(8)).sqlite")
        case .postgres: return .postgres(PostgresLocation(try PostgresTestServer.freshDatabase()))
        }
    }
}

@Suite("Bookkeeping stores on SQLite and PostgreSQL")
struct StoreSeamTests {
    static let owner = RunOwner(host: "node-a", pid: 42, startedAt: "2026-01-01T00:00:00.000000Z")

    @Test("a run is created, claimed, advanced and finished; pages and counts read back", arguments: StoreBackend.allCases)
    func runLifecycle(_ backend: StoreBackend) throws {
        let store = try RunStore(location: try backend.freshLocation())
        let first = try store.createRun(.init(importer: "items", originalFilename: "a.csv", dryRun: true))
        let second = try store.createRun(.init(importer: "other"))
        #expect(second > first)
        #expect(try store.pendingRunIDs() == [first, second])
        #expect(try store.claim(first, owner: Self.owner, definitionHash: "abc"))
        #expect(try !store.claim(first, owner: Self.owner, definitionHash: "abc"))
        var counts = RunCounts()
        counts.total = 3; counts.processed = 3; counts.successful = 2; counts.failed = 1
        try store.updateProgress(first, counts: counts, bytesRead: 99, bytesTotal: 120, resumePosition: 3)
        let ending = RunStore.Ending(status: .completedWithErrors, counts: counts, bytesRead: 120, bytesTotal: 120)
        #expect(try store.finish(first, ending))
        #expect(try !store.finish(first, ending))
        let run = try #require(try store.run(first))
        #expect(run.status == .completedWithErrors)
        #expect(run.counts == counts)
        #expect(run.dryRun && run.definitionHash == "abc" && run.originalFilename == "a.csv" && run.owner == Self.owner)
        #expect(run.resumePosition == 3 && run.bytesTotal == 120)
        let page = try store.runs(importer: "items", limit: 10, offset: 0)
        #expect(page.total == 1 && page.runs.map(\.id) == [first])
        #expect(try store.runs(limit: 1, offset: 0).runs.map(\.id) == [second])
        #expect(try store.requestCancellation(of: second) == .requested)
        #expect(try store.run(second)?.status == .cancelled)
        #expect(try store.requestCancellation(of: first) == .alreadyFinished(.completedWithErrors))
        #expect(try store.requestCancellation(of: 999) == .notFound)
    }

    @Test("logged rows: pages, stored JSON, failed rows streamed in order and by page, error summary", arguments: StoreBackend.allCases)
    func loggedRows(_ backend: StoreBackend) throws {
        let store = try RunStore(location: try backend.freshLocation())
        let id = try store.createRun(.init(importer: "items"))
        let invalid = RowErrors(message: "The given data was invalid.", validation: [(column: "price", messages: ["The price must be a number."])])
        let rows = (0 ..< 7).map { i in
            LoggedRow(runID: id, rowNumber: i + 2, status: i % 2 == 0 ? .failed : .success,
                      data: [(key: "sku", value: "S\(i)"), (key: "price", value: "x\(i)")], errors: i % 2 == 0 ? invalid : nil)
        }
        try store.db.begin(.immediate)
        try store.append(rows)
        try store.db.commit()
        #expect(try store.rowCount(of: id) == 7)
        #expect(try store.failedRowCount(of: id) == 4)
        #expect(try store.rows(of: id, status: .success, limit: 10, offset: 0).rows == rows.filter { $0.status == .success })
        let stored = try store.storedRows(of: id, limit: 2, offset: 1)
        #expect(stored.map(\.rowNumber) == [3, 4])
        #expect(stored.last?.errors != nil && stored.first?.errors == nil)
        var streamed: [LoggedRow] = []
        try store.forEachFailedRow(of: id) { streamed.append($0) }
        #expect(streamed == rows.filter { $0.status == .failed })
        var paged: [Int] = []
        var after: Int64 = 0
        while true {
            var page: [(LoggedRow, Int64)] = []
            try store.forEachFailedRow(of: id, after: after, limit: 3) { page.append(($0, $1)) }
            guard let last = page.last else { break }
            paged += page.map(\.0.rowNumber)
            after = last.1
        }
        #expect(paged == [2, 4, 6, 8])
        let summary = try store.errorSummary(of: id)
        #expect(summary.totalFailedRows == 4)
        #expect(summary.errorSummary == [.init(message: "The given data was invalid.", count: 4)])
        #expect(summary.validationSummary == [.init(message: "price: The price must be a number.", count: 4)])
    }

    @Test("a body's own error stops the failed-rows loop and comes out unchanged", arguments: StoreBackend.allCases)
    func bodyErrorStopsLoop(_ backend: StoreBackend) throws {
        struct Stop: Error {}
        let store = try RunStore(location: try backend.freshLocation())
        let id = try store.createRun(.init(importer: "items"))
        try store.db.begin(.immediate)
        try store.append((0 ..< 5).map { LoggedRow(runID: id, rowNumber: $0 + 2, status: .failed, data: [(key: "a", value: "b")],
                                                    errors: RowErrors(message: "no")) })
        try store.db.commit()
        var seen = 0
        #expect(throws: Stop.self) {
            try store.forEachFailedRow(of: id) { _ in
                seen += 1
                if seen == 2 { throw Stop() }
            }
        }
        #expect(seen == 2)
        // The connection is usable afterwards.
        #expect(try store.failedRowCount(of: id) == 5)
    }

    @Test("a second active retry of one run violates the partial unique index", arguments: StoreBackend.allCases)
    func oneActiveRetry(_ backend: StoreBackend) throws {
        let store = try RunStore(location: try backend.freshLocation())
        let original = try store.createRun(.init(importer: "items"))
        _ = try store.createRun(.init(importer: "items", retriedFromRunID: original))
        do {
            _ = try store.createRun(.init(importer: "items", retriedFromRunID: original))
            Issue.record("a second active retry was accepted")
        } catch {
            #expect(error.isConstraintViolation && error.isUniqueViolation)
        }
        #expect(try store.activeRetry(of: original) != nil)
    }

    @Test("tokens and sessions: create, name taken, list, credentials, sessions die with their token", arguments: StoreBackend.allCases)
    func tokensAndSessions(_ backend: StoreBackend) throws {
        let store = try RunStore(location: try backend.freshLocation())
        let tokens = TokenStore(store)
        let (token, record) = try tokens.create(name: "ci", userID: 7, scopes: [.read])
        #expect(record.name == "ci" && token.hasPrefix("ingest_"))
        #expect(throws: TokenError.nameTaken("ci")) { try tokens.create(name: "ci", userID: nil) }
        #expect(try tokens.list().map(\.name) == ["ci"])
        let credential = try #require(try tokens.credentials().first)
        #expect(credential.userID == 7 && credential.scopes == [.read])
        #expect(credential.hash == Array(TokenGenerator.hash(of: token).utf8))
        try tokens.recordUse(of: credential.id, at: "2026-01-02T00:00:00.000000Z")
        #expect(try tokens.list().first?.lastUsedAt == "2026-01-02T00:00:00.000000Z")
        let sessions = SessionStore(store)
        let created = try sessions.create(for: credential, lifetime: .seconds(60))
        #expect(try sessions.session(id: created.id)?.tokenName == "ci")
        #expect(try sessions.isLive(hash: TokenGenerator.hash(of: created.id)))
        try tokens.revoke(name: "ci")
        #expect(try sessions.session(id: created.id) == nil)
        #expect(try tokens.list().isEmpty)
    }

    @Test("webhook queue: enqueued in the claim, leased once, attempts recorded", arguments: StoreBackend.allCases)
    func webhookQueue(_ backend: StoreBackend) throws {
        let store = try RunStore(location: try backend.freshLocation())
        let id = try store.createRun(.init(importer: "items"))
        let hook = WebhookSpec(url: "http://127.0.0.1:9/hook", events: [.started], secretEnv: "INGEST_SECRET_HOOK")
        #expect(try store.claim(id, owner: Self.owner, definitionHash: nil, webhooks: [hook]))
        #expect(try store.openWebhookCount(of: id) == 1)
        let now = Timestamp.now()
        let lease = try #require(try store.claimDueWebhook(now: now, owner: "w1", leaseUntil: "9999-12-31T00:00:00.000000Z"))
        #expect(lease.event == .started && lease.attempts == 1 && lease.status == .sending)
        #expect(try store.claimDueWebhook(now: now, owner: "w2", leaseUntil: "9999-12-31T00:00:00.000000Z") == nil)
        let attempt = WebhookDelivery.Attempt(attempt: 1, startedAt: now, durationMs: 5, statusCode: 204, error: nil, nextAttemptAt: nil)
        try store.recordWebhookAttempt(lease, attempt, outcome: .delivered, owner: "w1")
        let delivered = try #require(try store.webhookDeliveries(of: id).first)
        #expect(delivered.status == .delivered && delivered.attemptLog == [attempt])
        #expect(try store.openWebhookCount(of: id) == 0)
    }

    @Test("retention deletes finished runs before the cutoff with their rows, never a live run", arguments: StoreBackend.allCases)
    func retention(_ backend: StoreBackend) throws {
        let store = try RunStore(location: try backend.freshLocation())
        let old = try store.createRun(.init(importer: "items"))
        #expect(try store.claim(old, owner: Self.owner, definitionHash: nil))
        try store.db.begin(.immediate)
        try store.append([LoggedRow(runID: old, rowNumber: 2, status: .success, data: [(key: "a", value: "1")])])
        try store.db.commit()
        #expect(try store.finish(old, RunStore.Ending(status: .completed, counts: RunCounts(), bytesRead: 0)))
        let live = try store.createRun(.init(importer: "items"))
        let future = "9999-12-31T00:00:00.000000Z"
        #expect(try store.prune(finishedBefore: future, dryRun: true).runs == 1)
        let pruned = try store.prune(finishedBefore: future, dryRun: false)
        #expect(pruned.runs == 1 && pruned.rows == 1)
        #expect(try store.run(old) == nil)
        #expect(try store.run(live) != nil)
    }

    @Test("the change token moves when another connection commits", arguments: StoreBackend.allCases)
    func changeToken(_ backend: StoreBackend) throws {
        let location = try backend.freshLocation()
        let watcher = try RunStore(location: location)
        let writer = try RunStore(location: location)
        let before = try watcher.changeToken()
        // PostgreSQL's token is the server's snapshot: other databases' commits (tests running
        // beside this one) move it too, which only costs a watcher a refresh. Steadiness holds on SQLite.
        if backend == .sqlite { #expect(try watcher.changeToken() == before) }
        _ = try writer.createRun(.init(importer: "items"))
        #expect(try watcher.changeToken() != before)
    }
}

@Suite("Migrations on PostgreSQL")
struct PostgresMigrationTests {
    @Test("two connections migrating a fresh database at once both succeed and apply each step once")
    func concurrentMigration() throws {
        let url = try PostgresTestServer.freshDatabase()
        let results = Mutex<[Result<[Int], DatabaseError>]>([])
        let threads = (0 ..< 2).map { _ in
            Thread {
                let result: Result<[Int], DatabaseError>
                do throws(DatabaseError) { result = .success(try Schema.migrator.migrate(try PGConnection(url))) } catch { result = .failure(error) }
                results.withLock { $0.append(result) }
            }
        }
        threads.forEach { $0.start() }
        for _ in 0 ..< 6000 where results.withLock({ $0.count }) < 2 { usleep(10_000) }
        let outcomes = results.withLock { $0 }
        #expect(outcomes.count == 2)
        let applied = try outcomes.map { try $0.get() }
        let all = Schema.migrator.migrations.map(\.version)
        #expect((applied[0] + applied[1]).sorted() == all)
        let db = try PGConnection(url)
        #expect(try db.query("SELECT version FROM ingest_migrations ORDER BY version").map { $0[0].integerValue.map(Int.init) } == all)
        #expect(try Schema.migrator.currentVersion(db) == all.last)
    }
}
