import Foundation
@testable import Definitions

/// Factories for definitions under test and paths to the files next to the tests.
enum TestFixtures {
    /// The repository root (for `importers/` and `schemas/`), found from this file; symlinks
    /// are resolved so a checkout that links the test folder elsewhere still finds it.
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `schemas/importer.schema.json`.
    static let schemaURL = repositoryRoot.appendingPathComponent("schemas/importer.schema.json")

    /// Every `importers/*.json` shipped at the repository root.
    static func shippedImporters() -> [URL] {
        let directory = repositoryRoot.appendingPathComponent("importers")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted().map { directory.appendingPathComponent($0) }
    }

    /// Loads `json` as if it were the file `fileName`.
    static func load(_ json: String, fileName: String = "importers/test.json") -> LoadedDefinition {
        DefinitionLoader.load(data: Data(json.utf8), fileName: fileName)
    }

    /// The rendered problems of `json`.
    static func problems(_ json: String, fileName: String = "importers/test.json") -> [String] {
        load(json, fileName: fileName).problems.map(\.description)
    }

    /// A minimal valid definition with `column` as its only column body and extra top-level keys.
    static func withColumn(_ column: String, name: String = "a", extra: String = "") -> String {
        """
        {"target": {"table": "t"}, \(extra)"columns": {"\(name)": \(column)}}
        """
    }

    /// The JSON tree of a file, for the schema tests.
    static func document(at url: URL) throws -> JSONDocument {
        try JSONDocument(data: Data(contentsOf: url))
    }
}
