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
