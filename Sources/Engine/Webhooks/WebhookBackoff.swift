/// When a failed delivery is tried again: 10 s, 30 s, 2 min, 10 min, 1 h, 3 h and 6 h after the
/// 1st to 7th failed attempts; the 8th failure gives up (`failed`), about 10 hours after the
/// event. Documented in docs/WEBHOOKS.md.
package enum WebhookBackoff {
    /// The waits after each failed attempt, in order.
    package static let delays: [Duration] = [
        .seconds(10), .seconds(30), .seconds(120), .seconds(600), .seconds(3600), .seconds(3 * 3600), .seconds(6 * 3600),
    ]
    /// Attempts before a delivery is `failed`: 8.
    package static var maxAttempts: Int { delays.count + 1 }

    /// The wait after failed attempt number `attempt` (1-based), or nil when it was the last.
    package static func delay(afterAttempt attempt: Int) -> Duration? {
        guard attempt >= 1, attempt <= delays.count else { return nil }
        return delays[attempt - 1]
    }
}
