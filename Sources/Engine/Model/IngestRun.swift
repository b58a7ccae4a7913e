/// One run as recorded in `ingest_runs`.
public struct IngestRun: Sendable, Equatable {
    public var id: Int64
    public var importer: String
    public var status: RunStatus
    public var userID: Int64?
    public var originalFilename: String?
    /// The local file read (upload, data-root path, downloaded URL); nil for retries.
    public var sourcePath: String?
    /// A `url` source still to download (the worker downloads it when the run starts).
    public var sourceURL: String?
    /// SHA-256 of the definition file the run used.
    public var definitionHash: String?
    public var dryRun: Bool
    public var parentID: Int64?
    public var retriedFromRunID: Int64?
    public var counts: RunCounts
    public var bytesRead: Int64
    public var bytesTotal: Int64?
    public var summary: RunSummary?
    /// Why a run ended `failed` (or `cancelled`).
    public var failureReason: String?
    public var cancelRequested: Bool
    public var createdAt: String
    public var startedAt: String?
    public var completedAt: String?
    /// Who executes (or executed) the run: set when it is claimed.
    public var owner: RunOwner?
    /// When the owner last showed it was alive (every committed chunk).
    public var heartbeatAt: String?
    /// A file the engine created for this run (an upload or a download) and deletes when no run needs it any more.
    public var ownedFile: String?
    /// The identity of the source file when the run started (device, inode, size, change times).
    public var sourceFingerprint: String?
    /// Source rows whose outcome is committed, in file order: where a resume continues.
    public var resumePosition: Int
    /// Valid rows that were written and then rolled back (dry runs, `transaction: all` or `chunk` failures).
    public var rolledBackRows: Int
    /// Whether `resume` may continue the run (cancelled, or interrupted / stopped by the database).
    public var resumable: Bool
    public var resumedFromRunID: Int64?
    public var appliedFromRunID: Int64?
    /// Whether the run read its source to the end (false after an error budget stop, a read
    /// failure, a cancel or an interruption): then its failed rows are not all the rows missing.
    public var readToEnd: Bool
}

/// The process that executes a run: on one machine, the kernel proves it alive through a lock.
public struct RunOwner: Sendable, Equatable {
    public var host: String
    public var pid: Int64
    /// When the owning process started, so a reused pid is never mistaken for the owner.
    public var startedAt: String
    public init(host: String, pid: Int64, startedAt: String) {
        self.host = host; self.pid = pid; self.startedAt = startedAt
    }
}
