import Foundation

/// Loads one definition file: parse, decode, check, and hash, reporting every problem at once.
///
/// Used by the registry for each file of `importers/` and by `ingest check PATH`. Loading never
/// throws: a file that cannot be read or parsed is a `LoadedDefinition` with problems.
package enum DefinitionLoader {
    /// Loads a definition from bytes.
    /// - Parameters:
    ///   - data: the file's bytes.
    ///   - fileName: the file as shown in problems (`importers/products.json`); its last path
    ///     component without `.json` is the default slug.
    ///   - path: the file's path on disk, when it has one; defaults to `fileName`.
    package static func load(data: Data, fileName: String, path: String? = nil) -> LoadedDefinition {
        let bytes = [UInt8](data)
        let hash = SHA256.hexDigest(bytes)
        let defaultSlug = defaultSlug(forFileName: fileName)
        let (definition, problems) = decode(bytes: bytes, fileName: fileName)
        return LoadedDefinition(
            slug: definition?.slug ?? declaredSlug(in: bytes) ?? defaultSlug, path: path ?? fileName,
            fileName: fileName, contentHash: hash, definition: definition, problems: problems
        )
    }

    /// Loads the definition file at `path`.
    /// - Parameter displayName: the file as shown in problems; defaults to `path`.
    package static func load(path: String, displayName: String? = nil) -> LoadedDefinition {
        let shown = displayName ?? path
        guard let data = FileManager.default.contents(atPath: path) else {
            return LoadedDefinition(
                slug: defaultSlug(forFileName: path), path: path, fileName: shown,
                contentHash: SHA256.hexDigest([UInt8]()), definition: nil,
                problems: [DefinitionProblem(file: shown, pointer: "", message: "cannot read the file")]
            )
        }
        return load(data: data, fileName: shown, path: path)
    }

    /// Parses and decodes `bytes`: the definition when there is no problem, and every problem
    /// ordered by position in the file.
    package static func decode(bytes: [UInt8], fileName: String) -> (ImporterDefinition?, [DefinitionProblem]) {
        let document: JSONDocument
        do {
            document = try JSONDocument(bytes: bytes)
        } catch {
            let problem = DefinitionProblem(
                file: fileName, pointer: "", position: error.position, message: "invalid JSON: \(error.message)"
            )
            return (nil, [problem])
        }
        let decoder = DefinitionDecoder(file: fileName)
        let definition = decoder.decode(document.root, defaultSlug: defaultSlug(forFileName: fileName))
        return (definition, sortedByPosition(decoder.problems))
    }

    /// The slug a file gets when it sets none: its name without directories and `.json`.
    package static func defaultSlug(forFileName fileName: String) -> String {
        var name = Substring(fileName)
        if let slash = name.lastIndex(where: { $0 == "/" || $0 == "\\" }) {
            name = name[name.index(after: slash)...]
        }
        if name.lowercased().hasSuffix(".json") { name = name.dropLast(5) }
        return String(name)
    }

    /// The `slug` a broken file declares, when its JSON parses that far, so the registry can
    /// still name it correctly.
    private static func declaredSlug(in bytes: [UInt8]) -> String? {
        guard let document = try? JSONDocument(bytes: bytes), case .string(let slug)? = document.root["slug"]?.value,
              DefinitionDecoder.isSlug(slug) else { return nil }
        return slug
    }

    /// Stable sort by line and column; problems without a position come first (they concern
    /// the whole file).
    static func sortedByPosition(_ problems: [DefinitionProblem]) -> [DefinitionProblem] {
        problems.enumerated().sorted { a, b in
            let ka = (a.element.line ?? 0, a.element.column ?? 0, a.offset)
            let kb = (b.element.line ?? 0, b.element.column ?? 0, b.offset)
            return ka < kb
        }.map(\.element)
    }
}
