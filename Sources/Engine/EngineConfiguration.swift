/// Where the engine keeps things.
public struct EngineConfiguration: Sendable {
    /// The SQLite file for targets and bookkeeping (default `ingest.sqlite`).
    public var databasePath: String
    /// The folder of importer definitions (default `importers`).
    public var importersDirectory: String
    /// Where uploads and downloads wait for their run; files are removed when the run ends.
    public var uploadsDirectory: String
    /// Root for `filesystem` sources; paths may not escape it.
    public var dataRoot: String
    /// Hosts a `url` source may reach; empty means any public host.
    public var allowedURLHosts: [String]
    /// Allow `url` sources on loopback/private/link-local addresses (tests, trusted networks).
    public var allowPrivateURLs: Bool
    /// Default upload cap in bytes when an importer sets no `max_size_mb`.
    public var maxUploadBytes: Int64
    /// How long a run's final status write is retried (with backoff) before the run is released
    /// to recovery: 60 seconds.
    public var finalWriteBudget: Duration = .seconds(60)
    /// How long a connection waits for another one's write lock before giving up: 10,000 ms.
    public var busyTimeoutMs: Int32 = 10_000
    /// Runs are created already claimed by this process, which executes them at once (the CLI's
    /// foreground runs); off for the server, whose workers claim pending runs.
    public var claimsOnCreate = false

    public init(databasePath: String = "ingest.sqlite", importersDirectory: String = "importers",
                uploadsDirectory: String? = nil, dataRoot: String = ".", allowedURLHosts: [String] = [],
                allowPrivateURLs: Bool = false, maxUploadBytes: Int64 = 1 << 30) {
        self.databasePath = databasePath
        self.importersDirectory = importersDirectory
        self.uploadsDirectory = uploadsDirectory ?? (databasePath + "-uploads")
        self.dataRoot = dataRoot
        self.allowedURLHosts = allowedURLHosts
        self.allowPrivateURLs = allowPrivateURLs
        self.maxUploadBytes = maxUploadBytes
    }
}
