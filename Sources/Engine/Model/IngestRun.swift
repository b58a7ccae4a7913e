/// One run as recorded in `ingest_runs`.
package struct IngestRun: Sendable, Equatable {
    package var id: Int64
    package var importer: String
    package var status: RunStatus
    package var userID: Int64?
    package var originalFilename: String?
    /// The local file read (upload, data-root path, downloaded URL); nil for retries.
    package var sourcePath: String?
    /// A `url` source still to download (the worker downloads it when the run starts).
    package var sourceURL: String?
    /// SHA-256 of the definition file the run used.
    package var definitionHash: String?
    package var dryRun: Bool
    package var parentID: Int64?
    package var retriedFromRunID: Int64?
    package var counts: RunCounts
    package var bytesRead: Int64
    package var bytesTotal: Int64?
    /// The final summary as stored (`ingest_runs.summary`), checked to be a JSON object; API
    /// responses copy these bytes. ``summary`` is the decoded form.
    package var storedSummary: RawJSON?
    /// Why a run ended `failed` (or `cancelled`).
    package var failureReason: String?
    package var cancelRequested: Bool
    package var createdAt: String
    package var startedAt: String?
    package var completedAt: String?
    /// Who executes (or executed) the run: set when it is claimed.
    package var owner: RunOwner?
    /// When the owner last showed it was alive (every committed chunk).
    package var heartbeatAt: String?
    /// A file the engine created for this run (an upload or a download) and deletes when no run needs it any more.
    package var ownedFile: String?
    /// The identity of the source file when the run started (device, inode, size, change times).
    package var sourceFingerprint: String?
    /// Source rows whose outcome is committed, in file order: where a resume continues.
    package var resumePosition: Int
    /// Valid rows that were written and then rolled back (dry runs, `transaction: all` or `chunk` failures).
    package var rolledBackRows: Int
    /// Whether `resume` may continue the run (cancelled, or interrupted / stopped by the database).
    package var resumable: Bool
    package var resumedFromRunID: Int64?
    package var appliedFromRunID: Int64?
    /// Whether the run read its source to the end (false after an error budget stop, a read
    /// failure, a cancel or an interruption): then its failed rows are not all the rows missing.
    package var readToEnd: Bool
}

/// The process that executes a run: on one machine, the kernel proves it alive through a lock.
package struct RunOwner: Sendable, Equatable {
    package var host: String
    package var pid: Int64
    /// When the owning process started, so a reused pid is never mistaken for the owner.
    package var startedAt: String
    package init(host: String, pid: Int64, startedAt: String) {
        self.host = host; self.pid = pid; self.startedAt = startedAt
    }
}

extension IngestRun {
    /// The final summary (`errors`, `warnings`, `meta`), decoded from ``storedSummary``; nil when
    /// there is none, or when the stored JSON is not the shape Ingest writes.
    package var summary: RunSummary? {
        get { storedSummary.flatMap { RunStore.decodeSummary($0.value) } }
        set { storedSummary = newValue.map { RawJSON(encoded: RunStore.encode($0)) } }
    }
}
