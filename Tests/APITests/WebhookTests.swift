import API
import Definitions
import Foundation
import HTTP
import SQLite
import Synchronization
import Testing
@testable import CLI
@testable import Engine

/// Webhook deliveries over loopback: a real receiver (Ingest's own HTTP server on an ephemeral
/// 127.0.0.1 port) records every request, and the tests check what it got against the signature
/// rule of docs/WEBHOOKS.md. The backoff is driven by moving the deliverer's clock, never by sleeping.
@Suite("Webhooks")
struct WebhookTests {
    static let secret = "s3cr3t-for-tests"
    static let otherSecret = "another-secret"
    static let csv = "SKU,Name,Price\nA1,Apple,1\nA2,Banana,2\nA3,X,3\nA4,Cherry,4\nA5,Damson,5\n"

    /// One request the receiver got.
    struct Received: Sendable {
        let path: String
        let headers: [String: String]
        let body: String
    }

    /// What the receiver got, and the statuses it is to answer per path.
    final class Log: Sendable {
        let requests = Mutex<[Received]>([])
        let scripts = Mutex<[String: [Int]]>([:])
    }

    /// Records requests to `/hook/...`; answers each path's scripted statuses in turn, then 200.
    final class Receiver: Sendable {
        let log = Log()
        private let server: HTTPServer
        let port: Int

        init() throws {
            var router = Router()
            let log = self.log
            router.post("/hook/:name") { request in
                let body = String(decoding: try request.body.collect(), as: UTF8.self)
                var headers: [String: String] = [:]
                for field in request.headers { headers[field.name.lowercased()] = field.value }
                log.requests.withLock { $0.append(Received(path: request.path, headers: headers, body: body)) }
                let status = log.scripts.withLock { s -> Int in
                    guard var queue = s[request.path], !queue.isEmpty else { return 200 }
                    let next = queue.removeFirst()
                    s[request.path] = queue
                    return next
                }
                return .text("ok", status: HTTPStatus(code: status))
            }
            var configuration = HTTPServerConfiguration()
            configuration.host = "127.0.0.1"
            configuration.port = 0
            server = HTTPServer(configuration: configuration, router: router, logger: HTTPServer.silentLogger)
            port = try server.start()
        }

        deinit { server.stop() }

        func url(_ name: String) -> String { "http://127.0.0.1:\(port)/hook/\(name)" }
        var all: [Received] { log.requests.withLock { $0 } }
        func received(at name: String) -> [Received] { all.filter { $0.path == "/hook/\(name)" } }
        func answer(_ name: String, with statuses: [Int]) { log.scripts.withLock { $0["/hook/\(name)"] = statuses } }
    }

    /// An installation whose importer `items` has `hooks` (a JSON array), with loopback allowed
    /// (or not) and the given secrets.
    final class Installation {
        let root: String
        var database: String { root + "/ingest.sqlite" }
        let engine: IngestEngine
        let clock = WebhookClock()
        let deliverer: WebhookDeliverer

        init(hooks: String, allowPrivate: Bool = true, secrets: [String: String] = ["INGEST_SECRET_HOOK_A": WebhookTests.secret,
                                                                                     "INGEST_SECRET_HOOK_B": WebhookTests.otherSecret],
             root existing: String? = nil) throws {
            root = existing ?? NSTemporaryDirectory() + "ingest-hooks-\(UUID().uuidString.prefix(8))"
            try FileManager.default.createDirectory(atPath: root + "/importers", withIntermediateDirectories: true)
            let definition = itemsDefinition(chunkSize: 2).replacingOccurrences(of: "\"row_log\": \"failed\",",
                                                                                 with: "\"row_log\": \"failed\", \"webhooks\": \(hooks),")
            try definition.write(toFile: root + "/importers/items.json", atomically: true, encoding: .utf8)
            var configuration = EngineConfiguration(databasePath: root + "/ingest.sqlite", importersDirectory: root + "/importers",
                                                    uploadsDirectory: root + "/uploads", dataRoot: root, allowPrivateURLs: allowPrivate)
            configuration.secrets = { secrets[$0] }
            engine = try IngestEngine(configuration: configuration)
            deliverer = WebhookDeliverer(engine: engine, clock: clock)
        }

        func remove() { try? FileManager.default.removeItem(atPath: root) }

        /// Imports `csv` and returns the finished run.
        func run(_ csv: String = WebhookTests.csv) throws -> IngestRun {
            let path = root + "/data-\(UUID().uuidString.prefix(6)).csv"
            try csv.write(toFile: path, atomically: true, encoding: .utf8)
            let id = try engine.createRun(slug: "items", path: path, originalFilename: "data.csv", dryRun: false, userID: nil)
            return try engine.execute(runID: id)
        }

        func deliveries(_ runID: Int64) throws -> [WebhookDelivery] { try engine.openStore().webhookDeliveries(of: runID) }
    }

    static func hook(_ url: String, events: [String]? = nil, secret: String = "INGEST_SECRET_HOOK_A") -> String {
        let list = events.map { ", \"events\": [" + $0.map { "\"\($0)\"" }.joined(separator: ", ") + "]" } ?? ""
        return #"{"url": "\#(url)"\#(list), "secret_env": "\#(secret)"}"#
    }

    /// Checks the headers and the signature of a request the way docs/WEBHOOKS.md tells receivers to.
    static func verify(_ request: Received, secret: String) throws -> JSONValue {
        let timestamp = try #require(request.headers["x-ingest-timestamp"])
        let expected = "sha256=" + HMACSHA256.hexCode(key: Array(secret.utf8), message: Array("\(timestamp).\(request.body)".utf8))
        #expect(request.headers["x-ingest-signature"] == expected)
        #expect(request.headers["content-type"] == "application/json")
        #expect(request.headers["user-agent"] == "Ingest/\(ComponentVersions.ingest)")
        #expect(Int64(timestamp) != nil)
        let body = try JSONValue.parse(request.body)
        #expect(body.string("event") == request.headers["x-ingest-event"])
        #expect(body.string("delivery_id") == request.headers["x-ingest-delivery"])
        #expect(body["run"]?["rows"] == nil, "the run object comes without rows")
        #expect(Timestamp.parse(body.string("occurred_at") ?? "") != nil)
        return body
    }

    @Test("the signature header is sha256= and the HMAC of <timestamp>.<body>, as docs/WEBHOOKS.md computes it")
    func signatureFormat() {
        // The value docs/WEBHOOKS.md's Python snippet computes for these inputs.
        #expect(WebhookSignature.header(secret: "whsec_test", timestamp: 1_700_000_000, body: #"{"event":"run.completed"}"#)
                == "sha256=dc1c184c82eaf20d4e965804e101ce13959bc70f7e2724dae87ff74059928ad1")
    }

    @Test("each hook gets the events it subscribes to, signed over the timestamp and the body")
    func signedAndFiltered() throws {
        let receiver = try Receiver()
        let hooks = "[\(Self.hook(receiver.url("a"), events: ["run.started", "run.chunk", "run.completed"])), "
            + "\(Self.hook(receiver.url("b"), secret: "INGEST_SECRET_HOOK_B"))]"
        let site = try Installation(hooks: hooks)
        defer { site.remove() }
        let run = try site.run()
        #expect(run.status == .completedWithErrors)
        #expect(receiver.all.isEmpty, "nothing is sent before a deliverer runs")
        #expect(try site.deliverer.deliverDue(runID: run.id, until: .now + .seconds(30)) == 0)

        let a = receiver.received(at: "a")
        #expect(a.map { $0.headers["x-ingest-event"] ?? "" }.sorted()
                == ["run.chunk", "run.chunk", "run.chunk", "run.completed", "run.started"])
        for request in a {
            let body = try Self.verify(request, secret: Self.secret)
            #expect(body["run"]?.int("id") == run.id)
            if body.string("event") == "run.completed" {
                #expect(body["run"]?.string("status") == "completed_with_errors")
                #expect(body["run"]?["progress"]?.int("processed") == 5)
            }
            if body.string("event") == "run.started" { #expect(body["run"]?.string("status") == "processing") }
        }
        let b = receiver.received(at: "b")
        #expect(b.map { $0.headers["x-ingest-event"] } == ["run.completed"], "the default events are the final ones")
        _ = try Self.verify(try #require(b.first), secret: Self.otherSecret)
        // The completed payload is the run object of GET /{id} (without rows).
        let completed = try JSONValue.parse(try #require(b.first).body)
        let storedRun = try #require(try site.engine.openStore().run(run.id)).json()
        guard case .object(let sent)? = completed["run"], case .object(let now) = storedRun else {
            Issue.record("the payload's run is not an object: \(String(describing: completed["run"]))")
            return
        }
        #expect(sent.map(\.0) == now.map(\.0), "the same keys in the same order")
        // A whole-number rate goes over the wire as `265` and reads back as an integer.
        func same(_ a: JSONValue, _ b: JSONValue) -> Bool {
            switch (a, b) {
            case (.integer(let i), .number(let d)), (.number(let d), .integer(let i)): return Double(i) == d
            default: return a == b
            }
        }
        for ((key, value), (_, current)) in zip(sent, now) { #expect(same(value, current), "run.\(key): sent \(value), stored \(current)") }

        let deliveries = try site.deliveries(run.id)
        #expect(deliveries.count == 6 && deliveries.allSatisfy { $0.status == .delivered && $0.attemptLog.count == 1 })
        #expect(deliveries.allSatisfy { $0.attemptLog.first?.statusCode == 200 && $0.attemptLog.first?.error == nil })
        let stored = try #require(FileManager.default.contents(atPath: site.database))
        #expect(!String(decoding: stored, as: UTF8.self).contains(Self.secret), "the secret is never stored")
    }

    @Test("a 500 is tried again after the backoff with the same body and delivery id, then delivered")
    func retryAfterFailure() throws {
        let receiver = try Receiver()
        receiver.answer("a", with: [500])
        let site = try Installation(hooks: "[\(Self.hook(receiver.url("a"), events: ["run.completed"]))]")
        defer { site.remove() }
        let run = try site.run()
        let first = try #require(try site.deliverer.deliverNext())
        #expect(first.attempt == 1 && first.statusCode == 500 && first.error == "The receiver answered HTTP 500.")
        let due = try #require(first.nextAttemptAt.flatMap(Timestamp.parse))
        let started = try #require(Timestamp.parse(first.startedAt))
        #expect(Int(due.timeIntervalSince(started).rounded()) == 10, "the first retry waits 10 s")
        #expect(try site.deliverer.deliverNext() == nil, "not due before its time")
        #expect(try site.deliveries(run.id).first?.status == .pending)

        site.clock.advance(by: .seconds(11))
        let second = try #require(try site.deliverer.deliverNext())
        #expect(second.attempt == 2 && second.statusCode == 200 && second.error == nil && second.nextAttemptAt == nil)
        let requests = receiver.received(at: "a")
        #expect(requests.count == 2)
        #expect(requests[0].body == requests[1].body)
        #expect(requests[0].headers["x-ingest-delivery"] == requests[1].headers["x-ingest-delivery"])
        for request in requests { _ = try Self.verify(request, secret: Self.secret) }
        let delivery = try #require(try site.deliveries(run.id).first)
        #expect(delivery.status == .delivered && delivery.attempts == 2 && delivery.attemptLog.map(\.statusCode) == [500, 200])
    }

    @Test("the backoff schedule ends in failed after the last attempt")
    func givesUp() throws {
        let receiver = try Receiver()
        receiver.answer("a", with: Array(repeating: 503, count: WebhookBackoff.maxAttempts))
        let site = try Installation(hooks: "[\(Self.hook(receiver.url("a"), events: ["run.completed"]))]")
        defer { site.remove() }
        let run = try site.run()
        for delay in WebhookBackoff.delays + [.zero] {
            #expect(try site.deliverer.deliverNext() != nil)
            site.clock.advance(by: delay + .seconds(1))
        }
        #expect(try site.deliverer.deliverNext() == nil)
        let delivery = try #require(try site.deliveries(run.id).first)
        #expect(delivery.status == .failed && delivery.attempts == WebhookBackoff.maxAttempts)
        #expect(delivery.attemptLog.last?.nextAttemptAt == nil && delivery.lastStatusCode == 503)
        #expect(receiver.received(at: "a").count == WebhookBackoff.maxAttempts)
    }

    @Test("queued deliveries survive the process: a server started later sends them")
    func survivesRestart() throws {
        let receiver = try Receiver()
        let site = try Installation(hooks: "[\(Self.hook(receiver.url("a"), events: ["run.completed"]))]")
        defer { site.remove() }
        let run = try site.run()
        #expect(try site.deliveries(run.id).map(\.status) == [.pending])

        var engine = site.engine.configuration
        engine.secrets = { $0 == "INGEST_SECRET_HOOK_A" ? WebhookTests.secret : nil }
        var http = HTTPServerConfiguration()
        http.host = "127.0.0.1"
        http.port = 0
        let server = try IngestServer(configuration: IngestServerConfiguration(engine: engine, http: http), logger: { _ in })
        _ = try server.start()
        defer { server.stop() }
        let deadline = ContinuousClock.now + .seconds(20)
        while try server.engine.openStore().webhookDeliveries(of: run.id).first?.status != .delivered, ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(try site.deliveries(run.id).map(\.status) == [.delivered])
        let request = try #require(receiver.received(at: "a").first)
        _ = try Self.verify(request, secret: Self.secret)
    }

    @Test("a delivery whose deliverer died is taken again once its lease runs out")
    func expiredLease() throws {
        let receiver = try Receiver()
        let site = try Installation(hooks: "[\(Self.hook(receiver.url("a"), events: ["run.completed"]))]")
        defer { site.remove() }
        let run = try site.run()
        let store = try site.engine.openStore()
        let now = Date()
        // A deliverer claims it and dies before recording anything.
        let claimed = try store.claimDueWebhook(now: Timestamp.format(now), owner: "gone", leaseUntil: Timestamp.format(now.addingTimeInterval(70)))
        #expect(claimed?.status == .sending)
        #expect(try site.deliverer.deliverNext() == nil, "a live lease is respected")
        site.clock.advance(by: .seconds(71))
        let attempt = try #require(try site.deliverer.deliverNext())
        #expect(attempt.attempt == 2 && attempt.statusCode == 200)
        #expect(try site.deliveries(run.id).first?.status == .delivered)
        #expect(receiver.received(at: "a").count == 1)
    }

    @Test("two deliverers on one database never send a delivery twice")
    func concurrentClaims() throws {
        let receiver = try Receiver()
        let site = try Installation(hooks: "[\(Self.hook(receiver.url("a"), events: ["run.started", "run.chunk", "run.completed"]))]")
        defer { site.remove() }
        for _ in 0..<4 { _ = try site.run() }
        let total = try Int(Connection(path: site.database).scalar("SELECT COUNT(*) FROM ingest_webhook_deliveries")?.integerValue ?? 0)
        #expect(total == 20)
        let other = WebhookDeliverer(engine: try IngestEngine(configuration: site.engine.configuration), clock: site.clock)
        let group = DispatchGroup()
        let failures = Mutex(0)
        for deliverer in [site.deliverer, other] {
            DispatchQueue.global().async(group: group) {
                do { while try deliverer.deliverNext() != nil {} } catch { failures.withLock { $0 += 1 } }
            }
        }
        group.wait()
        #expect(failures.withLock { $0 } == 0)
        let ids = receiver.all.compactMap { $0.headers["x-ingest-delivery"] }
        #expect(ids.count == total && Set(ids).count == total)
    }

    @Test("a run recovery finds interrupted sends run.failed; a pending run cancelled before it starts sends run.cancelled")
    func recoveryAndCancel() throws {
        let receiver = try Receiver()
        let site = try Installation(hooks: "[\(Self.hook(receiver.url("a"), events: ["run.started", "run.failed", "run.cancelled"]))]")
        defer { site.remove() }
        let store = try site.engine.openStore()
        let hash = try site.engine.importer("items").loaded.contentHash
        let crashed = try store.createRun(.init(importer: "items", definitionHash: hash))
        let dead = RunOwner(host: LocalRunOwnership.hostName, pid: 999_999, startedAt: "2020-01-01T00:00:00.000000Z")
        #expect(try store.claim(crashed, owner: dead, definitionHash: hash, webhooks: site.engine.webhooks(importer: "items", definitionHash: hash)))
        #expect(try site.engine.recoverAbandonedRuns() == [crashed])
        let pending = try store.createRun(.init(importer: "items", definitionHash: hash))
        #expect(try site.engine.requestCancellation(of: pending) == .requested)
        #expect(try site.deliveries(crashed).map(\.event) == [.started, .failed])
        #expect(try site.deliveries(pending).map(\.event) == [.cancelled])
        while try site.deliverer.deliverNext() != nil {}
        let failed = try #require(receiver.all.first { $0.headers["x-ingest-event"] == "run.failed" })
        let body = try Self.verify(failed, secret: Self.secret)
        #expect(body["run"]?.string("status") == "failed")
        #expect(body["run"]?.string("failure_reason")?.hasPrefix("interrupted") == true)
        #expect(receiver.all.count == 3)
    }

    @Test("a dry run sends its start and end but no chunk events: it commits nothing")
    func dryRun() throws {
        let receiver = try Receiver()
        let site = try Installation(hooks: "[\(Self.hook(receiver.url("a"), events: ["run.started", "run.chunk", "run.completed"]))]")
        defer { site.remove() }
        let path = site.root + "/dry.csv"
        try Self.csv.write(toFile: path, atomically: true, encoding: .utf8)
        let id = try site.engine.createRun(slug: "items", path: path, originalFilename: "dry.csv", dryRun: true, userID: nil)
        let run = try site.engine.execute(runID: id)
        #expect(try site.deliveries(run.id).map(\.event) == [.started, .completed])
    }

    @Test("ingest check warns about a secret variable that is not set, and passes")
    func checkWarnsAboutUnsetSecret() throws {
        let site = try Installation(hooks: "[\(Self.hook("https://hooks.example.com/x", events: ["run.completed"], secret: "INGEST_SECRET_NOT_SET"))]")
        defer { site.remove() }
        let environment = ["INGEST_DATABASE": site.database, "INGEST_IMPORTERS": site.root + "/importers", "INGEST_ALLOWED_URL_HOSTS": "other.example.com"]
        let check = Self.ingest(["check"], environment: environment)
        #expect(check.code == 0)
        #expect(check.err.contains("/webhooks/0/secret_env: INGEST_SECRET_NOT_SET is not set (or is empty) in this environment"))
        #expect(check.err.contains("/webhooks/0/url: The host 'hooks.example.com' is not in the allowed URL hosts. Deliveries will fail."))
        let set = Self.ingest(["check"], environment: environment.merging(["INGEST_SECRET_NOT_SET": "x", "INGEST_ALLOWED_URL_HOSTS": ""]) { $1 })
        #expect(set.code == 0 && !set.err.contains("Warning"))
    }

    @Test("a loopback receiver is refused without the private-address setting, and nothing is sent")
    func privateAddressRefused() throws {
        let receiver = try Receiver()
        let site = try Installation(hooks: "[\(Self.hook(receiver.url("a"), events: ["run.completed"]))]", allowPrivate: false)
        defer { site.remove() }
        let run = try site.run()
        let attempt = try #require(try site.deliverer.deliverNext())
        #expect(attempt.statusCode == nil)
        #expect(attempt.error == "The host '127.0.0.1' resolves to an internal address (127.0.0.1, loopback); internal addresses are refused.")
        #expect(receiver.all.isEmpty)
        #expect(try site.deliveries(run.id).first?.status == .pending, "tried again later, as any failed attempt")
    }

    @Test("a missing secret variable fails the attempt with a clear error, and nothing is sent unsigned")
    func missingSecret() throws {
        let receiver = try Receiver()
        let site = try Installation(hooks: "[\(Self.hook(receiver.url("a"), events: ["run.completed"], secret: "INGEST_SECRET_NOT_SET"))]")
        defer { site.remove() }
        _ = try site.run()
        let attempt = try #require(try site.deliverer.deliverNext())
        #expect(attempt.error == "The environment variable INGEST_SECRET_NOT_SET is not set (or is empty) in this process, so the delivery was not sent "
                + "(deliveries are never sent unsigned).")
        #expect(attempt.statusCode == nil && attempt.nextAttemptAt != nil)
        #expect(receiver.all.isEmpty)
    }

    @Test("'ingest run' delivers its own hooks before it exits; 'ingest webhooks' and GET /{id}/webhooks show the log without secrets")
    func commandLineAndAPI() throws {
        let receiver = try Receiver()
        receiver.answer("b", with: [500])
        let hooks = "[\(Self.hook(receiver.url("a"), events: ["run.started", "run.completed"])), "
            + "\(Self.hook(receiver.url("b") + "?token=query-secret", events: ["run.completed"]))]"
        let site = try Installation(hooks: hooks)
        defer { site.remove() }
        let file = site.root + "/cli.csv"
        try Self.csv.write(toFile: file, atomically: true, encoding: .utf8)
        let environment = ["INGEST_DATABASE": site.database, "INGEST_IMPORTERS": site.root + "/importers", "INGEST_ALLOW_PRIVATE_URLS": "1",
                           "INGEST_SECRET_HOOK_A": Self.secret]
        let run = Self.ingest(["run", "items", file], environment: environment)
        #expect(run.code == 2)
        #expect(receiver.received(at: "a").count == 2)
        #expect(receiver.received(at: "b").count == 1)
        #expect(run.err.contains("Note: 1 webhook delivery of run 1 is still queued; 'ingest serve' on this database sends it (see 'ingest webhooks 1')."))

        let listing = Self.ingest(["webhooks", "1"], environment: environment)
        #expect(listing.code == 0)
        #expect(listing.out.contains("run.started") && listing.out.contains("delivered") && listing.out.contains("pending"))
        #expect(listing.out.contains("#1") && listing.out.contains("The receiver answered HTTP 500."))
        let json = try JSONValue.parse(Self.ingest(["webhooks", "1", "--json"], environment: environment).out)
        #expect(json.arrayValue?.count == 3)

        let response = try Self.apiGet("/1/webhooks", engine: site.engine)
        #expect(response.status == 200)
        let deliveries = try #require(try JSONValue.parse(response.text)["data"]?.arrayValue)
        #expect(deliveries.map { $0.string("status") } == ["delivered", "delivered", "pending"])
        #expect(deliveries[2].string("url") == "http://127.0.0.1/hook/b", "no port, no query")
        #expect(deliveries[2]["attempt_log"]?.arrayValue?.first?.int("status_code") == 500)
        for text in [response.text, listing.out] {
            #expect(!text.contains(Self.secret) && !text.contains("query-secret"))
        }
        #expect(try Self.apiGet("/99/webhooks", engine: site.engine).status == 404)
    }

    /// `GET` through the API's router (no sockets), with a fresh token.
    static func apiGet(_ path: String, engine: IngestEngine) throws -> (status: Int, text: String) {
        let router = IngestAPI(engine: engine, configuration: APIConfiguration(), logger: { _ in }).makeRouter()
        let token = try TokenStore(engine.openStore()).create(name: "t-\(UUID().uuidString.prefix(6))", userID: 1).token
        let request = HTTPRequest(method: .get, target: APIFixture.prefix + path,
                                  headers: HTTPHeaders([("Authorization", "Bearer \(token)"), ("Host", "127.0.0.1:8080")]),
                                  body: BodyStream(bytes: []))
        let response = router.respond(to: request)
        return (response.status.code, String(decoding: try response.collectBody(), as: UTF8.self))
    }

    @Test("a bad INGEST_WEBHOOK_WAIT_S is a usage error before any run is created")
    func badWait() throws {
        let site = try Installation(hooks: "[]")
        defer { site.remove() }
        let file = site.root + "/cli.csv"
        try Self.csv.write(toFile: file, atomically: true, encoding: .utf8)
        let result = Self.ingest(["run", "items", file], environment: ["INGEST_DATABASE": site.database, "INGEST_IMPORTERS": site.root + "/importers",
                                                                       "INGEST_WEBHOOK_WAIT_S": "soon"])
        #expect(result.code == 64)
        #expect(result.err.contains("INGEST_WEBHOOK_WAIT_S must be a number of seconds from 0 to 3600, not 'soon'."))
        #expect(try site.engine.openStore().runs(limit: 10, offset: 0).total == 0)
    }

    static func ingest(_ arguments: [String], environment: [String: String]) -> (code: Int32, out: String, err: String) {
        let out = Mutex("")
        let err = Mutex("")
        let context = CommandContext(environment: environment, stdout: { text in out.withLock { $0 += text } },
                                     stderr: { text in err.withLock { $0 += text } }, stderrIsTerminal: false)
        let code = IngestCommand.run(arguments, context: context)
        return (code, out.withLock { $0 }, err.withLock { $0 })
    }
}
