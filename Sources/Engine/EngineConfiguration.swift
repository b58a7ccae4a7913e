import Definitions
import Foundation

/// Where the engine keeps things.
package struct EngineConfiguration: Sendable {
    /// The database for targets and bookkeeping: a SQLite file (default `ingest.sqlite`) or a
    /// PostgreSQL URL.
    package var database: DatabaseLocation
    /// The path files kept beside the database are named after (run locks, cancel signals, the
    /// default uploads folder): the SQLite file, or `ingest-postgres` (see ``DatabaseLocation/localPath``).
    package var databasePath: String { database.localPath }
    /// The folder of importer definitions (default `importers`).
    package var importersDirectory: String
    /// Where uploads and downloads wait for their run; files are removed when the run ends.
    package var uploadsDirectory: String
    /// Root for `filesystem` sources; paths may not escape it.
    package var dataRoot: String
    /// Hosts a `url` source may reach; empty means any public host.
    package var allowedURLHosts: [String]
    /// Allow `url` sources on loopback/private/link-local addresses (tests, trusted networks).
    package var allowPrivateURLs: Bool
    /// Default upload cap in bytes when an importer sets no `max_size_mb`.
    package var maxUploadBytes: Int64
    /// How long a run's final status write is retried (with backoff) before the run is released
    /// to recovery: 60 seconds.
    package var finalWriteBudget: Duration = .seconds(60)
    /// How long a connection waits for another one's write lock before giving up: 10,000 ms.
    package var busyTimeoutMs: Int32 = 10_000
    /// Runs are created already claimed by this process, which executes them at once (the CLI's
    /// foreground runs); off for the server, whose workers claim pending runs.
    package var claimsOnCreate = false
    /// Reads a webhook's signing secret by variable name; only `INGEST_SECRET_*` names are ever
    /// asked. Default: the process environment. The CLI passes its own environment.
    package var secrets: @Sendable (String) -> String? = { name in
        SecretEnvironment.isAllowed(name) ? ProcessInfo.processInfo.environment[name] : nil
    }
    /// How long a node's claim on a run lasts without renewal, on PostgreSQL (docs/RUNS.md,
    /// "Several nodes"): 30 seconds. The owner renews it every third of that; once it has passed,
    /// another node may end the run interrupted (and resume it, with ``autoResume``).
    package var leaseDuration: Duration = .seconds(30)
    /// Runs that recovery ends interrupted are resumed at once from their last committed chunk,
    /// by a new pending run any worker (of any node) takes. Off by default; `ingest serve` turns
    /// it on with PostgreSQL (`--auto-resume`).
    package var autoResume = false
    /// One webhook delivery attempt, connection to answer: 10 seconds.
    package var webhookTimeout: Duration = .seconds(10)

    package init(databasePath: String = "ingest.sqlite", importersDirectory: String = "importers",
                uploadsDirectory: String? = nil, dataRoot: String = ".", allowedURLHosts: [String] = [],
                allowPrivateURLs: Bool = false, maxUploadBytes: Int64 = 1 << 30) {
        self.database = DatabaseLocation(databasePath)
        self.importersDirectory = importersDirectory
        self.uploadsDirectory = uploadsDirectory ?? (database.localPath + "-uploads")
        self.dataRoot = dataRoot
        self.allowedURLHosts = allowedURLHosts
        self.allowPrivateURLs = allowPrivateURLs
        self.maxUploadBytes = maxUploadBytes
    }
}
