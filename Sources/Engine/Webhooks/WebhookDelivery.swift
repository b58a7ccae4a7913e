import Definitions
import Outbound

/// One queued webhook delivery of a run's event to one URL, with its attempts
/// (`ingest_webhook_deliveries`, `ingest_webhook_attempts`). Holds no secret: only the name of
/// the variable the secret is read from when it is sent.
package struct WebhookDelivery: Sendable, Equatable {
    /// Where a delivery stands.
    package enum Status: String, Sendable, CaseIterable {
        /// Waiting for its first or next attempt (`next_attempt_at`).
        case pending
        /// Claimed by a deliverer, which holds it until `lease_until` (after that another takes it).
        case sending
        /// A 2xx answer was received.
        case delivered
        /// Every attempt failed (``WebhookBackoff/maxAttempts``).
        case failed
    }

    /// One attempt to send it.
    package struct Attempt: Sendable, Equatable {
        package var attempt: Int
        package var startedAt: String
        package var durationMs: Int64
        /// The receiver's HTTP status, nil when no answer came (refused, unreachable, timed out).
        package var statusCode: Int?
        /// Why the attempt failed; nil for a 2xx answer.
        package var error: String?
        /// When the next attempt is due; nil when this one delivered it or was the last.
        package var nextAttemptAt: String?
    }

    package var id: Int64
    /// The `X-Ingest-Delivery` header and the payload's `delivery_id`.
    package var deliveryID: String
    package var runID: Int64
    package var event: WebhookEvent
    package var url: String
    package var secretEnv: String
    /// The exact body sent on every attempt.
    package var payload: String
    package var status: Status
    package var attempts: Int
    package var nextAttemptAt: String?
    package var lastStatusCode: Int?
    package var lastError: String?
    package var createdAt: String
    package var deliveredAt: String?
    package var attemptLog: [Attempt] = []

    /// The URL without credentials, port or query (`scheme://host/path`), for logs and output.
    package var redactedURL: String { (try? OutboundURL(url))?.redacted ?? "(invalid URL)" }

    /// The delivery log entry the API and `ingest webhooks --json` show: no payload, no secret,
    /// the URL redacted.
    package var json: JSONValue {
        .object([
            ("delivery_id", .string(deliveryID)),
            ("event", .string(event.rawValue)),
            ("url", .string(redactedURL)),
            ("status", .string(status.rawValue)),
            ("attempts", .integer(Int64(attempts))),
            ("next_attempt_at", .optional(status == .pending ? nextAttemptAt : nil)),
            ("last_status_code", .optional(lastStatusCode.map(Int64.init))),
            ("last_error", .optional(lastError)),
            ("created_at", .string(createdAt)),
            ("delivered_at", .optional(deliveredAt)),
            ("attempt_log", .array(attemptLog.map(\.json))),
        ])
    }
}

extension WebhookDelivery.Attempt {
    var json: JSONValue {
        .object([
            ("attempt", .integer(Int64(attempt))),
            ("started_at", .string(startedAt)),
            ("duration_ms", .integer(durationMs)),
            ("status_code", .optional(statusCode.map(Int64.init))),
            ("error", .optional(error)),
            ("next_attempt_at", .optional(nextAttemptAt)),
        ])
    }
}
