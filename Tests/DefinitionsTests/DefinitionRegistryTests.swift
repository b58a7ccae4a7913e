import Foundation
import Testing
@testable import Definitions

@Suite("Definition registry and hot reload")
struct DefinitionRegistryTests {
    /// A fresh `importers/` directory under the temporary directory, removed by `cleanUp`.
    final class Workspace {
        let root: URL
        let importers: URL
        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("ingest-registry-\(UUID().uuidString)")
            importers = root.appendingPathComponent("importers")
            try FileManager.default.createDirectory(at: importers, withIntermediateDirectories: true)
        }
        func write(_ name: String, _ text: String) throws {
            try Data(text.utf8).write(to: importers.appendingPathComponent(name), options: .atomic)
        }
        func remove(_ name: String) throws {
            try FileManager.default.removeItem(at: importers.appendingPathComponent(name))
        }
        deinit { try? FileManager.default.removeItem(at: root) }
    }

    static func valid(table: String, slug: String? = nil) -> String {
        let slugLine = slug.map { #""slug": "\#($0)", "# } ?? ""
        return #"{\#(slugLine)"target": {"table": "\#(table)"}, "columns": {"a": {"from": "A"}}}"#
    }

    @Test("loads every *.json of the directory with hashes and problems")
    func loadsDirectory() throws {
        let workspace = try Workspace()
        try workspace.write("products.json", Self.valid(table: "products"))
        try workspace.write("broken.json", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "type": "money"}}}"#)
        try workspace.write("notes.txt", "not a definition")
        try workspace.write(".hidden.json", "{")
        let registry = DefinitionRegistry()
        let loaded = registry.load(directory: workspace.importers.path)
        #expect(loaded.map(\.slug) == ["broken", "products"])
        let products = try #require(registry.loaded(slug: "products"))
        #expect(products.fileName == "importers/products.json")
        #expect(products.path == workspace.importers.appendingPathComponent("products.json").path)
        #expect(products.contentHash == SHA256.hexDigest(Array(Self.valid(table: "products").utf8)))
        #expect(products.problems.isEmpty && products.isValid)
        #expect(registry.definition(slug: "products")?.target.table == "products")
        #expect(registry.definition(slug: "broken") == nil)
        let broken = try #require(registry.loaded(slug: "broken"))
        #expect(broken.problems.map(\.description) == [
            "importers/broken.json:1:67: /columns/a/type: expected one of text, integer, decimal, boolean, date, datetime, json",
        ])
        #expect(registry.all().count == 2)
        #expect(registry.reloadIfChanged() == [])
    }

    @Test("a broken edit keeps serving the last good version and shows the new problems")
    func keepsLastGood() throws {
        let workspace = try Workspace()
        try workspace.write("products.json", Self.valid(table: "products"))
        let registry = DefinitionRegistry(directory: workspace.importers.path)
        let good = try #require(registry.loaded(slug: "products"))

        try workspace.write("products.json", #"{"target": {"table": "products"}, "columns": {"a": {"from": "A", "rules": "minn:1"}}}"#)
        #expect(registry.reloadIfChanged() == ["products"])
        let stale = try #require(registry.loaded(slug: "products"))
        #expect(stale.definition == good.definition)
        #expect(stale.contentHash == good.contentHash)
        #expect(stale.fileContentHash != good.contentHash)
        #expect(stale.isServingPreviousVersion)
        #expect(stale.problems.map(\.description) == [
            "importers/products.json:1:76: /columns/a/rules/0: unknown rule 'minn' (did you mean 'min'?)",
        ])
        #expect(registry.definition(slug: "products")?.target.table == "products")

        // Broken JSON too.
        try workspace.write("products.json", "{\"target\": ")
        #expect(registry.reloadIfChanged() == ["products"])
        #expect(registry.definition(slug: "products") == good.definition)
        #expect(registry.loaded(slug: "products")?.problems.first?.message.hasPrefix("invalid JSON") == true)

        // Fixed: the new version is served and the problems are gone.
        try workspace.write("products.json", Self.valid(table: "items"))
        #expect(registry.reloadIfChanged() == ["products"])
        let fixed = try #require(registry.loaded(slug: "products"))
        #expect(fixed.definition?.target.table == "items")
        #expect(fixed.problems.isEmpty && !fixed.isServingPreviousVersion)
        #expect(fixed.contentHash == fixed.fileContentHash)
    }

    @Test("adds new files, drops deleted ones and follows slug changes")
    func addsAndRemoves() throws {
        let workspace = try Workspace()
        try workspace.write("a.json", Self.valid(table: "a"))
        let registry = DefinitionRegistry(directory: workspace.importers.path)
        try workspace.write("b.json", Self.valid(table: "b"))
        #expect(registry.reloadIfChanged() == ["b"])
        #expect(registry.definition(slug: "b")?.target.table == "b")
        try workspace.remove("a.json")
        #expect(registry.reloadIfChanged() == ["a"])
        #expect(registry.loaded(slug: "a") == nil)
        try workspace.write("b.json", Self.valid(table: "b", slug: "bee"))
        #expect(registry.reloadIfChanged() == ["b", "bee"])
        #expect(registry.all().map(\.slug) == ["bee"])
    }

    @Test("two files with the same slug are both errors")
    func duplicateSlugs() throws {
        let workspace = try Workspace()
        try workspace.write("one.json", Self.valid(table: "one", slug: "shared"))
        try workspace.write("two.json", Self.valid(table: "two", slug: "shared"))
        let registry = DefinitionRegistry(directory: workspace.importers.path)
        let all = registry.all()
        #expect(all.map(\.problems.first?.description) == [
            "importers/one.json: duplicate slug 'shared': also used by importers/two.json",
            "importers/two.json: duplicate slug 'shared': also used by importers/one.json",
        ])
        #expect(registry.definition(slug: "shared") == nil)
        // Renaming one resolves the clash for both.
        try workspace.write("two.json", Self.valid(table: "two", slug: "second"))
        #expect(registry.reloadIfChanged() == ["second", "shared"])
        #expect(registry.definition(slug: "shared")?.target.table == "one")
        #expect(registry.definition(slug: "second")?.target.table == "two")
        #expect(registry.all().allSatisfy { $0.problems.isEmpty })
    }

    @Test("a clash introduced by an edit leaves the file already serving the slug in place")
    func duplicateAfterEdit() throws {
        let workspace = try Workspace()
        try workspace.write("one.json", Self.valid(table: "one", slug: "shared"))
        try workspace.write("two.json", Self.valid(table: "two", slug: "other"))
        let registry = DefinitionRegistry(directory: workspace.importers.path)
        try workspace.write("two.json", Self.valid(table: "two", slug: "shared"))
        registry.reloadIfChanged()
        #expect(registry.definition(slug: "shared")?.target.table == "one")
        #expect(registry.definition(slug: "other")?.target.table == "two")
        #expect(registry.all().allSatisfy { $0.problems.count == 1 })
    }

    @Test("the watcher applies an edit promptly and stops when asked")
    func watcher() async throws {
        let workspace = try Workspace()
        try workspace.write("w.json", Self.valid(table: "first"))
        let registry = DefinitionRegistry(directory: workspace.importers.path)
        registry.startWatching(interval: .milliseconds(50))
        #expect(registry.isWatching)
        try workspace.write("w.json", Self.valid(table: "second"))
        var applied = false
        // 50 ms polling applies it in well under a second; allow more on a loaded machine.
        for _ in 0..<120 where !applied {
            try await Task.sleep(for: .milliseconds(25))
            applied = registry.definition(slug: "w")?.target.table == "second"
        }
        #expect(applied)
        registry.stopWatching()
        #expect(!registry.isWatching)
        try await Task.sleep(for: .milliseconds(120))
        try workspace.write("w.json", Self.valid(table: "third"))
        try await Task.sleep(for: .milliseconds(200))
        #expect(registry.definition(slug: "w")?.target.table == "second")
    }

    @Test("a missing directory loads nothing")
    func missingDirectory() {
        let registry = DefinitionRegistry()
        #expect(registry.load(directory: "/nonexistent/ingest/importers").isEmpty)
        #expect(registry.reloadIfChanged() == [])
        #expect(DefinitionRegistry.displayName(directory: "/srv/app/importers/", fileName: "a.json") == "importers/a.json")
    }
}
