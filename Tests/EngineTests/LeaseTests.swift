import Foundation
import Postgres
import PostgresTestServer
import SQLite
import Testing
@testable import Engine

/// Leases on a shared PostgreSQL database (docs/RUNS.md, "Several nodes"): claims with
/// `SKIP LOCKED`, take-over only after the lease passed, and fenced chunk commits.
@Suite("Run leases on PostgreSQL")
struct LeaseTests {
    static let nodeA = RunOwner(host: "node-a", pid: 1, startedAt: "2026-01-01T00:00:00.000000Z")
    static let nodeB = RunOwner(host: "node-b", pid: 2, startedAt: "2026-01-01T00:00:00.000000Z")

    func store(_ location: DatabaseLocation, leaseMs: Int64) throws -> RunStore {
        let store = try RunStore(location: location)
        store.leaseMilliseconds = leaseMs
        return store
    }

    @Test("a lease that is renewed is never taken over; once it passed, one node takes the run and the old owner's writes are refused")
    func takeOverAfterExpiry() throws {
        let location = DatabaseLocation.postgres(PostgresLocation(try PostgresTestServer.freshDatabase()))
        let a = try store(location, leaseMs: 30_000)
        let b = try store(location, leaseMs: 30_000)
        let id = try a.createRun(.init(importer: "items"))
        #expect(try a.claim(id, owner: Self.nodeA, definitionHash: nil))
        #expect(try !b.takeOverExpiredLease(id, owner: Self.nodeB))
        #expect(try a.renewLease(id, owner: Self.nodeA) == .renewed(cancelRequested: false))
        var counts = RunCounts()
        counts.processed = 10; counts.total = 10; counts.successful = 10; counts.created = 10
        try a.updateProgress(id, counts: counts, bytesRead: 10, resumePosition: 10, owner: Self.nodeA)
        #expect(try !b.takeOverExpiredLease(id, owner: Self.nodeB))

        // No renewal for longer than the lease (made to have passed): node B takes the run, once.
        try a.db.execute("UPDATE ingest_runs SET lease_until = 0 WHERE id = ?", [.integer(id)])
        #expect(try b.takeOverExpiredLease(id, owner: Self.nodeB))
        #expect(try !a.takeOverExpiredLease(id, owner: Self.nodeA))
        #expect(try a.renewLease(id, owner: Self.nodeA) == .lost)
        #expect(throws: SQLiteError.self) {
            try a.updateProgress(id, counts: counts, bytesRead: 20, resumePosition: 20, owner: Self.nodeA)
        }
        let ending = RunStore.Ending(status: .completed, counts: counts, bytesRead: 20)
        #expect(try !a.finish(id, ending, owner: Self.nodeA))
        let run = try #require(try b.run(id))
        #expect(run.status == .processing && run.owner == Self.nodeB && run.resumePosition == 10)
        #expect(try b.markInterrupted(id, reason: "interrupted"))
        #expect(try b.renewLease(id, owner: Self.nodeB) == .lost)
    }

    @Test("a cancel requested on any node is seen by the owner's heartbeat")
    func heartbeatSeesCancel() throws {
        let location = DatabaseLocation.postgres(PostgresLocation(try PostgresTestServer.freshDatabase()))
        let a = try store(location, leaseMs: 30_000)
        let id = try a.createRun(.init(importer: "items"))
        #expect(try a.claim(id, owner: Self.nodeA, definitionHash: nil))
        #expect(try a.renewLease(id, owner: Self.nodeA) == .renewed(cancelRequested: false))
        #expect(try store(location, leaseMs: 30_000).requestCancellation(of: id) == .requested)
        #expect(try a.renewLease(id, owner: Self.nodeA) == .renewed(cancelRequested: true))
    }

    @Test("claims with SKIP LOCKED: a run locked by one node's claim is passed over by another, which takes the next")
    func skipLockedClaims() throws {
        let location = DatabaseLocation.postgres(PostgresLocation(try PostgresTestServer.freshDatabase()))
        let a = try store(location, leaseMs: 30_000)
        let b = try store(location, leaseMs: 30_000)
        let first = try a.createRun(.init(importer: "items"))
        let second = try a.createRun(.init(importer: "items"))
        try a.db.begin(.immediate)
        let lockedByA = try #require(try a.lockNextPendingRun(excluding: []))
        #expect(lockedByA.id == first)
        // B does not wait for A's transaction: it skips the locked row.
        try b.db.begin(.immediate)
        #expect(try b.lockNextPendingRun(excluding: [])?.id == second)
        #expect(try b.claimRow(second, owner: Self.nodeB, definitionHash: nil))
        try b.db.commit()
        #expect(try a.claimRow(first, owner: Self.nodeA, definitionHash: nil))
        try a.db.commit()
        #expect(try a.run(first)?.owner == Self.nodeA)
        #expect(try a.run(second)?.owner == Self.nodeB)
        try a.db.begin(.immediate)
        #expect(try a.lockNextPendingRun(excluding: []) == nil)
        try a.db.commit()
    }

    @Test("recovery with auto-resume: a run whose node died after the claim, before reading its file, is resumed and read whole")
    func resumeOfUnreadRun() throws {
        let fixture = try EngineFixture(importers: ["items": itemsDefinition()])
        var configuration = fixture.engine.configuration
        configuration.database = .postgres(PostgresLocation(try PostgresTestServer.freshDatabase()))
        configuration.leaseDuration = .milliseconds(300)
        configuration.autoResume = true
        try fixture.useConfiguration(configuration)
        let path = try fixture.write("sku,name,price\nA-1,One,1\nA-2,Two,2\n", to: "files/items.csv")
        let id = try fixture.engine.createRun(slug: "items", path: path, originalFilename: "items.csv", dryRun: false, userID: nil)
        // Another node claimed it and died at once: no fingerprint, nothing committed.
        let store = try fixture.store()
        #expect(try store.claim(id, owner: Self.nodeB, definitionHash: nil))
        Thread.sleep(forTimeInterval: 0.5)
        #expect(try fixture.engine.recoverAbandonedRuns() == [id])
        let interrupted = try #require(try store.run(id))
        #expect(interrupted.status == .failed)
        let reason = interrupted.failureReason ?? ""
        #expect(reason.contains("Resumed automatically as run"), "\(reason)")
        let resumed = try #require(try store.pendingRunIDs().first)
        let done = try fixture.engine.execute(runID: resumed)
        #expect(done.status == .completed && done.counts.created == 2 && done.resumedFromRunID == id)
    }
}
