import Definitions
import Foundation
import SQLite

/// The webhook delivery queue and its log (`ingest_webhook_deliveries`, `ingest_webhook_attempts`).
///
/// Deliveries are enqueued on the run's own connection, inside the transaction that records the
/// lifecycle change (the claim, a chunk's commit, the final status), so an event is queued if and
/// only if its change is committed. Claiming a delivery is one `BEGIN IMMEDIATE` transaction, so
/// several processes on one database never send the same attempt twice; a claim is a lease, and a
/// delivery whose deliverer died is taken again once its lease has run out.
extension RunStore {
    /// Queues `event` of run `runID` for every webhook that subscribes to it, with the run as it
    /// now reads on this connection (inside the caller's transaction, when one is open). Does
    /// nothing, and runs no SQL, when no webhook subscribes.
    package func enqueueWebhooks(_ event: WebhookEvent, runID: Int64, hooks: [WebhookSpec]) throws(SQLiteError) {
        let subscribed = hooks.filter { $0.events.contains(event) }
        guard !subscribed.isEmpty, let run = try run(runID) else { return }
        let now = Timestamp.now()
        let runJSON = run.json()
        for hook in subscribed {
            let deliveryID = UUID().uuidString.lowercased()
            let payload = JSONValue.object([
                ("event", .string(event.rawValue)), ("delivery_id", .string(deliveryID)),
                ("run", runJSON), ("occurred_at", .string(now)),
            ]).text
            try db.execute("""
                INSERT INTO ingest_webhook_deliveries (delivery_id, run_id, event, url, secret_env, payload, status, next_attempt_at, created_at)
                VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)
                """, [.text(deliveryID), .integer(runID), .text(event.rawValue), .text(hook.url), .text(hook.secretEnv),
                      .text(payload), .text(now), .text(now)])
        }
    }

    /// Claims the oldest delivery due at `now` (pending and due, or sending with an expired
    /// lease), optionally of one run, for `owner` until `leaseUntil`; counts the attempt.
    package func claimDueWebhook(now: String, owner: String, leaseUntil: String, runID: Int64? = nil) throws(SQLiteError) -> WebhookDelivery? {
        // A plain read first: the poll that finds nothing due (the usual case) never waits for
        // the write lock, which a long import may hold.
        guard try dueWebhookID(now: now, runID: runID) != nil else { return nil }
        try db.begin(.immediate)
        do {
            guard let id = try dueWebhookID(now: now, runID: runID) else { try db.commit(); return nil }
            try db.execute("""
                UPDATE ingest_webhook_deliveries SET status = 'sending', lease_owner = ?, lease_until = ?, attempts = attempts + 1
                WHERE id = ?
                """, [.text(owner), .text(leaseUntil), .integer(id)])
            let claimed = try webhookDeliveries("WHERE id = ?", [.integer(id)]).first
            try db.commit()
            return claimed
        } catch {
            try? db.rollback()
            throw error
        }
    }

    /// The oldest delivery due at `now` (of `runID`, if given): pending and due, or sending with
    /// an expired lease.
    private func dueWebhookID(now: String, runID: Int64?) throws(SQLiteError) -> Int64? {
        let runFilter = runID == nil ? "" : " AND run_id = ?"
        var args: [Value] = [.text(now), .text(now)]
        if let runID { args.append(.integer(runID)) }
        return try db.scalar("""
            SELECT id FROM ingest_webhook_deliveries
            WHERE ((status = 'pending' AND next_attempt_at <= ?) OR (status = 'sending' AND lease_until <= ?))\(runFilter)
            ORDER BY next_attempt_at, id LIMIT 1
            """, args)?.integerValue
    }

    /// What an attempt came to: delivered, to be tried again at a time, or given up.
    package enum WebhookOutcome: Sendable, Equatable {
        case delivered
        case retry(at: String)
        case failed
    }

    /// Records an attempt and its outcome in one transaction. Only the deliverer holding the
    /// lease changes the delivery's status (one whose lease ran out and was taken over keeps
    /// the newer deliverer's state); the attempt is logged either way.
    package func recordWebhookAttempt(_ delivery: WebhookDelivery, _ attempt: WebhookDelivery.Attempt, outcome: WebhookOutcome,
                                      owner: String) throws(SQLiteError) {
        try db.begin(.immediate)
        do {
            try db.execute("""
                INSERT INTO ingest_webhook_attempts (delivery, attempt, started_at, duration_ms, status_code, error, next_attempt_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, [.integer(delivery.id), .integer(Int64(attempt.attempt)), .text(attempt.startedAt), .integer(attempt.durationMs),
                      .optional(attempt.statusCode.map(Int64.init)), .optional(attempt.error), .optional(attempt.nextAttemptAt)])
            let (status, next, deliveredAt): (WebhookDelivery.Status, String?, String?)
            switch outcome {
            case .delivered: (status, next, deliveredAt) = (.delivered, nil, Timestamp.now())
            case .retry(let at): (status, next, deliveredAt) = (.pending, at, nil)
            case .failed: (status, next, deliveredAt) = (.failed, nil, nil)
            }
            try db.execute("""
                UPDATE ingest_webhook_deliveries SET status = ?, next_attempt_at = ?, delivered_at = ?, last_status_code = ?,
                    last_error = ?, lease_owner = NULL, lease_until = NULL
                WHERE id = ? AND status = 'sending' AND lease_owner = ?
                """, [.text(status.rawValue), .optional(next), .optional(deliveredAt), .optional(attempt.statusCode.map(Int64.init)),
                      .optional(attempt.error), .integer(delivery.id), .text(owner)])
            try db.commit()
        } catch {
            try? db.rollback()
            throw error
        }
    }

    /// The deliveries of a run in the order they were queued, each with its attempts.
    package func webhookDeliveries(of runID: Int64) throws(SQLiteError) -> [WebhookDelivery] {
        var deliveries = try webhookDeliveries("WHERE run_id = ?", [.integer(runID)])
        let attempts = try db.query("""
            SELECT a.delivery, a.attempt, a.started_at, a.duration_ms, a.status_code, a.error, a.next_attempt_at
            FROM ingest_webhook_attempts AS a JOIN ingest_webhook_deliveries AS d ON d.id = a.delivery
            WHERE d.run_id = ? ORDER BY a.id
            """, [.integer(runID)])
        var byDelivery: [Int64: [WebhookDelivery.Attempt]] = [:]
        for row in attempts {
            guard let delivery = row[0].integerValue else { continue }
            byDelivery[delivery, default: []].append(WebhookDelivery.Attempt(
                attempt: Int(row[1].integerValue ?? 0), startedAt: row[2].textValue ?? "", durationMs: row[3].integerValue ?? 0,
                statusCode: row[4].integerValue.map(Int.init), error: row[5].textValue, nextAttemptAt: row[6].textValue))
        }
        for i in deliveries.indices { deliveries[i].attemptLog = byDelivery[deliveries[i].id] ?? [] }
        return deliveries
    }

    /// Deliveries of a run not yet delivered or given up (pending or being sent).
    package func openWebhookCount(of runID: Int64) throws(SQLiteError) -> Int {
        Int(try db.scalar("SELECT COUNT(*) FROM ingest_webhook_deliveries WHERE run_id = ? AND status IN ('pending', 'sending')",
                          [.integer(runID)])?.integerValue ?? 0)
    }

    private func webhookDeliveries(_ condition: String, _ args: [Value]) throws(SQLiteError) -> [WebhookDelivery] {
        var deliveries: [WebhookDelivery] = []
        try db.forEachRow("SELECT \(RunStore.deliveryColumns) FROM ingest_webhook_deliveries \(condition) ORDER BY id", args) { row throws(SQLiteError) in
            deliveries.append(try RunStore.decodeDelivery(StoredRecord(row, RunStore.deliveryColumnIndex)))
        }
        return deliveries
    }

    static let deliveryColumns = """
        id, delivery_id, run_id, event, url, secret_env, payload, status, attempts, next_attempt_at, last_status_code,
            last_error, created_at, delivered_at
        """
    static let deliveryColumnIndex = StoredRecord.index(of: deliveryColumns)

    static func decodeDelivery(_ r: StoredRecord) throws(SQLiteError) -> WebhookDelivery {
        let id = try r.int("id")
        func corrupt(_ column: String, _ what: String) -> SQLiteError {
            .corruptRecord(table: "ingest_webhook_deliveries", id: id, column: column, what)
        }
        let eventText = try r.text("event")
        guard let event = WebhookEvent(rawValue: eventText) else { throw corrupt("event", "unknown event '\(eventText)'") }
        let statusText = try r.text("status")
        guard let status = WebhookDelivery.Status(rawValue: statusText) else { throw corrupt("status", "unknown status '\(statusText)'") }
        return WebhookDelivery(
            id: id, deliveryID: try r.text("delivery_id"), runID: try r.int("run_id"), event: event, url: try r.text("url"),
            secretEnv: try r.text("secret_env"), payload: try r.text("payload"), status: status, attempts: Int(try r.int("attempts")),
            nextAttemptAt: r.optionalText("next_attempt_at"), lastStatusCode: r.optionalInt("last_status_code").map(Int.init),
            lastError: r.optionalText("last_error"), createdAt: try r.text("created_at"), deliveredAt: r.optionalText("delivered_at"))
    }
}
