import Foundation
import HTTP
import Synchronization
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

    /// The `Authorization` headers a server's `/auth/items.csv` received.
    final class SeenAuthorizations: Sendable {
        let values = Mutex<[String?]>([])
        var all: [String?] { values.withLock { $0 } }
    }

    /// Serves `/items.csv`, a redirect chain `/hop/N`, `/redirect?to=URL`, `/auth/items.csv`
    /// (recorded in `seen`) and `/big.csv` on loopback.
    func withServer(seen: SeenAuthorizations = SeenAuthorizations(), _ body: (Int) throws -> Void) throws {
        var router = Router()
        router.get("/items.csv") { _ in .text(Self.csv) }
        router.get("/auth/items.csv") { request in
            seen.values.withLock { $0.append(request.headers["Authorization"]) }
            return .text(Self.csv)
        }
        router.get("/redirect") { request in
            var headers = HTTPHeaders()
            headers.add(name: "Location", value: request.query["to"] ?? "/items.csv")
            return HTTPResponse(status: .found, headers: headers)
        }
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

    func urlFixture(_ url: String, allowPrivate: Bool = true, hosts: [String] = [], maxSizeMB: Int? = nil,
                    timeout: String = "5", headers: String = "{}") throws -> EngineFixture {
        let source = #"{"type": "url", "url": "\#(url)", "timeout_s": \#(timeout), "headers": \#(headers)}"#
        let f = try EngineFixture(importers: ["items": definition(source: source)])
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
            #expect(throws: EngineError.sourceUnavailable("The host '127.0.0.1' resolves to an internal address (127.0.0.1, loopback); internal addresses are refused.")) {
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
    }

    @Test("a name that resolves to loopback (feed.localhost) is refused at once unless private addresses are allowed")
    func localhostName() throws {
        try withServer { port in
            let closed = try urlFixture("http://feed.localhost:\(port)/items.csv", allowPrivate: false)
            #expect(throws: EngineError.sourceUnavailable("The host 'feed.localhost' resolves to an internal address (127.0.0.1, loopback); internal addresses are refused.")) {
                try closed.engine.createSourceRun(slug: "items", dryRun: false, userID: nil)
            }
            #expect(try closed.store().runs(importer: nil, status: nil, limit: 10, offset: 0).runs.isEmpty)
            let open = try urlFixture("http://feed.localhost:\(port)/items.csv")
            #expect(try runURL(open).status == .completed)
        }
    }

    @Test("the definition's headers reach the source's origin, not a redirect target on another port")
    func headersStayWithOrigin() throws {
        let origin = SeenAuthorizations()
        let other = SeenAuthorizations()
        try withServer(seen: origin) { (originPort: Int) throws in
            try withServer(seen: other) { (otherPort: Int) throws in
                let headers = #"{"Authorization": "Bearer s3cret"}"#
                let away = "http%3A%2F%2F127.0.0.1%3A\(otherPort)%2Fauth%2Fitems.csv"
                #expect(try runURL(try urlFixture("http://127.0.0.1:\(originPort)/redirect?to=\(away)", headers: headers)).status == .completed)
                #expect(try runURL(try urlFixture("http://127.0.0.1:\(originPort)/redirect?to=%2Fauth%2Fitems.csv", headers: headers)).status == .completed)
            }
        }
        #expect(other.all == [nil])
        #expect(origin.all == ["Bearer s3cret"])
    }

    @Test("a source that never answers fails the run after its timeout")
    func timeout() throws {
        let listener = try SilentListener()
        let run = try runURL(try urlFixture("http://127.0.0.1:\(listener.port)/slow.csv", timeout: "0.3"))
        #expect(run.status == .failed)
        #expect(run.failureReason == "Downloading http://127.0.0.1/slow.csv timed out after 0.3 s.")
    }
}

/// A TCP socket on 127.0.0.1 that listens but never accepts or answers.
final class SilentListener {
    let port: Int
    private let descriptor: Int32

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        descriptor = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard fd >= 0, bound == 0, listen(fd, 8) == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(descriptor) }
}
