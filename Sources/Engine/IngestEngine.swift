import Definitions
import Foundation
import Rules
import SQLite
import Synchronization
import Tabular

/// The engine's front door, shared by the CLI and the API: importers, runs, retries, cancellation.
///
/// Thread-safe. Every call opens what it needs on the calling thread (SQLite connections are per
/// thread), so request threads and workers can use one engine at once.
package final class IngestEngine: Sendable {
    package let configuration: EngineConfiguration
    package let registry: DefinitionRegistry
    /// In-process cancellation flags of running runs (the database flag covers other processes).
    let flags = Mutex<[Int64: CancellationFlag]>([:])
    /// Definitions by content hash, so a run uses the version it was created with.
    let versions = Mutex<[String: ImporterDefinition]>([:])
    /// Compiled definitions by slug and content hash (``compiledImporter(slug:hash:definition:)``).
    let compiled = Mutex<[String: CompiledImporter]>([:])
    /// The connection opened (and migrated) at init, kept open for the engine's life and never
    /// used: while it is open, no other connection of this process closes as the database's last
    /// one, so closing one never runs SQLite's checkpoint-on-close (two `fdatasync`s each; a
    /// 1-row CLI import opens several connections).
    private let keeper: Mutex<RunStore?>
    /// Who owns which run (one owner per run; recovery only of runs whose owner is gone).
    let ownership: any RunOwnership
    /// Runs this process created already claimed (``EngineConfiguration/claimsOnCreate``), until it executes them.
    let heldClaims = Mutex<[Int64: RunClaim]>([:])

    /// Opens the database (migrating it) and loads the importers.
    package init(configuration: EngineConfiguration) throws {
        self.configuration = configuration
        keeper = Mutex(try RunStore(location: configuration.database))
        registry = DefinitionRegistry(directory: configuration.importersDirectory)
        switch configuration.database {
        case .sqlite: ownership = LocalRunOwnership(databasePath: configuration.databasePath)
        case .postgres: ownership = LeaseRunOwnership(location: configuration.database, lease: configuration.leaseDuration)
        }
    }

    /// Whether workers claim the next pending run with `FOR UPDATE SKIP LOCKED` (PostgreSQL,
    /// shared by several nodes) rather than by id after a scan.
    package var claimsWithSkipLocked: Bool { configuration.database.sqlitePath == nil }

    /// A store on a new connection for the calling thread.
    package func openStore() throws(EngineError) -> RunStore {
        do {
            let store = try RunStore(location: configuration.database, busyTimeout: configuration.busyTimeoutMs)
            store.leaseMilliseconds = Int64(max(1, ThreadClock.milliseconds(configuration.leaseDuration)))
            if store.db.dialect == .postgres {
                // A node frozen inside a transaction (its locks held) loses its session after two
                // leases, so its locks never stop the nodes that take its runs over.
                try store.db.execute("SET idle_in_transaction_session_timeout = \(2 * store.leaseMilliseconds)")
            }
            return store
        } catch { throw .database(error) }
    }

    /// The loaded importer `slug`, compiled.
    package func importer(_ slug: String) throws(EngineError) -> (compiled: CompiledImporter, loaded: LoadedDefinition) {
        guard let loaded = registry.loaded(slug: slug) else { throw .importerNotFound(slug: slug) }
        guard let definition = loaded.definition else {
            throw .importerBroken(slug: slug, problems: loaded.problems.map(\.description))
        }
        do {
            let compiled = try compiledImporter(slug: slug, hash: loaded.contentHash, definition: definition)
            versions.withLock { $0[loaded.contentHash] = definition }
            return (compiled, loaded)
        } catch {
            throw .importerBroken(slug: slug, problems: [String(describing: error)])
        }
    }

    /// `definition` (version `hash` of importer `slug`) compiled, once per engine: a foreground
    /// run asks for it when it is created and again when it starts.
    func compiledImporter(slug: String, hash: String, definition: ImporterDefinition) throws(CompileError) -> CompiledImporter {
        let key = slug + "\u{0}" + hash
        if let kept = compiled.withLock({ $0[key] }) { return kept }
        let made = try CompiledImporter(definition: definition)
        compiled.withLock { $0[key] = made }
        return made
    }

    /// Checks a file against the importer (content, formats and, for CSV and TSV, that its
    /// header matches a column) before a run is created; returns the detected format.
    package func checkFormat(slug: String, path: String, fileName: String?) throws(EngineError) -> String {
        try checkFormat(slug: slug, fileName: fileName, detect: { () throws(TabularError) in
            try TableReaders.detect(path: path, fileName: fileName)
        }, header: { (options: ReadOptions) throws(TabularError) -> [String]? in
            try TableReaders.open(path: path, fileName: fileName, options: options).readHeader()
        })
    }

    /// Records a `pending` run of `slug` over the local file `path`. With `ownsFile` (an upload)
    /// the file becomes the engine's: it is deleted once no run needs it (never by path).
    package func createRun(slug: String, path: String?, originalFilename: String?, dryRun: Bool, userID: Int64?,
                          ownsFile: Bool = false) throws(EngineError) -> Int64 {
        let (_, loaded) = try importer(slug)
        if let path { _ = try checkFormat(slug: slug, path: path, fileName: originalFilename ?? path) }
        let store = try openStore()
        // Stored absolute, so apply and resume find the file from any working directory.
        let stored = path.map(LocalRunOwnership.realPath)
        var run = RunStore.NewRun(importer: slug, userID: userID, originalFilename: originalFilename,
                                  sourcePath: stored, definitionHash: loaded.contentHash, dryRun: dryRun)
        run.ownsFile = ownsFile && path != nil
        return try record(run, store: store, duplicate: "")
    }

    /// Records a new run. With ``EngineConfiguration/claimsOnCreate`` (the CLI, which runs it at
    /// once in the foreground) it is created already claimed by this process, in the same
    /// transaction that takes its ownership lock, so no server worker sharing the database can
    /// take it first. A unique-index violation (a second active retry, apply or resume) becomes
    /// `.conflict(duplicate)`.
    func record(_ run: RunStore.NewRun, store: RunStore, continuing from: Int64? = nil, duplicate: String) throws(EngineError) -> Int64 {
        var claim: RunClaim?
        let ownership = self.ownership
        let claims = configuration.claimsOnCreate
        do throws(SQLiteError) {
            let id = try store.insert(run, claimedBy: claims ? ownership.owner : nil, takingFileFrom: from) {
                (id: Int64) throws(SQLiteError) in
                guard claims else { return }
                do throws(EngineError) { claim = try ownership.acquire(id) } catch {
                    throw SQLiteError(extendedCode: 14, message: error.description)
                }
                guard claim != nil else { throw SQLiteError(extendedCode: 5, message: "the new run's lock is held by another process") }
                // Created processing: this is its start, queued with it.
                try store.enqueueWebhooks(.started, runID: id, hooks: webhooks(importer: run.importer, definitionHash: run.definitionHash))
            }
            if let claim { heldClaims.withLock { $0[id] = claim } }
            return id
        } catch {
            claim?.release()
            if error.isConstraintViolation, !duplicate.isEmpty { throw .conflict(duplicate) }
            throw .database(error)
        }
    }

    /// A file whose existence asks run `id` to stop. Creating it needs no database lock, so a
    /// cancel from another process gets through even while the run holds the write lock for a
    /// long transaction (`transaction: all`, dry runs) or retakes it after every chunk.
    func cancelSignalPath(_ id: Int64) -> String {
        LocalRunOwnership.realPath(configuration.databasePath) + "-cancel/\(id)"
    }

    /// Asks a run to stop: at once when pending, between chunks when processing (in this process
    /// through a flag; in others through a signal file and the database flag, or on PostgreSQL
    /// through the database flag alone, which every node's owner reads).
    package func requestCancellation(of id: Int64) throws(EngineError) -> RunStore.CancelResult {
        if let flag = flags.withLock({ $0[id] }) {
            flag.raise()
            return .requested
        }
        let store = try openStore()
        do {
            guard let run = try store.run(id) else { return .notFound }
            if run.status.isFinished { return .alreadyFinished(run.status) }
            if claimsWithSkipLocked {
                // PostgreSQL: the flag is written whatever runs; the owner, on whichever node,
                // reads it after every chunk and from its lease heartbeat.
                let result = try store.requestCancellation(of: id, webhooks: webhooks(of: run))
                try disposeIfCancelledBeforeStart(id, store: store)
                return result
            }
            try? FileManager.default.createDirectory(atPath: (cancelSignalPath(id) as NSString).deletingLastPathComponent,
                                                     withIntermediateDirectories: true)
            let signalled = FileManager.default.createFile(atPath: cancelSignalPath(id), contents: Data())
            let result: RunStore.CancelResult
            do {
                // A short wait: a running writer may hold the lock, and the signal file already reaches it.
                let quick = try RunStore(location: configuration.database, busyTimeout: signalled ? 1_000 : 10_000)
                result = try quick.requestCancellation(of: id, webhooks: webhooks(of: run))
            } catch where error.isBusy && signalled {
                return .requested
            }
            try disposeIfCancelledBeforeStart(id, store: store)
            return result
        } catch { throw .database(error) }
    }

    /// A run cancelled before it started is never executed: its cancel signal and its upload go now.
    private func disposeIfCancelledBeforeStart(_ id: Int64, store: RunStore) throws(SQLiteError) {
        guard let ended = try store.run(id), ended.status == .cancelled, ended.startedAt == nil else { return }
        try? FileManager.default.removeItem(atPath: cancelSignalPath(id))
        disposeOwnedFile(of: ended, store: store)
    }

    /// Raises the cancellation flag of every run executing in this process (server shutdown).
    package func cancelAllRunningHere() {
        for flag in flags.withLock({ Array($0.values) }) { flag.raise() }
    }

    /// Whether this process is running `id` right now.
    package func isRunningHere(_ id: Int64) -> Bool { flags.withLock { $0[id] != nil } }
}
