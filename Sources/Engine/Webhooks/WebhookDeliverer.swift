import Definitions
import Foundation
import IngestSupport
import Outbound
import Synchronization

/// Sends queued webhook deliveries (docs/WEBHOOKS.md): claims a due one from the database, signs
/// it, POSTs it through ``OutboundHTTPClient`` under the same address policy as `url` sources,
/// and records the attempt with its outcome: delivered (2xx), tried again later
/// (``WebhookBackoff``), or given up.
///
/// `ingest serve` runs one background thread of it (``start()``); `ingest run` calls
/// ``deliverDue(runID:until:)`` for its own run before it exits. Deliveries are claimed with a
/// lease in one transaction, so any number of processes may deliver from one database.
package final class WebhookDeliverer: Sendable {
    let engine: IngestEngine
    package let clock: WebhookClock
    /// Who holds a claim: host, process id and a per-deliverer id.
    let owner: String
    /// How often the background thread looks for due deliveries: 1 second by default.
    package let pollInterval: Duration
    private let log: @Sendable (String) -> Void
    private let wakeup = NSCondition()
    private let state = Mutex(State())
    private let finished = DispatchGroup()

    struct State {
        var stopping = false
        var started = false
    }

    package init(engine: IngestEngine, clock: WebhookClock = WebhookClock(), pollInterval: Duration = .seconds(1),
                 log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.engine = engine
        self.clock = clock
        self.pollInterval = pollInterval
        self.log = log
        owner = "\(ProcessInfo.processInfo.hostName):\(getpid()):\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// How long a claim lasts: the attempt's timeout and a minute more.
    var lease: Duration { engine.configuration.webhookTimeout + .seconds(60) }

    /// Claims the oldest due delivery (of `runID`, if given) and makes one attempt. Returns the
    /// attempt, or nil when nothing was due.
    @discardableResult
    package func deliverNext(runID: Int64? = nil) throws(EngineError) -> WebhookDelivery.Attempt? {
        let store = try engine.openStore()
        let now = clock.now()
        let claimed: WebhookDelivery?
        do {
            claimed = try store.claimDueWebhook(now: Timestamp.format(now), owner: owner,
                                                leaseUntil: Timestamp.format(now.addingTimeInterval(lease.seconds)), runID: runID)
        } catch { throw .database(error) }
        guard let delivery = claimed else { return nil }
        let (attempt, outcome) = send(delivery)
        do { try store.recordWebhookAttempt(delivery, attempt, outcome: outcome, owner: owner) } catch { throw .database(error) }
        if let error = attempt.error {
            log("webhook \(delivery.deliveryID) (\(delivery.event.rawValue) of run \(delivery.runID)) to \(delivery.redactedURL), "
                + "attempt \(attempt.attempt): \(error)")
        }
        return attempt
    }

    /// Attempts every delivery of `runID` that is due, one attempt each, until none is left or
    /// `deadline` passes (`ingest run` before it exits). Returns how many are still open
    /// (pending or being sent): a server delivers those.
    package func deliverDue(runID: Int64, until deadline: ContinuousClock.Instant) throws(EngineError) -> Int {
        var tried = 0
        while ContinuousClock.now < deadline, tried < 1000, try deliverNext(runID: runID) != nil { tried += 1 }
        let store = try engine.openStore()
        do { return try store.openWebhookCount(of: runID) } catch { throw .database(error) }
    }

    /// One signed POST and what it came to. A missing secret is a failed attempt: nothing is
    /// ever sent unsigned.
    func send(_ delivery: WebhookDelivery) -> (WebhookDelivery.Attempt, RunStore.WebhookOutcome) {
        let startedAt = clock.now()
        let started = ContinuousClock.now
        var statusCode: Int?
        var failure: String?
        if let secret = engine.configuration.secrets(delivery.secretEnv), !secret.isEmpty {
            let timestamp = Int64(startedAt.timeIntervalSince1970.rounded(.down))
            let signature = WebhookSignature.header(secret: secret, timestamp: timestamp, body: delivery.payload)
            let headers = WebhookSignature.headers(event: delivery.event, deliveryID: delivery.deliveryID, timestamp: timestamp,
                                                   signature: signature)
            do throws(OutboundError) {
                let status = try client.post(delivery.url, body: delivery.payload, headers: headers, timeout: engine.configuration.webhookTimeout)
                statusCode = status
                if !(200..<300).contains(status) {
                    failure = "The receiver answered HTTP \(status)" + ((300..<400).contains(status) ? "; deliveries do not follow redirects." : ".")
                }
            } catch {
                failure = Self.describe(error)
            }
        } else {
            failure = "The environment variable \(delivery.secretEnv) is not set (or is empty) in this process, so the delivery was not sent "
                + "(deliveries are never sent unsigned)."
        }
        let attempt = delivery.attempts
        var outcome = RunStore.WebhookOutcome.delivered
        var next: String?
        if failure != nil {
            if let delay = WebhookBackoff.delay(afterAttempt: attempt) {
                next = Timestamp.format(clock.now().addingTimeInterval(delay.seconds))
                outcome = .retry(at: next ?? "")
            } else {
                outcome = .failed
            }
        }
        let record = WebhookDelivery.Attempt(attempt: attempt, startedAt: Timestamp.format(startedAt),
                                             durationMs: (ContinuousClock.now - started).wholeMilliseconds,
                                             statusCode: statusCode, error: failure, nextAttemptAt: next)
        return (record, outcome)
    }

    /// The same policy as `url` sources: the allow-list and, unless allowed, no internal address.
    var client: OutboundHTTPClient {
        let configuration = engine.configuration
        return OutboundHTTPClient(policy: AddressPolicy(allowedHosts: configuration.allowedURLHosts,
                                                        allowInternal: configuration.allowPrivateURLs), maxRedirects: 0)
    }

    static func describe(_ error: OutboundError) -> String {
        switch error {
        case .timedOut: return "The receiver did not answer in time."
        default: return error.description
        }
    }

    // MARK: the background thread of `ingest serve`

    /// Starts the thread that sends due deliveries; pending ones left by an earlier process are
    /// among them.
    package func start() {
        let first = state.withLock { s -> Bool in
            defer { s.started = true }
            return !s.started
        }
        guard first else { return }
        finished.enter()
        let thread = Thread { [self] in
            self.work()
            self.finished.leave()
        }
        thread.name = "ingest-webhooks"
        thread.start()
    }

    /// Wakes the thread: something may be due.
    package func notify() {
        wakeup.lock()
        wakeup.broadcast()
        wakeup.unlock()
    }

    /// Stops the thread and waits for it (an attempt in flight ends within its timeout).
    package func stop(timeout: Duration) {
        state.withLock { $0.stopping = true }
        notify()
        _ = finished.wait(timeout: .now() + timeout.seconds)
    }

    private var isStopping: Bool { state.withLock { $0.stopping } }

    private func work() {
        while !isStopping {
            do {
                while !isStopping, try deliverNext() != nil {}
            } catch {
                log("webhooks: \(error.description)")
            }
            wakeup.lock()
            if !isStopping { _ = wakeup.wait(until: Date().addingTimeInterval(pollInterval.seconds)) }
            wakeup.unlock()
        }
    }
}
