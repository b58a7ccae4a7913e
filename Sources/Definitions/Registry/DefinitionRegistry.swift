import Foundation
import Synchronization
import IngestSupport

/// Every importer definition of one directory (`importers/`), kept compiled and up to date.
///
/// The server and the CLI ask it for definitions by slug. `reloadIfChanged()` (or the polling
/// thread of `startWatching`) recompiles files whose modification time, size or inode changed,
/// adds new files and drops deleted ones. A file that breaks after having compiled keeps serving
/// its last good version, while `all()` shows the new problems: a typo in production never takes
/// an importer down. Two files declaring the same slug are both in error, and neither serves a
/// version with that slug that it did not already serve before the clash.
///
/// Thread-safe: reads take a short lock; reloads are serialised with each other and do their
/// file I/O outside the read lock.
package final class DefinitionRegistry: Sendable {
    /// What identifies a file version cheaply, without reading it.
    private struct FileSignature: Equatable {
        var modified: Date?
        var size: UInt64
        var inode: UInt64
    }

    private struct FileState {
        var signature: FileSignature
        /// The file as last read, with its own problems only.
        var fresh: LoadedDefinition
        /// The last version that compiled without problems and without a slug clash.
        var lastGood: LoadedDefinition?
    }

    private struct State {
        var directory: String?
        var files: [String: FileState] = [:]
        /// What is served, by file name.
        var published: [String: LoadedDefinition] = [:]
    }

    private struct WatchState {
        var generation = 0
        var running = false
    }

    private let state = Mutex(State())
    /// Serialises `load` and `reloadIfChanged` so two reloads never interleave.
    private let reloadLock = Mutex(())
    private let watch = Mutex(WatchState())
    /// Wakes the polling thread at once when watching stops.
    private let watchWake = NSCondition()

    /// An empty registry; call `load(directory:)`.
    package init() {}

    /// A registry loaded from `directory`.
    package convenience init(directory: String) {
        self.init()
        load(directory: directory)
    }

    // MARK: - Reading

    /// The directory being served, once `load(directory:)` ran.
    package var directory: String? {
        state.withLock { $0.directory }
    }

    /// The definition served under `slug`, if any compiled.
    package func definition(slug: String) -> ImporterDefinition? {
        loaded(slug: slug)?.definition
    }

    /// The served entry for `slug` (with its hash and current problems). Prefers the entry that
    /// serves a definition when a broken file claims the same slug.
    package func loaded(slug: String) -> LoadedDefinition? {
        let candidates = state.withLock { $0.published.values.filter { $0.slug == slug } }
        return candidates.first { $0.definition != nil } ?? candidates.min { $0.fileName < $1.fileName }
    }

    /// Every file, valid or not, ordered by slug then file name.
    package func all() -> [LoadedDefinition] {
        state.withLock { Array($0.published.values) }.sorted { ($0.slug, $0.fileName) < ($1.slug, $1.fileName) }
    }

    // MARK: - Loading

    /// Reads every `*.json` file of `directory` (not recursively; hidden files are skipped),
    /// replacing whatever was loaded before.
    /// - Returns: every file's entry, as `all()` would.
    @discardableResult
    package func load(directory: String) -> [LoadedDefinition] {
        reloadLock.withLock { _ in
            state.withLock { $0 = State(directory: directory) }
            _ = refresh(directory: directory)
        }
        return all()
    }

    /// Re-reads the files that changed since the last look, loads new ones and forgets deleted
    /// ones.
    /// - Returns: the slugs whose served entry changed (old and new slug when a slug changed),
    ///   sorted; empty when nothing changed or nothing was loaded yet.
    @discardableResult
    package func reloadIfChanged() -> [String] {
        reloadLock.withLock { _ in
            guard let directory = state.withLock({ $0.directory }) else { return [] }
            return refresh(directory: directory)
        }
    }

    /// One pass over the directory; the caller holds `reloadLock`.
    private func refresh(directory: String) -> [String] {
        let names = Self.definitionFileNames(in: directory)
        let (known, before) = state.withLock { state in
            (state.files.mapValues(\.signature), state.published)
        }
        var reloaded: [String: (FileSignature, LoadedDefinition)] = [:]
        for name in names {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let signature = Self.signature(ofFileAt: path) else { continue }
            if known[name] == signature { continue }
            let shown = Self.displayName(directory: directory, fileName: name)
            reloaded[name] = (signature, DefinitionLoader.load(path: path, displayName: shown))
        }
        let present = Set(names)
        return state.withLock { state in
            state.files = state.files.filter { present.contains($0.key) }
            for (name, (signature, loaded)) in reloaded {
                let lastGood = state.files[name]?.lastGood
                state.files[name] = FileState(signature: signature, fresh: loaded, lastGood: lastGood)
            }
            Self.publish(&state)
            var changed = Set<String>()
            for name in Set(before.keys).union(state.published.keys) where before[name] != state.published[name] {
                if let old = before[name] { changed.insert(old.slug) }
                if let new = state.published[name] { changed.insert(new.slug) }
            }
            return changed.sorted()
        }
    }

    /// Recomputes what is served from each file's fresh load and last good version.
    private static func publish(_ state: inout State) {
        // Slugs claimed by more than one file that compiles now.
        var claims: [String: [String]] = [:]
        for (name, file) in state.files where file.fresh.isValid {
            claims[file.fresh.slug, default: []].append(name)
        }
        var published: [String: LoadedDefinition] = [:]
        for name in state.files.keys.sorted() {
            guard var file = state.files[name] else { continue }
            var fresh = file.fresh
            if fresh.isValid, let owners = claims[fresh.slug], owners.count > 1 {
                let others = owners.filter { $0 != name }.sorted().compactMap { state.files[$0]?.fresh.fileName }
                fresh.problems.append(DefinitionProblem(
                    file: fresh.fileName, pointer: "",
                    message: "duplicate slug '\(fresh.slug)': also used by \(others.joined(separator: ", "))"
                ))
            }
            if fresh.problems.isEmpty {
                file.lastGood = fresh
                published[name] = fresh
            } else if let good = file.lastGood {
                var served = good
                served.problems = fresh.problems
                served.fileContentHash = fresh.fileContentHash
                published[name] = served
            } else {
                fresh.definition = nil
                published[name] = fresh
            }
            state.files[name] = file
        }
        // A slug is served by one file at most, whatever happened before.
        var servedBy: [String: String] = [:]
        for name in published.keys.sorted() {
            guard let entry = published[name], entry.definition != nil else { continue }
            if servedBy[entry.slug] != nil {
                published[name]?.definition = nil
            } else {
                servedBy[entry.slug] = name
            }
        }
        state.published = published
    }

    // MARK: - Watching

    /// Polls the directory every `interval` on a background thread and applies changes, so an
    /// edit is live within about one interval (default 250 ms, well within the one second the
    /// hot-reload promise allows). Does nothing when already watching. The thread keeps the
    /// registry alive until `stopWatching()`.
    /// - Parameter onChange: called on the polling thread with the changed slugs.
    package func startWatching(interval: Duration = .milliseconds(250), onChange: (@Sendable ([String]) -> Void)? = nil) {
        let generation: Int? = watch.withLock { watch in
            if watch.running { return nil }
            watch.running = true
            watch.generation += 1
            return watch.generation
        }
        guard let generation else { return }
        let seconds = max(0.01, interval.seconds)
        let thread = Thread { [self] in
            while isWatching(generation) {
                watchWake.lock()
                let deadline = Date().addingTimeInterval(seconds)
                while isWatching(generation) && watchWake.wait(until: deadline) {}
                watchWake.unlock()
                guard isWatching(generation) else { break }
                let changed = reloadIfChanged()
                if !changed.isEmpty { onChange?(changed) }
            }
        }
        thread.name = "ingest-definitions-watch"
        thread.start()
    }

    /// Stops the polling thread; it wakes and exits at once. Safe to call when not watching.
    package func stopWatching() {
        watchWake.lock()
        watch.withLock { watch in
            watch.running = false
            watch.generation += 1
        }
        watchWake.broadcast()
        watchWake.unlock()
    }

    /// True while the polling thread started as `generation` should keep going.
    package var isWatching: Bool { watch.withLock { $0.running } }

    private func isWatching(_ generation: Int) -> Bool {
        watch.withLock { $0.running && $0.generation == generation }
    }

    // MARK: - Files

    private static func definitionFileNames(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.lowercased().hasSuffix(".json") && !$0.hasPrefix(".") }.sorted()
    }

    private static func signature(ofFileAt path: String) -> FileSignature? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              attributes[.type] as? FileAttributeType != .typeDirectory else { return nil }
        let size = (attributes[.size] as? NSNumber)?.uint64Value ?? 0
        let inode = (attributes[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
        return FileSignature(modified: attributes[.modificationDate] as? Date, size: size, inode: inode)
    }

    /// `importers/products.json`: the directory's last component and the file name, so messages
    /// read the same wherever the server runs.
    static func displayName(directory: String, fileName: String) -> String {
        let last = (directory as NSString).standardizingPath.split(separator: "/").last.map(String.init) ?? ""
        return last.isEmpty || last == "." ? fileName : last + "/" + fileName
    }
}
