import Definitions
import Foundation

extension IngestEngine {
    /// Records a `pending` run for an importer whose source is not an upload (`filesystem`, `url`).
    public func createSourceRun(slug: String, dryRun: Bool, userID: Int64?) throws(EngineError) -> Int64 {
        let (compiled, _) = try importer(slug)
        let source = compiled.definition.source
        switch source.type {
        case .upload:
            throw .invalidRequest("The importer '\(slug)' imports uploaded files; give the file to import.")
        case .filesystem:
            let path = try resolveDataPath(source.path ?? "")
            return try createRun(slug: slug, path: path, originalFilename: (path as NSString).lastPathComponent, dryRun: dryRun, userID: userID)
        case .url:
            guard let address = source.url else { throw .invalidRequest("The importer '\(slug)' has no source.url.") }
            // Refusals (scheme, host allow-list, internal addresses) answer now; the download
            // itself happens when a worker starts the run, so a trigger answers at once.
            let url = try URLDownloader(configuration: configuration).validate(address)
            let name = url.lastPathComponent.isEmpty || url.lastPathComponent == "/" ? "download" : url.lastPathComponent
            let store = try openStore()
            do {
                return try store.createRun(.init(importer: slug, userID: userID, originalFilename: name,
                                                 definitionHash: registry.loaded(slug: slug)?.contentHash, dryRun: dryRun, sourceURL: address))
            } catch { throw .database(error) }
        }
    }

    /// `relative` under the data root, refusing absolute paths, `..` and symlinks that lead outside it.
    public func resolveDataPath(_ relative: String) throws(EngineError) -> String {
        guard !relative.isEmpty else { throw .invalidRequest("The importer has no source.path.") }
        guard !relative.hasPrefix("/") else { throw .sourceUnavailable("source.path must be relative to the data root, not absolute.") }
        guard !relative.split(separator: "/").contains("..") else { throw .sourceUnavailable("source.path may not contain '..'.") }
        let fm = FileManager.default
        let root = (configuration.dataRoot as NSString).resolvingSymlinksInPath
        let joined = (root as NSString).appendingPathComponent(relative)
        guard fm.fileExists(atPath: joined) else { throw .sourceUnavailable("The source file '\(relative)' does not exist under the data root.") }
        let real = (joined as NSString).resolvingSymlinksInPath
        let rootPrefix = root.hasSuffix("/") ? root : root + "/"
        guard real.hasPrefix(rootPrefix) else { throw .sourceUnavailable("source.path '\(relative)' leads outside the data root.") }
        let uploads = (configuration.uploadsDirectory as NSString).resolvingSymlinksInPath
        guard !(real + "/").hasPrefix(uploads + "/") else {
            throw .sourceUnavailable("source.path '\(relative)' is inside the uploads folder, whose files belong to runs.")
        }
        return real
    }
}
