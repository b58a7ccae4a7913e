import Foundation
import HTTP
import Testing
import SQLite
@testable import Engine

/// `filesystem` and `url` sources. URL tests serve files from Ingest's own HTTP server on an
/// ephemeral loopback port, with loopback explicitly allowed.
@Suite("Filesystem and URL sources")
struct SourceTests {
    static let csv = "SKU,Name,Price\nA1,Apple,1\nA2,Banana,2\n"

    func definition(source: String) -> String {
        itemsDefinition(extraTop: "\"source\": \(source),")
    }

    @Test("a filesystem source reads its path under the data root")
    func filesystem() throws {
        let f = try EngineFixture(importers: ["items": definition(source: #"{"type": "filesystem", "path": "feeds/items.csv"}"#)])
        try f.write(Self.csv, to: "feeds/items.csv")
        let id = try f.engine.createSourceRun(slug: "items", dryRun: false, userID: nil)
        let run = try f.engine.execute(runID: id)
        #expect(run.status == .completed && run.counts.created == 2)
        #expect(run.originalFilename == "items.csv")
        #expect(FileManager.default.fileExists(atPath: f.root + "/feeds/items.csv"), "a data-root file is not ours to delete")
    }

    @Test("filesystem paths may not escape the data root")
    func escapes() throws {
        let f = try EngineFixture(importers: ["items": definition(source: #"{"type": "filesystem", "path": "feeds/items.csv"}"#)])
        try FileManager.default.createDirectory(atPath: f.root + "/feeds", withIntermediateDirectories: true)
        let outside = NSTemporaryDirectory() + "outside-\(UUID().uuidString).csv"
        try Self.csv.write(toFile: outside, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: outside) }
        try FileManager.default.createSymbolicLink(atPath: f.root + "/feeds/items.csv", withDestinationPath: outside)
        #expect(throws: EngineError.sourceUnavailable("source.path 'feeds/items.csv' leads outside the data root.")) {
            try f.engine.createSourceRun(slug: "items", dryRun: false, userID: nil)
        }
        #expect(throws: EngineError.self) { try f.engine.resolveDataPath("../x.csv") }
        #expect(throws: EngineError.self) { try f.engine.resolveDataPath("/etc/passwd") }
        #expect(throws: EngineError.sourceUnavailable("The source file 'nope.csv' does not exist under the data root.")) { try f.engine.resolveDataPath("nope.csv") }
    }

    @Test("an upload importer cannot be triggered without a file")
    func uploadOnly() throws {
        let f = try EngineFixture(importers: ["items": itemsDefinition()])
        #expect(throws: EngineError.invalidRequest("The importer 'items' imports uploaded files; give the file to import.")) {
            try f.engine.createSourceRun(slug: "items", dryRun: false, userID: nil)
        }
    }

    /// Serves `/items.csv`, a redirect chain `/hop/N`, and `/big.csv` on loopback.
    func withServer(_ body: (Int) throws -> Void) throws {
        var router = Router()
        router.get("/items.csv") { _ in .text(Self.csv) }
        router.get("/big.csv") { _ in .text("SKU,Name,Price\n" + String(repeating: "A1,Apple,1\n", count: 20_000)) }
        router.get("/missing.csv") { _ in .message("Not here.", status: .notFound) }
        router.get("/hop/:n") { request in
            let n = Int(request.parameters["n"] ?? "0") ?? 0
            var headers = HTTPHeaders()
            headers.add(name: "Location", value: n <= 0 ? "/items.csv" : "/hop/\(n - 1)")
            return HTTPResponse(status: .found, headers: headers)
        }
        var configuration = HTTPServerConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        let server = HTTPServer(configuration: configuration, router: router, logger: HTTPServer.silentLogger)
        let port = try server.start()
        defer { server.stop() }
        try body(port)
    }

    func urlFixture(_ url: String, allowPrivate: Bool = true, hosts: [String] = [], maxSizeMB: Int? = nil) throws -> EngineFixture {
        let f = try EngineFixture(importers: ["items": definition(source: #"{"type": "url", "url": "\#(url)", "timeout_s": 5}"#)])
        let base = f.engine.configuration
        var configuration = EngineConfiguration(databasePath: base.databasePath, importersDirectory: base.importersDirectory,
                                                uploadsDirectory: base.uploadsDirectory, dataRoot: base.dataRoot,
                                                allowedURLHosts: hosts, allowPrivateURLs: allowPrivate)
        if let maxSizeMB { configuration.maxUploadBytes = Int64(maxSizeMB) << 10 }  // KiB in this test
        try f.useConfiguration(configuration)
        return f
    }

    /// Creates a url run (checked at once) and executes it (downloaded by the "worker").
    func runURL(_ f: EngineFixture) throws -> IngestRun {
        let id = try f.engine.createSourceRun(slug: "items", dryRun: false, userID: nil)
        #expect(try f.store().run(id)?.status == .pending)
        return try f.engine.execute(runID: id)
    }

    @Test("a url source is downloaded when the run starts, imported, and its temp file removed")
    func url() throws {
        try withServer { port in
            let f = try urlFixture("http://127.0.0.1:\(port)/items.csv")
            let run = try runURL(f)
            #expect(run.status == .completed && run.counts.created == 2)
            #expect(run.originalFilename == "items.csv")
            let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: f.engine.configuration.uploadsDirectory)) ?? []
            #expect(leftovers.isEmpty)
        }
    }

    @Test("redirects are followed up to five times")
    func redirects() throws {
        try withServer { port in
            #expect(try runURL(try urlFixture("http://127.0.0.1:\(port)/hop/4")).status == .completed)
            let tooMany = try runURL(try urlFixture("http://127.0.0.1:\(port)/hop/5"))
            #expect(tooMany.status == .failed)
            #expect(tooMany.failureReason == "Too many redirects (more than 5).")
        }
    }

    @Test("loopback, private addresses and unlisted hosts are refused at once; errors and oversize downloads fail the run")
    func refusals() throws {
        try withServer { port in
            let closed = try urlFixture("http://127.0.0.1:\(port)/items.csv", allowPrivate: false)
            #expect(throws: EngineError.sourceUnavailable("The host '127.0.0.1' resolves to an internal address (127.0.0.1); internal addresses are refused.")) {
                try closed.engine.createSourceRun(slug: "items", dryRun: false, userID: nil)
            }
            let unlisted = try urlFixture("http://127.0.0.1:\(port)/items.csv", hosts: ["feeds.example.com"])
            #expect(throws: EngineError.sourceUnavailable("The host '127.0.0.1' is not in the allowed URL hosts.")) {
                try unlisted.engine.createSourceRun(slug: "items", dryRun: false, userID: nil)
            }
            let missing = try runURL(try urlFixture("http://127.0.0.1:\(port)/missing.csv"))
            #expect(missing.status == .failed && missing.failureReason == "The download answered HTTP 404.")
            let big = try urlFixture("http://127.0.0.1:\(port)/big.csv", maxSizeMB: 64)
            let bigRun = try runURL(big)
            #expect(bigRun.status == .failed && bigRun.failureReason == "The download is larger than the limit of 65536 bytes.")
            let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: big.engine.configuration.uploadsDirectory)) ?? []
            #expect(leftovers.isEmpty)
        }
        #expect(URLDownloader.isInternal("10.1.2.3") && URLDownloader.isInternal("192.168.0.1") && URLDownloader.isInternal("172.20.0.1"))
        #expect(URLDownloader.isInternal("169.254.169.254") && URLDownloader.isInternal("::1") && URLDownloader.isInternal("fe80::1"))
        #expect(URLDownloader.isInternal("fd00::1") && URLDownloader.isInternal("::ffff:127.0.0.1"))
        #expect(!URLDownloader.isInternal("93.184.216.34") && !URLDownloader.isInternal("2606:2800:220:1::"))
    }
}
