import Foundation
import SQLite

/// Leases of runs on a shared database (PostgreSQL, several nodes; docs/RUNS.md): the owner of a
/// `processing` run renews `lease_until` (milliseconds since 1970 by the database's clock, so no
/// node's clock matters) while it runs; a run whose lease has passed may be taken over by another
/// node, which ends it interrupted. Every write of a committed chunk is fenced by the owner: a node
/// that lost its lease cannot commit another chunk.
extension RunStore {
    /// Now, in milliseconds since 1970, by the database's clock.
    var nowMillisSQL: String {
        db.dialect == .postgres
            ? "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)"
            : "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)"
    }

    /// The owner columns' condition: `run is owned by owner` (three parameters).
    static let ownedBy = "owner_host = ? AND owner_pid = ? AND owner_started_at = ?"

    static func ownerValues(_ owner: RunOwner) -> [Value] {
        [.text(owner.host), .integer(owner.pid), .text(owner.startedAt)]
    }

    /// What renewing a lease found.
    enum LeaseRenewal: Equatable {
        /// Renewed; whether a cancel of the run was requested (from any node).
        case renewed(cancelRequested: Bool)
        /// The run is no longer the owner's processing run: it ended, or another node took it over.
        case lost
    }

    /// Renews the lease of `owner` on processing run `id` for ``leaseMilliseconds``.
    func renewLease(_ id: Int64, owner: RunOwner) throws(SQLiteError) -> LeaseRenewal {
        let rows = try db.query("""
            UPDATE ingest_runs SET lease_until = \(nowMillisSQL) + ?, heartbeat_at = ?
            WHERE id = ? AND status = 'processing' AND \(RunStore.ownedBy) RETURNING cancel_requested
            """, [.integer(leaseMilliseconds), .text(Timestamp.now()), .integer(id)] + RunStore.ownerValues(owner))
        guard let row = rows.first else { return .lost }
        return .renewed(cancelRequested: row.first?.integerValue == 1)
    }

    /// Makes `owner` the owner of processing run `id` if its lease has passed (or it never had
    /// one), renewing the lease for the taker. One statement, so of several nodes recovering at
    /// once exactly one takes the run; a chunk commit of the old owner in flight holds the row's
    /// lock and renews the lease, so the take-over then finds the lease valid and takes nothing.
    package func takeOverExpiredLease(_ id: Int64, owner: RunOwner) throws(SQLiteError) -> Bool {
        // SKIP LOCKED: a row locked by an owner frozen inside its chunk commit is left for a later
        // pass (its session ends after two leases idle in a transaction) instead of blocking recovery.
        try db.execute("""
            UPDATE ingest_runs SET owner_host = ?, owner_pid = ?, owner_started_at = ?, lease_until = \(nowMillisSQL) + ?
            WHERE id = (SELECT id FROM ingest_runs WHERE id = ? AND status = 'processing'
                AND (lease_until IS NULL OR lease_until < \(nowMillisSQL)) FOR UPDATE SKIP LOCKED)
            """, RunStore.ownerValues(owner) + [.integer(leaseMilliseconds), .integer(id)]) == 1
    }

    /// Locks the oldest pending run no other transaction holds (`FOR UPDATE SKIP LOCKED`, so
    /// nodes claiming at once each get a different run and none waits); nil when there is none.
    /// Call inside a transaction, which the claim then commits. PostgreSQL only.
    func lockNextPendingRun(excluding skipped: Set<Int64>) throws(SQLiteError) -> IngestRun? {
        let exclusion = skipped.isEmpty ? "" : "AND id NOT IN (\(skipped.sorted().map(String.init).joined(separator: ", ")))"
        return try queryRuns("""
            SELECT \(RunStore.runColumns) FROM ingest_runs WHERE status = 'pending' \(exclusion)
            ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED
            """).first
    }

    /// The error a fenced write raises when this process no longer owns the run.
    static func lostOwnership(_ id: Int64) -> SQLiteError {
        SQLiteError(extendedCode: 1, message: "run \(id) is no longer owned by this process: its lease expired and another node took the run over")
    }
}
