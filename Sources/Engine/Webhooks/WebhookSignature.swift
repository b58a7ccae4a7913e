import Definitions

/// The signature of a delivery: `X-Ingest-Signature: sha256=<hex>`, the HMAC-SHA256 under the
/// webhook's secret of `<timestamp>.<body>`, where `<timestamp>` is the `X-Ingest-Timestamp`
/// header (unix seconds). Signing the timestamp with the body lets a receiver reject replays:
/// it refuses a timestamp older than five minutes (docs/WEBHOOKS.md).
package enum WebhookSignature {
    /// `sha256=<64 hex digits>`.
    package static func header(secret: String, timestamp: Int64, body: String) -> String {
        "sha256=" + HMACSHA256.hexCode(key: Array(secret.utf8), message: Array("\(timestamp).\(body)".utf8))
    }

    /// The headers of one attempt, in the order they are sent.
    package static func headers(event: WebhookEvent, deliveryID: String, timestamp: Int64, signature: String) -> [(name: String, value: String)] {
        [
            ("Content-Type", "application/json"),
            ("User-Agent", "Ingest/\(ComponentVersions.ingest)"),
            ("X-Ingest-Event", event.rawValue),
            ("X-Ingest-Delivery", deliveryID),
            ("X-Ingest-Timestamp", String(timestamp)),
            ("X-Ingest-Signature", signature),
        ]
    }
}
