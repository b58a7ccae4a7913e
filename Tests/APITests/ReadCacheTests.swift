import Engine
import Foundation
import SQLite
import Testing
@testable import API

/// `GET /`, `GET /{id}` and `GET /{id}/errors/summary` are served from a cache of response bodies
/// while the database's change counter is unchanged. These tests change the database behind the
/// API's back (another connection, as another process would) and require the next read to show
/// the change.
@Suite("The read cache never serves a body older than the last commit")
struct ReadCacheTests {
    /// A finished run with failed rows, served through the router.
    static func fixture() throws -> (APIFixture, Int64) {
        let fixture = try APIFixture(importers: ["items": itemsDefinition()], serve: false)
        let id = try #require(try fixture.upload("items", content: SplicedJSONTests.csv).data?.int("id"))
        #expect(try fixture.engine.execute(runID: id).status == .completedWithErrors)
        return (fixture, id)
    }

    @Test("a finished run's record and rows edited by another connection show at the next GET /{id}")
    func showAfterEdits() throws {
        let (fixture, id) = try ReadCacheTests.fixture()
        let first = try fixture.get("/\(id)")
        #expect(first.status == 200)
        #expect(try fixture.get("/\(id)").body == first.body)
        let connection = try SQLite.Connection(path: fixture.databasePath)
        try connection.execute("UPDATE ingest_runs SET failure_reason = 'edited' WHERE id = \(id)")
        #expect(try fixture.get("/\(id)").data?["failure_reason"]?.stringValue == "edited")
        try connection.execute("""
            UPDATE ingest_rows SET data = '{"SKU":"changed"}' WHERE id = (SELECT MIN(id) FROM ingest_rows WHERE run_id = \(id))
            """)
        let rows = try #require(try fixture.get("/\(id)").data?["rows"]?.arrayValue)
        #expect(rows.first?["data"]?["SKU"]?.stringValue == "changed")
    }

    @Test("GET / shows a run created after the page was read, and each query is its own page")
    func listAfterNewRun() throws {
        let (fixture, _) = try ReadCacheTests.fixture()
        #expect(try fixture.get("").json?["meta"]?.int("total") == 1)
        #expect(try fixture.get("?per_page=1").json?["meta"]?.int("per_page") == 1)
        _ = try #require(try fixture.upload("items", content: SplicedJSONTests.csv).data?.int("id"))
        #expect(try fixture.get("").json?["meta"]?.int("total") == 2)
        #expect(try fixture.get("?per_page=1").json?["meta"]?.int("last_page") == 2)
        #expect(try fixture.get("?status=nope").status == 422)
    }

    @Test("GET /{id}/errors/summary counts failed rows edited by another connection")
    func summaryAfterEdits() throws {
        let (fixture, id) = try ReadCacheTests.fixture()
        let before = try #require(try fixture.get("/\(id)/errors/summary").data?.int("total_failed_rows"))
        let connection = try SQLite.Connection(path: fixture.databasePath)
        try connection.execute("UPDATE ingest_rows SET status = 'skipped' WHERE id = (SELECT MIN(id) FROM ingest_rows WHERE run_id = \(id) AND status = 'failed')")
        #expect(try fixture.get("/\(id)/errors/summary").data?.int("total_failed_rows") == before - 1)
    }

    @Test("a token revoked by another connection is refused at the next request")
    func revokedToken() throws {
        let (fixture, id) = try ReadCacheTests.fixture()
        let created = try TokenStore(fixture.engine.openStore()).create(name: "second", userID: nil)
        #expect(try fixture.get("/\(id)", token: created.token).status == 200)
        #expect(try fixture.get("/\(id)", token: created.token).status == 200)
        try TokenStore(fixture.engine.openStore()).revoke(name: "second")
        #expect(try fixture.get("/\(id)", token: created.token).status == 401)
        #expect(try fixture.get("/\(id)").status == 200)
    }

    @Test("the cache keeps at most its byte and entry budgets, dropping the least recently used")
    func bounds() {
        let cache = ReadCache(shardCount: 1, maxBytesPerShard: 1000, maxEntriesPerShard: 3)
        cache.store("a", .init(version: 1, body: Array(repeating: 1, count: 200)))
        cache.store("b", .init(version: 1, body: Array(repeating: 2, count: 200)))
        cache.store("c", .init(version: 1, body: Array(repeating: 3, count: 200)))
        #expect(cache.body("a", version: 1) != nil)  // a is now more recent than b
        cache.store("d", .init(version: 1, body: Array(repeating: 4, count: 200)))
        #expect(cache.count == 3)
        #expect(cache.body("b", version: 1) == nil)
        #expect(cache.body("a", version: 1) != nil)
        #expect(cache.body("a", version: 2) == nil, "another version is a miss")
        cache.store("big", .init(version: 1, body: Array(repeating: 5, count: 251)))
        #expect(cache.body("big", version: 1) == nil, "over a quarter of the budget is not kept")
        cache.store("e", .init(version: 1, body: Array(repeating: 6, count: 250)))
        cache.store("f", .init(version: 1, body: Array(repeating: 7, count: 250)))
        #expect(cache.storedBytes <= 1000)
        #expect(cache.count <= 3)
        #expect(cache.body("f", version: 1) == Array(repeating: 7, count: 250))
    }
}
