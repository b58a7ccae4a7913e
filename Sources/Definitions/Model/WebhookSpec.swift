/// One webhook of an importer: where to POST which lifecycle events, signed with the secret read
/// from an environment variable (docs/WEBHOOKS.md).
package struct WebhookSpec: Sendable, Equatable {
    /// An http or https URL (checked like a `url` source's when it is delivered).
    package var url: String
    /// The events sent to it, in the order written (default: the three final events).
    package var events: [WebhookEvent]
    /// The environment variable holding the signing secret; always starts with
    /// ``SecretEnvironment/prefix``.
    package var secretEnv: String
    /// Where the webhook is in its file (`/webhooks/0`), for messages.
    package var pointer: String

    package init(url: String, events: [WebhookEvent] = WebhookEvent.finalEvents, secretEnv: String, pointer: String = "") {
        self.url = url; self.events = events; self.secretEnv = secretEnv; self.pointer = pointer
    }
}

/// The run lifecycle events a webhook can receive.
package enum WebhookEvent: String, Sendable, Equatable, CaseIterable {
    /// The run was claimed and starts reading its source.
    case started = "run.started"
    /// A chunk of rows was committed (not sent for dry runs and `transaction: all`, which commit once).
    case chunk = "run.chunk"
    /// The run ended `completed` or `completed_with_errors`.
    case completed = "run.completed"
    /// The run ended `failed` (interrupted runs included).
    case failed = "run.failed"
    /// The run ended `cancelled`.
    case cancelled = "run.cancelled"

    /// What a webhook receives when it names no `events`.
    package static let finalEvents: [WebhookEvent] = [.completed, .failed, .cancelled]
}

/// The rule for every definition key ending in `_env`: it names an environment variable, and only
/// variables with the prefix `INGEST_SECRET_` may be named, so a definition can never send
/// `INGEST_DATABASE` or another process setting anywhere.
package enum SecretEnvironment {
    /// The prefix every variable a definition names must start with.
    package static let prefix = "INGEST_SECRET_"

    /// Whether `name` is `INGEST_SECRET_` followed by one or more of `A-Z 0-9 _`.
    package static func isAllowed(_ name: String) -> Bool {
        guard name.hasPrefix(prefix), name.utf8.count > prefix.utf8.count else { return false }
        return name.utf8.allSatisfy { ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "_") }
    }
}
