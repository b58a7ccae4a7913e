import API
import Engine
import Foundation
import HTTP
import SQLite
import Synchronization

/// A throwaway Ingest installation for API tests: importers folder, database, uploads folder and a
/// token, removed at the end.
///
/// With `serve: true` it starts the real ``IngestServer`` (workers, watcher, listener) on an
/// ephemeral 127.0.0.1 port and requests go over sockets; with `serve: false` there are no
/// workers and requests go straight through the router, so runs stay `pending` until a test
/// executes them: deterministic states for conflict tests.
final class APIFixture {
    static let prefix = "/api/v1/ingest"

    let root: String
    var importersDirectory: String { root + "/importers" }
    var databasePath: String { root + "/ingest.sqlite" }
    var uploadsDirectory: String { root + "/uploads" }
    let engine: IngestEngine
    let api: IngestAPI
    let server: IngestServer?
    let router: Router
    /// A valid token, recorded with user id 42.
    let token: String
    let logs = LogLines()

    /// - Parameters:
    ///   - apiConfiguration: prefix, public URL and limits of the API.
    ///   - http: the listener's configuration when serving; port and host are always an
    ///     ephemeral 127.0.0.1 port. Default: short timeouts that suit the tests.
    init(importers: [String: String], serve: Bool = true, maxUploadBytes: Int64 = 64 << 20,
         apiConfiguration: APIConfiguration = APIConfiguration(), http: HTTPServerConfiguration? = nil) throws {
        root = NSTemporaryDirectory() + "ingest-api-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: root + "/importers", withIntermediateDirectories: true)
        for (slug, json) in importers { try json.write(toFile: root + "/importers/\(slug).json", atomically: true, encoding: .utf8) }
        let engineConfiguration = EngineConfiguration(databasePath: root + "/ingest.sqlite", importersDirectory: root + "/importers",
                                                      uploadsDirectory: root + "/uploads", dataRoot: root, maxUploadBytes: maxUploadBytes)
        let logs = self.logs
        let logger: @Sendable (String) -> Void = { line in logs.append(line) }
        if serve {
            var http = http ?? HTTPServerConfiguration(headTimeout: .seconds(5), idleTimeout: .seconds(2),
                                                       bodyReadTimeout: .seconds(10), writeTimeout: .seconds(10),
                                                       maxStreamingBodyBytes: Int.max, drainTimeout: .seconds(5))
            http.host = "127.0.0.1"
            http.port = 0
            let configuration = IngestServerConfiguration(engine: engineConfiguration, http: http, api: apiConfiguration, workers: 2,
                                                          workerPollInterval: .milliseconds(100),
                                                          definitionWatchInterval: .milliseconds(100), workerStopTimeout: .seconds(20))
            let server = try IngestServer(configuration: configuration, logger: logger)
            _ = try server.start()
            self.server = server
            engine = server.engine
            api = server.api
        } else {
            server = nil
            engine = try IngestEngine(configuration: engineConfiguration)
            api = IngestAPI(engine: engine, configuration: apiConfiguration, logger: logger)
        }
        router = api.makeRouter()
        token = try TokenStore(engine.openStore()).create(name: "test", userID: 42).token
    }

    deinit {
        server?.stop()
        try? FileManager.default.removeItem(atPath: root)
    }

    // MARK: - Requests

    /// Sends a request with the fixture's token unless `token` says otherwise (`.some(nil)`: none).
    func request(_ method: String, _ path: String, token: String?? = .none, headers: [(String, String)] = [],
                 body: [UInt8] = []) throws -> TestHTTPClient.Response {
        var all = headers
        let bearer: String? = token ?? self.token
        if let bearer { all.append(("Authorization", "Bearer \(bearer)")) }
        let target = APIFixture.prefix + path
        if let server {
            return try TestHTTPClient(port: server.port).send(method, target, headers: all, body: body)
        }
        if !all.contains(where: { $0.0.lowercased() == "host" }) { all.append(("Host", "127.0.0.1:8080")) }
        let request = HTTPRequest(method: HTTPMethod(method), target: target, headers: HTTPHeaders(all), body: BodyStream(bytes: body))
        let response = router.respond(to: request)
        var headers: [String: String] = [:]
        for field in response.headers { headers[field.name.lowercased()] = field.value }
        return TestHTTPClient.Response(status: response.status.code, headers: headers, body: try response.collectBody())
    }

    func get(_ path: String, token: String?? = .none) throws -> TestHTTPClient.Response {
        try request("GET", path, token: token)
    }

    func post(_ path: String, json: String? = nil, token: String?? = .none) throws -> TestHTTPClient.Response {
        try request("POST", path, token: token, headers: json == nil ? [] : [("Content-Type", "application/json")],
                    body: Array((json ?? "").utf8))
    }

    /// Uploads `content` as the `file` field.
    func upload(_ slug: String, filename: String = "data.csv", content: String, dryRun: String? = nil,
                token: String?? = .none) throws -> TestHTTPClient.Response {
        var form = MultipartBody()
        if let dryRun { form.field("dry_run", dryRun) }
        form.file("file", filename: filename, content: Array(content.utf8))
        return try request("POST", "/upload/\(slug)", token: token, headers: [("Content-Type", form.contentType)], body: form.finished)
    }

    // MARK: - Runs

    /// Polls `GET /{id}` every 50 ms until the run has finished; fails after `timeout`.
    @discardableResult
    func waitUntilFinished(_ id: Int64, timeout: Duration = .seconds(30)) throws -> JSONValue {
        try waitForRun(id, timeout: timeout) { run in
            ["completed", "completed_with_errors", "failed", "cancelled"].contains(run["status"]?.stringValue ?? "")
        }
    }

    /// Polls `GET /{id}` until `condition` holds; fails after `timeout`.
    func waitForRun(_ id: Int64, timeout: Duration = .seconds(30), until condition: (JSONValue) -> Bool) throws -> JSONValue {
        let deadline = ContinuousClock.now + timeout
        while true {
            let response = try get("/\(id)")
            if let run = response.data, condition(run) { return run }
            guard ContinuousClock.now < deadline else { throw FixtureError.timedOut("run \(id): \(response.text.prefix(300))") }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// Polls `body` every 50 ms until it returns a value; fails after `timeout`.
    func eventually<T>(timeout: Duration = .seconds(10), _ what: String, _ body: () throws -> T?) throws -> T {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let value = try body() { return value }
            guard ContinuousClock.now < deadline else { throw FixtureError.timedOut(what) }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    // MARK: - Files and database

    func write(_ text: String, to relative: String) throws {
        try text.write(toFile: root + "/" + relative, atomically: true, encoding: .utf8)
    }

    func query(_ sql: String) throws -> [[Value]] {
        try Connection(path: databasePath).query(sql)
    }

    func count(_ table: String) throws -> Int {
        guard try Connection(path: databasePath).tableExists(table) else { return 0 }
        return Int(try query("SELECT COUNT(*) FROM \(table)").first?.first?.integerValue ?? -1)
    }

    /// Files waiting in the uploads folder.
    func uploadedFiles() -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: uploadsDirectory)) ?? []
    }

    enum FixtureError: Error, CustomStringConvertible {
        case timedOut(String)
        var description: String {
            switch self {
            case .timedOut(let what): "timed out waiting for \(what)"
            }
        }
    }
}

extension JSONValue {
    /// Member `key` as an integer.
    func int(_ key: String) -> Int64? { self[key]?.intValue }
    /// Member `key` as a string.
    func string(_ key: String) -> String? { self[key]?.stringValue }
}

/// A small importer: items keyed by sku, with a name of at least two characters.
func itemsDefinition(chunkSize: Int = 1000, formats: String = "[\"csv\"]", maxSizeMB: Int? = nil,
                     nameRules: String = "required|min:2", source: String? = nil) -> String {
    """
    {
      "name": "Items",
      "source": \(source ?? "{ \"type\": \"upload\", \"formats\": \(formats)\(maxSizeMB.map { ", \"max_size_mb\": \($0)" } ?? "") }"),
      "target": { "table": "items", "key": ["sku"], "on_duplicate": "update" },
      "chunk_size": \(chunkSize),
      "row_log": "failed",
      "columns": {
        "sku": { "from": "SKU", "rules": "required" },
        "name": { "from": "Name", "rules": "\(nameRules)" },
        "price": { "from": "Price", "type": "decimal", "rules": "nullable|min:0" }
      }
    }
    """
}

/// Items CSV: three good rows and two bad ones (rows 3 and 5 of the file).
let itemsCSV = """
    SKU,Name,Price
    A-1,Desk lamp,12.50
    A-2,X,3.00
    A-3,Chair,45
    A-4,Table,-1
    A-5,Shelf,20

    """
