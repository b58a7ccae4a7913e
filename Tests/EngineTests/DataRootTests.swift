import Foundation
import Testing
@testable import Engine

/// `filesystem` sources never read outside the data root: real files and real symlinks,
/// relative and absolute, to files and to directories, chains, loops, special files and a path
/// swapped between the trigger and the run.
@Suite("The data root")
struct DataRootTests {
    static let inside = "SKU,Name,Price\nA1,Apple,1\nA2,Banana,2\n"
    static let secret = "SKU,Name,Price\nS1,Secret,9\n"
    static let outsideMessage = "source.path 'feeds/products.csv' leads outside the data root."

    /// A fixture whose `feed` importer reads `path`, and a folder outside its root holding
    /// `products.csv` with other rows (removed at the end by the caller's `defer`).
    struct Setup {
        let f: EngineFixture
        let outside: String
        /// `outside` as seen from `root/feeds` (two levels up: the temp folder).
        var outsideFromFeeds: String { "../../" + (outside as NSString).lastPathComponent }
        var fm: FileManager { .default }

        init(path: String = "feeds/products.csv") throws {
            f = try EngineFixture(importers: ["feed": itemsDefinition(extraTop: #""source": {"type": "filesystem", "path": "\#(path)"},"#)])
            outside = NSTemporaryDirectory() + "outside-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
            try DataRootTests.secret.write(toFile: outside + "/products.csv", atomically: true, encoding: .utf8)
            try FileManager.default.createDirectory(atPath: f.root + "/feeds", withIntermediateDirectories: true)
        }

        func cleanUp() { try? fm.removeItem(atPath: outside) }

        func link(_ relative: String, to target: String) throws {
            try fm.createSymbolicLink(atPath: f.root + "/" + relative, withDestinationPath: target)
        }

        func trigger() throws -> Int64 { try f.engine.createSourceRun(slug: "feed", dryRun: false, userID: nil) }

        func runCount() throws -> Int64 { try f.query("SELECT COUNT(*) FROM ingest_runs").first?.first?.integerValue ?? -1 }

        /// The refusal a trigger gets; nothing may be recorded.
        func refusal() throws -> EngineError? {
            var refused: EngineError?
            do { _ = try trigger() } catch let error as EngineError { refused = error }
            #expect(try runCount() == 0)
            return refused
        }

        func importedSKUs() throws -> [String] {
            try f.query("SELECT sku FROM items ORDER BY sku").compactMap { $0.first?.textValue }
        }
    }

    @Test("a relative symlink to a file outside is refused")
    func relativeFileLink() throws {
        let s = try Setup()
        defer { s.cleanUp() }
        try s.link("feeds/products.csv", to: s.outsideFromFeeds + "/products.csv")
        #expect(try s.refusal() == .sourceUnavailable(Self.outsideMessage))
    }

    @Test("a symlinked directory that leads outside is refused")
    func directoryLink() throws {
        let s = try Setup()
        defer { s.cleanUp() }
        try s.fm.removeItem(atPath: s.f.root + "/feeds")
        try s.link("feeds", to: "../" + (s.outside as NSString).lastPathComponent)
        #expect(try s.refusal() == .sourceUnavailable(Self.outsideMessage))
    }

    @Test("an absolute symlink outside is refused")
    func absoluteLink() throws {
        let s = try Setup()
        defer { s.cleanUp() }
        try s.link("feeds/products.csv", to: s.outside + "/products.csv")
        #expect(try s.refusal() == .sourceUnavailable(Self.outsideMessage))
    }

    @Test("a chain of symlinks that ends outside is refused; a loop is refused")
    func chainsAndLoops() throws {
        let s = try Setup()
        defer { s.cleanUp() }
        try s.link("feeds/products.csv", to: "hop.csv")
        try s.link("feeds/hop.csv", to: "../feeds/./deeper/../" + s.outsideFromFeeds + "/products.csv")
        try s.fm.createDirectory(atPath: s.f.root + "/feeds/deeper", withIntermediateDirectories: true)
        let refused = try s.refusal()
        #expect(refused == .sourceUnavailable(Self.outsideMessage), "\(String(describing: refused))")
        try s.fm.removeItem(atPath: s.f.root + "/feeds/hop.csv")
        try s.link("feeds/hop.csv", to: "products.csv")
        #expect(try s.refusal() == .sourceUnavailable("source.path 'feeds/products.csv' has too many levels of symbolic links."))
    }

    @Test("'..', absolute paths, missing files, directories and FIFOs are refused")
    func otherRefusals() throws {
        // A definition with such a path does not load; the engine refuses them on its own too.
        let f = try EngineFixture(importers: [:])
        #expect(throws: EngineError.sourceUnavailable("source.path may not contain '..'.")) { try f.engine.resolveDataPath("feeds/../../x.csv") }
        #expect(throws: EngineError.sourceUnavailable("source.path must be relative to the data root, not absolute.")) {
            try f.engine.resolveDataPath("/etc/passwd")
        }
        for (path, message) in [
            ("feeds/nope.csv", "The source file 'feeds/nope.csv' does not exist under the data root."),
            ("feeds", "source.path 'feeds' is not a regular file."),
            ("feeds/pipe.csv", "source.path 'feeds/pipe.csv' is not a regular file."),
            ("feeds/file.csv/x.csv", "source.path 'feeds/file.csv/x.csv' is not a regular file."),
        ] {
            let s = try Setup(path: path)
            defer { s.cleanUp() }
            try DataRootTests.inside.write(toFile: s.f.root + "/feeds/file.csv", atomically: true, encoding: .utf8)
            #expect(mkfifo(s.f.root + "/feeds/pipe.csv", 0o600) == 0)
            let refused = try s.refusal()
            #expect(refused == .sourceUnavailable(message), "\(path): \(String(describing: refused))")
        }
    }

    @Test("symlinks that stay inside the root are followed, relative or absolute, to files or directories")
    func insideLinks() throws {
        let s = try Setup()
        defer { s.cleanUp() }
        try s.fm.createDirectory(atPath: s.f.root + "/archive/2024", withIntermediateDirectories: true)
        try Self.inside.write(toFile: s.f.root + "/archive/2024/products-may.csv", atomically: true, encoding: .utf8)
        try s.link("feeds/products.csv", to: "../current/products-may.csv")
        try s.link("current", to: "archive/2024")
        let run = try s.f.engine.execute(runID: try s.trigger())
        #expect(run.status == .completed && run.counts.created == 2)
        #expect(run.originalFilename == "products-may.csv")
        #expect(try s.importedSKUs() == ["A1", "A2"])

        let real = try #require(realpath(s.f.root, nil).map { pointer in defer { free(pointer) }; return String(cString: pointer) })
        try s.fm.removeItem(atPath: s.f.root + "/feeds/products.csv")
        try s.link("feeds/products.csv", to: real + "/archive/2024/products-may.csv")
        #expect(try s.f.engine.resolveDataPath("feeds/products.csv") == real + "/archive/2024/products-may.csv")
        #expect(try s.f.engine.execute(runID: try s.trigger()).status == .completed)
    }

    @Test("a path swapped for a symlink between the trigger and the run fails the run, nothing imported")
    func swappedBeforeTheRun() throws {
        for swapDirectory in [false, true] {
            let s = try Setup()
            defer { s.cleanUp() }
            try Self.inside.write(toFile: s.f.root + "/feeds/products.csv", atomically: true, encoding: .utf8)
            let id = try s.trigger()
            if swapDirectory {
                try s.fm.moveItem(atPath: s.f.root + "/feeds", toPath: s.f.root + "/feeds-old")
                try s.link("feeds", to: "../" + (s.outside as NSString).lastPathComponent)
            } else {
                try s.fm.removeItem(atPath: s.f.root + "/feeds/products.csv")
                try s.link("feeds/products.csv", to: s.outsideFromFeeds + "/products.csv")
            }
            let run = try s.f.engine.execute(runID: id)
            #expect(run.status == .failed)
            #expect(run.failureReason == Self.outsideMessage)
            #expect(run.counts.processed == 0)
            #expect(try s.f.query("SELECT name FROM sqlite_master WHERE name = 'items'").isEmpty || s.importedSKUs().isEmpty)
        }
    }
}
