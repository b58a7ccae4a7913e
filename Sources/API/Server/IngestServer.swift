import Engine
import Foundation
import HTTP
import IngestSupport
import Synchronization

/// The API server as a whole: engine, run workers, definition watcher and HTTP listener.
///
/// `ingest serve` and the API tests start exactly this, so the tests exercise what ships.
/// Start order: workers first (recovering runs a crash left `processing`), then the webhook
/// deliverer, then the watcher, then the listener. Stop order: stop accepting and drain in-flight
/// requests, then cancel the runs in progress (they end `cancelled`) and stop the workers, then
/// the deliverer (an attempt in flight ends within its timeout), then the watcher.
package final class IngestServer: Sendable {
    /// What ``start()`` did before accepting connections.
    package struct Startup: Sendable {
        /// The bound port (the ephemeral one when configured with port 0).
        package var port: Int
        /// Runs left `processing` by a previous process, now marked failed ("interrupted").
        package var interruptedRunIDs: [Int64]
        /// What retention pruned at start, when ``IngestServerConfiguration/retention`` is set.
        package var retention: IngestEngine.PruneReport?
    }

    /// The configuration the server was created with.
    package let configuration: IngestServerConfiguration
    /// The engine shared by the API and the workers.
    package let engine: IngestEngine
    /// The API (router, OpenAPI document).
    package let api: IngestAPI
    private let workers: RunWorkerPool
    /// Sends the queued webhook deliveries (its own thread).
    package let webhooks: WebhookDeliverer
    private let http: HTTPServer
    private let logger: HTTPServer.Logger
    private let stopped = Mutex(false)
    /// Signalled when the server stops, so the retention timer ends at once.
    private let retentionStop = DispatchSemaphore(value: 0)

    /// Opens (and migrates) the database and loads the importers; binds nothing yet.
    /// - Parameter logger: receives the access log and error notes (default: standard error).
    package init(configuration: IngestServerConfiguration, logger: @escaping HTTPServer.Logger = HTTPServer.standardErrorLogger) throws {
        self.configuration = configuration
        self.logger = logger
        let engine = try IngestEngine(configuration: configuration.engine)
        try IngestServer.checkFolders(configuration.engine)
        // With leases (PostgreSQL), recovery looks twice per lease, so a stopped node's runs wait at most 1.5 leases.
        let recovery: Duration = engine.claimsWithSkipLocked ? configuration.engine.leaseDuration / 2 : .seconds(30)
        let workers = RunWorkerPool(engine: engine, workers: configuration.workers, pollInterval: configuration.workerPollInterval,
                                    recoveryInterval: recovery, log: { logger("worker: " + $0) })
        let api = IngestAPI(engine: engine, configuration: configuration.api, notifyWorkers: { workers.notify() }, logger: logger)
        self.engine = engine
        self.workers = workers
        webhooks = WebhookDeliverer(engine: engine, clock: configuration.webhookClock, log: { logger("webhooks: " + $0) })
        self.api = api
        self.http = HTTPServer(configuration: configuration.http, router: api.makeRouter(), logger: logger)
    }

    /// The bound port, or 0 before ``start()``.
    package var port: Int { http.port }

    /// Event streams open now, for tests.
    package var openEventStreams: Int { http.openEventStreams }

    /// Starts the workers, the definition watcher and the listener.
    package func start() throws -> Startup {
        // Interrupted runs keep their files: they can be resumed.
        let interrupted = try workers.start()
        // Pending deliveries, left by an earlier process too, are sent from now on.
        webhooks.start()
        let logger = self.logger
        engine.registry.startWatching(interval: configuration.definitionWatchInterval) { slugs in
            logger("importers reloaded: \(slugs.joined(separator: ", "))")
        }
        do {
            let retention = try applyRetention()
            let port = try http.start()
            startRetentionTimer()
            return Startup(port: port, interruptedRunIDs: interrupted, retention: retention)
        } catch {
            stopBackground()
            throw error
        }
    }

    /// Prunes the finished runs older than ``IngestServerConfiguration/retention`` now (nil when
    /// retention is off). The server calls it at start and every
    /// ``IngestServerConfiguration/retentionInterval``.
    @discardableResult
    package func applyRetention() throws -> IngestEngine.PruneReport? {
        guard let age = configuration.retention else { return nil }
        return try engine.prune(olderThan: age, dryRun: false)
    }

    /// A thread that applies retention every interval until the server stops; failures are logged
    /// and retried at the next interval.
    private func startRetentionTimer() {
        guard configuration.retention != nil else { return }
        let interval = configuration.retentionInterval
        Thread.detachNewThread { [self] in
            while retentionStop.wait(timeout: .now() + interval.seconds) == .timedOut {
                do {
                    if let report = try applyRetention() {
                        logger("retention: pruned \(report.runs) run(s), \(report.rows) logged row(s), \(report.files) kept file(s)")
                    }
                } catch {
                    logger("error retention: \(String(describing: error))")
                }
            }
        }
    }

    /// Serves until SIGINT or SIGTERM, then shuts down gracefully and returns.
    /// - Parameter onSignal: called when the signal arrives, before the listener stops.
    package func runUntilSignalled(onSignal: (@Sendable (Int32) -> Void)? = nil) throws {
        try http.runUntilSignalled(onSignal: onSignal)
        stopBackground()
    }

    /// Stops accepting, lets in-flight requests finish, then stops runs, workers and watcher.
    /// Blocks until done; safe to call more than once.
    package func stop() {
        http.stop()
        stopBackground()
    }

    /// Refuses an uploads folder that is the data root or holds it: uploads are deleted when
    /// their runs end, and feeds must never be. (The default layout keeps the uploads folder
    /// inside the data root, `.`: a `filesystem` source may not read from it, see
    /// `IngestEngine.resolveDataPath`.)
    static func checkFolders(_ configuration: EngineConfiguration) throws {
        let root = (configuration.dataRoot as NSString).standardizingPath
        let uploads = (configuration.uploadsDirectory as NSString).standardizingPath
        let absoluteRoot = root.hasPrefix("/") ? root : FileManager.default.currentDirectoryPath + "/" + root
        let absoluteUploads = uploads.hasPrefix("/") ? uploads : FileManager.default.currentDirectoryPath + "/" + uploads
        let r = (absoluteRoot as NSString).standardizingPath, u = (absoluteUploads as NSString).standardizingPath
        if r == u || (r + "/").hasPrefix(u + "/") {
            throw EngineError.invalidRequest("The uploads folder (--uploads) may not be the data root (--data-root) or contain it: "
                + "uploads are deleted when their runs end.")
        }
    }

    private func stopBackground() {
        let first = stopped.withLock { stopped -> Bool in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        retentionStop.signal()
        workers.stop(timeout: configuration.workerStopTimeout)
        // Final events of the runs just cancelled are queued; what is not sent now stays queued.
        webhooks.stop(timeout: engine.configuration.webhookTimeout + .seconds(1))
        engine.registry.stopWatching()
    }
}
