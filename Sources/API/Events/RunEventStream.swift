import Engine
import HTTP

/// `GET /{ingestRun}/events`: one run's `status`, `progress` and final event.
///
/// The first event (sent as soon as the stream opens, also after a reconnect with
/// `Last-Event-ID`) is a `status` event with the run as it is; then `status` at every change of
/// status, `progress` at most every ``minimumProgressInterval`` while the counters move, and a
/// final `completed` (also for `completed_with_errors`), `failed` or `cancelled`, after which the
/// stream ends. A run that has already finished gets its final event at once. Every event's data
/// is the run object of `GET /{ingestRun}?rows=0`. Ids count up from 1, or from the
/// `Last-Event-ID` the client sent.
final class RunEventStream: EventStreamProducer {
    /// The least time between two `progress` events: 250 ms.
    static let minimumProgressInterval: Duration = .milliseconds(250)

    private let runID: Int64
    private let feed: RunEventFeed
    private var lastEventID: Int64
    private var lastSent: IngestRun?
    private var lastProgressAt: ContinuousClock.Instant?

    init(runID: Int64, feed: RunEventFeed, lastEventID: Int64) {
        self.runID = runID
        self.feed = feed
        self.lastEventID = lastEventID
    }

    func nextEvents(now: ContinuousClock.Instant) throws -> EventStreamBatch {
        // A run deleted meanwhile (pruned) ends the stream without an event.
        guard let run = try feed.run(runID, now: now) else { return EventStreamBatch(isFinal: true) }
        if run.status.isFinished {
            return EventStreamBatch(events: [event(RunEventStream.finalName(of: run.status), run)], isFinal: true)
        }
        guard let last = lastSent, last.status == run.status else {
            return EventStreamBatch(events: [event("status", run)])
        }
        guard RunEventStream.progressMoved(from: last, to: run) else { return EventStreamBatch() }
        if let sentAt = lastProgressAt, sentAt.duration(to: now) < RunEventStream.minimumProgressInterval {
            return EventStreamBatch()
        }
        lastProgressAt = now
        return EventStreamBatch(events: [event("progress", run)])
    }

    private func event(_ name: String, _ run: IngestRun) -> ServerSentEvent {
        lastEventID += 1
        lastSent = run
        return RunEventStream.event(id: lastEventID, name: name, run: run)
    }

    /// `id`, `event` and the run object of `GET /{ingestRun}?rows=0` as one line of JSON.
    static func event(id: Int64, name: String, run: IngestRun) -> ServerSentEvent {
        let data = JSONBytesWriter.bytes(run.json(rowObjects: []))
        return ServerSentEvent(id: String(id), event: name, data: String(decoding: data, as: UTF8.self))
    }

    /// `completed` for `completed` and `completed_with_errors`, else the status itself.
    static func finalName(of status: RunStatus) -> String {
        switch status {
        case .completed, .completedWithErrors: "completed"
        case .failed: "failed"
        case .cancelled: "cancelled"
        case .pending, .processing: status.rawValue
        }
    }

    /// Whether the counters or bytes moved.
    static func progressMoved(from old: IngestRun, to new: IngestRun) -> Bool {
        old.counts != new.counts || old.bytesRead != new.bytesRead || old.bytesTotal != new.bytesTotal
    }
}

/// `GET /events`: a `run` event whenever a run matching the filters is created, progresses or
/// changes status, whoever executes it. A run that matched once keeps being reported on the
/// stream after it stops matching (so a client sees it leave a `status` filter). Progress of one
/// run is reported at most every ``RunEventStream/minimumProgressInterval``, as the database is
/// compared at most once per tick. After a reconnect with `Last-Event-ID`, the live runs
/// (`pending`, `processing`) matching the filters are sent at once.
final class RunListEventStream: EventStreamProducer {
    private let feed: RunEventFeed
    private let importer: String?
    private let status: RunStatus?
    private var lastEventID: Int64
    private var cursor: Int
    /// Runs to send first (the live runs after a reconnect).
    private var initial: [IngestRun]
    private var reported: Set<Int64> = []

    /// Takes the feed's starting point now, on the request's thread, so every change committed
    /// after the response head reached the client is reported.
    init(feed: RunEventFeed, importer: String?, status: RunStatus?, lastEventID: Int64?) throws {
        self.feed = feed
        self.importer = importer
        self.status = status
        self.lastEventID = lastEventID ?? 0
        let now = ContinuousClock.now
        cursor = try feed.listCursor(now: now)
        initial = lastEventID == nil ? [] : try feed.liveRuns(now: now)
    }

    func nextEvents(now: ContinuousClock.Instant) throws -> EventStreamBatch {
        var events = initial.filter(matches).map(event)
        initial = []
        let (runs, next) = try feed.listChanges(after: cursor, now: now)
        cursor = next
        events += runs.filter { matches($0) || reported.contains($0.id) }.map(event)
        return EventStreamBatch(events: events)
    }

    private func matches(_ run: IngestRun) -> Bool {
        (importer == nil || run.importer == importer) && (status == nil || run.status == status)
    }

    private func event(_ run: IngestRun) -> ServerSentEvent {
        lastEventID += 1
        reported.insert(run.id)
        return RunEventStream.event(id: lastEventID, name: "run", run: run)
    }
}
