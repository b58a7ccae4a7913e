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
public final class IngestEngine: Sendable {
    public let configuration: EngineConfiguration
    public let registry: DefinitionRegistry
    /// In-process cancellation flags of running runs (the database flag covers other processes).
    private let flags = Mutex<[Int64: CancellationFlag]>([:])
    /// Definitions by content hash, so a run uses the version it was created with.
    private let versions = Mutex<[String: ImporterDefinition]>([:])

    /// Opens the database (migrating it) and loads the importers.
    public init(configuration: EngineConfiguration) throws {
        self.configuration = configuration
        _ = try RunStore(path: configuration.databasePath)
        registry = DefinitionRegistry(directory: configuration.importersDirectory)
    }

    /// A store on a new connection for the calling thread.
    public func openStore() throws(EngineError) -> RunStore {
        do { return try RunStore(path: configuration.databasePath) } catch { throw .database(error) }
    }

    /// The loaded importer `slug`, compiled.
    public func importer(_ slug: String) throws(EngineError) -> (compiled: CompiledImporter, loaded: LoadedDefinition) {
        guard let loaded = registry.loaded(slug: slug) else { throw .importerNotFound(slug: slug) }
        guard let definition = loaded.definition else {
            throw .importerBroken(slug: slug, problems: loaded.problems.map(\.description))
        }
        do {
            let compiled = try CompiledImporter(definition: definition)
            versions.withLock { $0[loaded.contentHash] = definition }
            return (compiled, loaded)
        } catch {
            throw .importerBroken(slug: slug, problems: [String(describing: error)])
        }
    }

    /// Checks a file against the importer's accepted formats; returns the detected format.
    public func checkFormat(slug: String, path: String, fileName: String?) throws(EngineError) -> String {
        try checkFormat(slug: slug, fileName: fileName) { () throws(TabularError) in
            try TableReaders.detectFormat(path: path, fileName: fileName)
        }
    }

    /// Records a `pending` run of `slug` over the local file `path`.
    public func createRun(slug: String, path: String?, originalFilename: String?, dryRun: Bool, userID: Int64?) throws(EngineError) -> Int64 {
        let (_, loaded) = try importer(slug)
        if let path { _ = try checkFormat(slug: slug, path: path, fileName: originalFilename ?? path) }
        let store = try openStore()
        do {
            return try store.createRun(.init(importer: slug, userID: userID, originalFilename: originalFilename,
                                             sourcePath: path, definitionHash: loaded.contentHash, dryRun: dryRun))
        } catch { throw .database(error) }
    }

    /// Records a `pending` retry of the failed rows of run `id`, under the current definition.
    public func createRetry(of id: Int64, dryRun: Bool, userID: Int64?) throws(EngineError) -> Int64 {
        let store = try openStore()
        do {
            guard let original = try store.run(id) else { throw EngineError.runNotFound(id: id) }
            guard try store.failedRowCount(of: id) > 0 else { throw EngineError.noFailedRows(runID: id) }
            let (_, loaded) = try importer(original.importer)
            return try store.createRun(.init(importer: original.importer, userID: userID ?? original.userID,
                                             originalFilename: original.originalFilename, sourcePath: nil,
                                             definitionHash: loaded.contentHash, dryRun: dryRun,
                                             parentID: original.id, retriedFromRunID: original.id))
        } catch let e as EngineError { throw e } catch let e as SQLiteError { throw .database(e) } catch {
            throw .invalidRequest("The retry could not be created.")
        }
    }

    /// Runs the pending run `id` to its end on the calling thread (plus one parse thread).
    /// `observer` is called after every batch of rows.
    ///
    /// The run is claimed (`pending → processing`) before anything else, so when several workers
    /// race for one run exactly one executes it; the others get `.conflict` and touch nothing
    /// (no flag, no source file).
    @discardableResult
    public func execute(runID id: Int64, removeSourceWhenDone: Bool = false,
                        observer: (@Sendable (RunProgress) -> Void)? = nil) throws(EngineError) -> IngestRun {
        let store = try openStore()
        do {
            guard let run = try store.run(id) else { throw EngineError.runNotFound(id: id) }
            guard run.status == .pending else { throw EngineError.conflict("Run \(id) is \(run.status.rawValue), not pending.") }
            var hash = run.definitionHash
            var compiled: CompiledImporter?
            var failure: String?
            do {
                if let h = hash, let definition = versions.withLock({ $0[h] }) {
                    compiled = try CompiledImporter(definition: definition)
                } else {
                    let (c, loaded) = try importer(run.importer)
                    compiled = c
                    hash = loaded.contentHash
                }
            } catch let error as EngineError {
                failure = error.description
            } catch {
                failure = "The importer '\(run.importer)' does not compile: \(error)"
            }
            guard try store.claim(id, definitionHash: hash, bytesTotal: nil) else {
                throw EngineError.conflict("Run \(id) was claimed by another worker.")
            }
            // From here on the run is ours alone.
            let flag = CancellationFlag()
            flags.withLock { $0[id] = flag }
            let signalPath = cancelSignalPath(id)
            var downloaded: String?
            defer {
                flags.withLock { if $0[id] === flag { $0.removeValue(forKey: id) } }
                if removeSourceWhenDone, let path = run.sourcePath { try? FileManager.default.removeItem(atPath: path) }
                if let downloaded { try? FileManager.default.removeItem(atPath: downloaded) }
                try? FileManager.default.removeItem(atPath: signalPath)
            }
            var source = RowSource.file(path: "", fileName: nil)
            if let from = run.retriedFromRunID {
                source = .storedRows(databasePath: configuration.databasePath, runID: from)
            } else if let path = run.sourcePath {
                do { source = try rowSource(storedPath: path, fileName: run.originalFilename, sourceType: compiled?.definition.source.type) } catch {
                    failure = failure ?? error.description
                }
            } else if let address = run.sourceURL, failure == nil, let spec = compiled?.definition.source {
                // A `url` source: downloaded now, by the worker, into the uploads folder.
                do {
                    let file = try URLDownloader(configuration: configuration).download(
                        address, headers: spec.httpHeaders, timeout: spec.timeoutSeconds ?? 60,
                        maxBytes: spec.maxSizeMB.map { Int64($0) << 20 } ?? configuration.maxUploadBytes)
                    downloaded = file.path
                    _ = try checkFormat(slug: run.importer, path: file.path, fileName: file.fileName)
                    source = .file(path: file.path, fileName: file.fileName)
                } catch {
                    failure = error.description
                }
            } else {
                failure = failure ?? "Run \(id) has no source file."
            }
            let executor = RunExecutor(store: store, run: run, importer: compiled, source: source, cancellation: flag,
                                       cancelRequestedElsewhere: { FileManager.default.fileExists(atPath: signalPath) },
                                       observer: observer)
            if let failure { return try executor.fail(failure) }
            return try executor.execute()
        } catch let e as EngineError { throw e } catch let e as SQLiteError { throw .database(e) } catch {
            throw .invalidRequest("The run could not be executed.")
        }
    }

    /// A file whose existence asks run `id` to stop. Creating it needs no database lock, so a
    /// cancel from another process gets through even while the run holds the write lock for a
    /// long transaction (`transaction: all`, dry runs) or retakes it after every chunk.
    func cancelSignalPath(_ id: Int64) -> String {
        configuration.databasePath + "-cancel/\(id)"
    }

    /// Asks a run to stop: at once when pending, between chunks when processing (in this process
    /// through a flag; in others through a signal file and the database flag).
    public func requestCancellation(of id: Int64) throws(EngineError) -> RunStore.CancelResult {
        if let flag = flags.withLock({ $0[id] }) {
            flag.raise()
            return .requested
        }
        let store = try openStore()
        do {
            guard let run = try store.run(id) else { return .notFound }
            if run.status.isFinished { return .alreadyFinished(run.status) }
            try? FileManager.default.createDirectory(atPath: configuration.databasePath + "-cancel", withIntermediateDirectories: true)
            let signalled = FileManager.default.createFile(atPath: cancelSignalPath(id), contents: Data())
            do {
                // A short wait: a running writer may hold the lock, and the signal file already reaches it.
                let quick = try Connection(path: configuration.databasePath, busyTimeout: signalled ? 1_000 : 10_000)
                return try RunStore(connection: quick).requestCancellation(of: id)
            } catch where error.isBusy && signalled {
                return .requested
            }
        } catch { throw .database(error) }
    }

    /// Raises the cancellation flag of every run executing in this process (server shutdown).
    public func cancelAllRunningHere() {
        for flag in flags.withLock({ Array($0.values) }) { flag.raise() }
    }

    /// Whether this process is running `id` right now.
    public func isRunningHere(_ id: Int64) -> Bool { flags.withLock { $0[id] != nil } }
}
