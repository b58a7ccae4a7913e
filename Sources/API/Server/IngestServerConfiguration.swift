import Engine
import HTTP

/// Everything `ingest serve` sets up: the engine, the HTTP listener, the API and the workers.
package struct IngestServerConfiguration: Sendable {
    /// Database, importers, uploads folder, data root, URL policy, default upload limit.
    package var engine: EngineConfiguration
    /// Host, port, connection and body limits, timeouts.
    package var http: HTTPServerConfiguration
    /// Prefix and paging.
    package var api: APIConfiguration
    /// Worker threads executing runs. Default 2 (one per core on the reference machine; each
    /// run also uses a parse thread).
    package var workers: Int
    /// How often idle workers look for runs created by other processes (`ingest` CLI). Default 1 s.
    package var workerPollInterval: Duration
    /// How often the importers folder is checked for edits. Default 250 ms, so an edit is live
    /// within a second.
    package var definitionWatchInterval: Duration
    /// How long shutdown waits for running runs to stop after being cancelled. Default 30 s.
    package var workerStopTimeout: Duration
    /// The clock webhook deliveries are scheduled by (tests move it forward). Default: the system clock.
    package var webhookClock = WebhookClock()
    /// Finished runs older than this are pruned (``IngestEngine/prune(olderThan:dryRun:now:)``)
    /// when the server starts and then every ``retentionInterval``; `nil` (the default) keeps
    /// every run.
    package var retention: Duration?
    /// How often retention is applied while serving. Default 24 h; tests call
    /// ``IngestServer/applyRetention()`` instead of waiting.
    package var retentionInterval: Duration = .seconds(86_400)

    /// Creates a configuration; every parameter has the default documented on its property.
    package init(
        engine: EngineConfiguration, http: HTTPServerConfiguration = HTTPServerConfiguration(),
        api: APIConfiguration = APIConfiguration(), workers: Int = 2, workerPollInterval: Duration = .seconds(1),
        definitionWatchInterval: Duration = .milliseconds(250), workerStopTimeout: Duration = .seconds(30)
    ) {
        self.engine = engine
        self.http = http
        self.api = api
        self.workers = max(1, workers)
        self.workerPollInterval = workerPollInterval
        self.definitionWatchInterval = definitionWatchInterval
        self.workerStopTimeout = workerStopTimeout
    }
}
