import Foundation
import SQLite
@testable import Engine

/// A throwaway workspace: an importers folder, a database and files, removed at the end.
final class EngineFixture {
    let root: String
    var importers: String { root + "/importers" }
    var database: String { root + "/ingest.sqlite" }
    private(set) var engine: IngestEngine!

    init(importers definitions: [String: String]) throws {
        root = NSTemporaryDirectory() + "ingest-engine-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root + "/importers", withIntermediateDirectories: true)
        for (slug, json) in definitions { try write(json, to: "importers/\(slug).json") }
        engine = try IngestEngine(configuration: EngineConfiguration(databasePath: database, importersDirectory: importers,
                                                                     uploadsDirectory: root + "/uploads", dataRoot: root))
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    /// Writes `text` to `relative` under the workspace; returns the full path.
    @discardableResult
    func write(_ text: String, to relative: String) throws -> String {
        let path = root + "/" + relative
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Creates and executes a run of `slug` over `csv`.
    func run(_ slug: String, csv: String, dryRun: Bool = false, name: String = "data.csv",
             observer: (@Sendable (RunProgress) -> Void)? = nil) throws -> IngestRun {
        let path = try write(csv, to: "files/\(UUID().uuidString)-\(name)")
        let id = try engine.createRun(slug: slug, path: path, originalFilename: name, dryRun: dryRun, userID: 7)
        return try engine.execute(runID: id, observer: observer)
    }

    func retry(_ id: Int64, dryRun: Bool = false) throws -> IngestRun {
        let retryID = try engine.createRetry(of: id, dryRun: dryRun, userID: nil)
        return try engine.execute(runID: retryID)
    }

    func query(_ sql: String) throws -> [[Value]] {
        try Connection(path: database).query(sql)
    }

    func store() throws -> RunStore { try engine.openStore() }

    func failedRows(_ id: Int64) throws -> [LoggedRow] {
        try store().rows(of: id, status: .failed, limit: 1000, offset: 0).rows
    }

    /// Replaces the engine with one using `configuration` (same database and importers).
    func useConfiguration(_ configuration: EngineConfiguration) throws {
        engine = try IngestEngine(configuration: configuration)
    }

    /// Rewrites an importer on disk and reloads it.
    func redefine(_ slug: String, _ json: String) throws {
        try write(json, to: "importers/\(slug).json")
        engine.registry.load(directory: importers)
    }
}

/// A small definition with the given target/transaction parts, columns sku/name/price.
func itemsDefinition(onDuplicate: String = "update", transaction: String = "none", chunkSize: Int = 1000,
                     extraTop: String = "", extraColumns: String = "", newerBy: String? = nil, rowLog: String = "failed") -> String {
    """
    {
      "target": { "table": "items", "key": ["sku"], "on_duplicate": "\(onDuplicate)"\(newerBy.map { ", \"newer_by\": \"\($0)\"" } ?? "") },
      "transaction": "\(transaction)",
      "chunk_size": \(chunkSize),
      "row_log": "\(rowLog)",
      \(extraTop)
      "columns": {
        "sku": { "from": "SKU", "rules": "required" },
        "name": { "from": "Name", "rules": "required|min:2" },
        "price": { "from": "Price", "type": "decimal", "rules": "nullable|min:0" }\(extraColumns)
      }
    }
    """
}
