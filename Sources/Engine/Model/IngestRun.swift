/// One run as recorded in `ingest_runs`.
public struct IngestRun: Sendable, Equatable {
    public var id: Int64
    public var importer: String
    public var status: RunStatus
    public var userID: Int64?
    public var originalFilename: String?
    /// The local file read (temp upload, data-root path); nil for retries.
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
}
