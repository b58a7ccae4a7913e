/// One event of a `text/event-stream` response (the HTML Living Standard, "Server-sent events").
package struct ServerSentEvent: Sendable, Equatable {
    /// The `id:` field: what the client sends back as `Last-Event-ID` when it reconnects.
    package var id: String?
    /// The `event:` field: the event's name (`message` when absent).
    package var event: String?
    /// The `data:` field; a line break in it becomes another `data:` line.
    package var data: String

    /// Creates an event.
    package init(id: String? = nil, event: String? = nil, data: String) {
        self.id = id
        self.event = event
        self.data = data
    }

    /// The event as sent: `id: …`, `event: …`, one `data: …` line per line of ``data``, then a
    /// blank line. Line breaks in `id` and `event` are removed (they would end the field).
    package var encoded: [UInt8] {
        var text = ""
        if let id { text += "id: " + ServerSentEvent.singleLine(id) + "\n" }
        if let event { text += "event: " + ServerSentEvent.singleLine(event) + "\n" }
        for line in data.split(separator: "\n", omittingEmptySubsequences: false) {
            text += "data: " + line.replacing("\r", with: "") + "\n"
        }
        return Array((text + "\n").utf8)
    }

    /// A comment line (ignored by clients), used as a heartbeat so proxies keep the stream open.
    package static func comment(_ text: String) -> [UInt8] {
        Array((": " + singleLine(text) + "\n\n").utf8)
    }

    private static func singleLine(_ text: String) -> String {
        String(text.filter { $0 != "\n" && $0 != "\r" })
    }
}

/// What an event stream's producer has to send at one moment.
package struct EventStreamBatch: Sendable {
    /// The events to send now, in order.
    package var events: [ServerSentEvent]
    /// Whether the stream ends after these events (the server then closes the connection).
    package var isFinal: Bool

    /// Creates a batch.
    package init(events: [ServerSentEvent] = [], isFinal: Bool = false) {
        self.events = events
        self.isFinal = isFinal
    }
}

/// The source of a long-lived `text/event-stream` response (``HTTPResponseBody/eventStream(_:)``).
///
/// The server hands the connection to its one event-stream thread (``EventStreamHub``), which
/// asks every producer for its events as soon as the stream opens and then once per tick
/// (``HTTPServerConfiguration/eventStreamTick``); heartbeats and a client that goes away are the
/// hub's business. A producer is called only from that thread once the stream has opened.
package protocol EventStreamProducer: AnyObject {
    /// The events to send now; `now` is the tick's time. Throwing ends the stream (and is logged).
    func nextEvents(now: ContinuousClock.Instant) throws -> EventStreamBatch
}
