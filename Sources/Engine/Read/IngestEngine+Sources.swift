import Definitions
import Foundation
import Tabular

extension IngestEngine {
    /// Records a `pending` run for an importer whose source is not an upload (`filesystem`, `url`).
    package func createSourceRun(slug: String, dryRun: Bool, userID: Int64?) throws(EngineError) -> Int64 {
        let (compiled, loaded) = try importer(slug)
        let source = compiled.definition.source
        let pending: RunStore.NewRun
        switch source.type {
        case .upload:
            throw .invalidRequest("The importer '\(slug)' imports uploaded files; give the file to import.")
        case .filesystem:
            // Opened beneath the data root now, and its format checked from that open file; the
            // worker opens it beneath the root again when the run starts.
            let file = try openDataFile(source.path ?? "")
            _ = try checkFormat(slug: slug, fileName: file.name) { () throws(TabularError) in
                try TableReaders.detectFormat(file: file.opened, fileName: file.name)
            }
            pending = .init(importer: slug, userID: userID, originalFilename: file.name, sourcePath: file.path,
                            definitionHash: loaded.contentHash, dryRun: dryRun)
        case .url:
            guard let address = source.url else { throw .invalidRequest("The importer '\(slug)' has no source.url.") }
            // Refusals (scheme, host allow-list, internal addresses) answer now; the download
            // itself happens when a worker starts the run, so a trigger answers at once.
            _ = try URLDownloader(configuration: configuration).validate(address)
            pending = .init(importer: slug, userID: userID, originalFilename: URLDownloader.fileName(of: address),
                            definitionHash: loaded.contentHash, dryRun: dryRun, sourceURL: address)
        }
        return try record(pending, store: try openStore(), duplicate: "")
    }

    /// `relative` under the data root, opened (see ``DataRoot``): refuses absolute paths, `..`,
    /// symlinks that lead outside the root and anything but a regular file.
    func openDataFile(_ relative: String) throws(EngineError) -> DataRoot.File {
        guard !relative.isEmpty else { throw .invalidRequest("The importer has no source.path.") }
        guard !relative.hasPrefix("/") else { throw .sourceUnavailable("source.path must be relative to the data root, not absolute.") }
        guard !relative.split(separator: "/").contains("..") else { throw .sourceUnavailable("source.path may not contain '..'.") }
        let file = try DataRoot(configuration.dataRoot).open(relative, shown: relative)
        let uploads = (configuration.uploadsDirectory as NSString).resolvingSymlinksInPath
        guard !(file.path + "/").hasPrefix(uploads + "/") else {
            throw .sourceUnavailable("source.path '\(relative)' is inside the uploads folder, whose files belong to runs.")
        }
        return file
    }

    /// The real path of `relative` under the data root, after opening it beneath the root (see
    /// ``openDataFile(_:)``).
    package func resolveDataPath(_ relative: String) throws(EngineError) -> String {
        try openDataFile(relative).path
    }

    /// How a run reads its stored file. A `filesystem` importer's file under the data root is
    /// opened beneath the root again, and the reader reads that open file: a path component
    /// swapped for a symlink since the trigger cannot lead outside. Any other file by its path.
    func rowSource(storedPath path: String, fileName: String?, sourceType: SourceSpec.SourceType?) throws(EngineError) -> RowSource {
        guard sourceType == .filesystem else { return .file(path: path, fileName: fileName) }
        let root = try DataRoot(configuration.dataRoot)
        guard let relative = root.relative(path) else { return .file(path: path, fileName: fileName) }
        return .opened(try root.open(relative, shown: relative).opened, fileName: fileName)
    }

    /// Checks a format against the importer's accepted ones; `detect` runs unless the definition
    /// declares the format. Returns the format.
    func checkFormat(slug: String, fileName: String?, detect: () throws(TabularError) -> ReadOptions.Format) throws(EngineError) -> String {
        let (compiled, _) = try importer(slug)
        let source = compiled.definition.source
        let format: ReadOptions.Format
        if let declared = source.format, let f = ReadOptions.Format(rawValue: declared.rawValue) {
            format = f
        } else {
            do { format = try detect() } catch { throw .sourceUnavailable(error.description) }
        }
        let accepted = source.formats.map(\.rawValue)
        if !accepted.isEmpty && !accepted.contains(format.rawValue) {
            throw .unsupportedFormat(found: format.rawValue, accepted: accepted)
        }
        return format.rawValue
    }
}
