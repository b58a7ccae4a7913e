import API
import Engine
import Foundation
import HTTP
import Testing

/// One event as a client reads it off the wire.
struct ReceivedEvent {
    var id: String?
    var name: String?
    var data: String
    var json: JSONValue? { try? JSONValue.parse(bytes: Array(data.utf8)) }
}

/// An EventSource over a loopback socket: sends the request, reads the head, then events.
final class EventStreamClient {
    let socket: TestSocket
    let status: Int
    let headers: [String: String]
    /// Comment lines seen so far (`keep-alive`).
    private(set) var comments: [String] = []

    init(port: Int, path: String, token: String?, headers extra: [(String, String)] = []) throws {
        socket = try TestSocket(port: port)
        var head = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAccept: text/event-stream\r\n"
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        for (name, value) in extra { head += "\(name): \(value)\r\n" }
        try socket.send(head + "\r\n")
        let statusLine = try socket.readLine(timeout: .seconds(20))
        status = Int(statusLine.split(separator: " ").dropFirst().first ?? "") ?? -1
        var headers: [String: String] = [:]
        while true {
            let line = try socket.readLine(timeout: .seconds(20))
            if line.isEmpty { break }
            if let colon = line.firstIndex(of: ":") {
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        self.headers = headers
    }

    /// The next event; comments are recorded and skipped. Throws when the stream closes first.
    func next(timeout: Duration = .seconds(20)) throws -> ReceivedEvent {
        var event = ReceivedEvent(data: "")
        var sawField = false
        while true {
            let line = try socket.readLine(timeout: timeout)
            if line.isEmpty {
                if sawField { return event }
                continue
            }
            if line.hasPrefix(":") {
                comments.append(line.dropFirst().trimmingCharacters(in: .whitespaces))
                continue
            }
            sawField = true
            let value = line.split(separator: ":", maxSplits: 1).dropFirst().first.map { $0.hasPrefix(" ") ? String($0.dropFirst()) : String($0) } ?? ""
            let field = line.prefix(while: { $0 != ":" })
            switch field {
            case "id": event.id = value
            case "event": event.name = value
            case "data": event.data += (event.data.isEmpty ? "" : "\n") + value
            default: break
            }
        }
    }

    /// Reads lines until a `keep-alive` comment has arrived.
    func waitForHeartbeat(timeout: Duration = .seconds(20)) throws {
        while !comments.contains("keep-alive") {
            let line = try socket.readLine(timeout: timeout)
            if line.hasPrefix(":") { comments.append(line.dropFirst().trimmingCharacters(in: .whitespaces)) }
        }
    }
}

@Suite("Live events: Server-Sent Events of one run and of every run")
struct EventStreamTests {
    /// A fixture without workers (runs stay where the test puts them) and a real listener over
    /// its API, with short ticks so the tests do not wait.
    final class Live {
        let fixture: APIFixture
        let server: HTTPServer
        let store: RunStore

        init(maxEventStreams: Int = 16, heartbeat: Duration = .seconds(15)) throws {
            fixture = try APIFixture(importers: ["items": itemsDefinition(), "other": itemsDefinition()], serve: false)
            let configuration = HTTPServerConfiguration(
                host: "127.0.0.1", port: 0, maxEventStreams: maxEventStreams, eventStreamTick: .milliseconds(20),
                eventStreamHeartbeat: heartbeat)
            server = HTTPServer(configuration: configuration, router: fixture.router, logger: HTTPServer.silentLogger)
            try server.start()
            store = try fixture.engine.openStore()
        }

        deinit { server.stop() }

        func open(_ path: String, headers: [(String, String)] = []) throws -> EventStreamClient {
            try EventStreamClient(port: server.port, path: APIFixture.prefix + path, token: fixture.token, headers: headers)
        }

        func newRun(_ importer: String = "items") throws -> Int64 {
            try store.createRun(RunStore.NewRun(importer: importer, originalFilename: "data.csv"))
        }

        static let owner = RunOwner(host: "elsewhere", pid: 4242, startedAt: "2024-01-01T00:00:00.000000Z")
    }

    @Test("a run's stream: status at once, status on change, progress with rates, then the final event and the close")
    func runStream() throws {
        let live = try Live()
        let id = try live.newRun()
        let stream = try live.open("/\(id)/events")
        #expect(stream.status == 200)
        #expect(stream.headers["content-type"] == "text/event-stream")

        let first = try stream.next()
        #expect(first.id == "1")
        #expect(first.name == "status")
        #expect(first.json?.string("status") == "pending")
        #expect(first.json?["rows"]?.arrayValue == [], "the data is the run of GET /{id}?rows=0")

        #expect(try live.store.claim(id, owner: Live.owner, definitionHash: nil))
        let claimed = try stream.next()
        #expect(claimed.id == "2")
        #expect(claimed.name == "status")
        #expect(claimed.json?.string("status") == "processing")

        var counts = RunCounts()
        counts.processed = 40; counts.successful = 30; counts.created = 25; counts.updated = 5; counts.failed = 10
        try live.store.updateProgress(id, counts: counts, bytesRead: 400, bytesTotal: 1000)
        let progress = try stream.next()
        #expect(progress.id == "3")
        #expect(progress.name == "progress")
        let data = try #require(progress.json)
        #expect(data["progress"]?.int("processed") == 40)
        #expect(data["progress"]?.int("created") == 25)
        #expect(data["progress"]?.int("bytes_read") == 400)
        #expect(data["rows_per_second"]?.resolved != JSONValue.null)
        #expect(data["eta_seconds"]?.resolved != JSONValue.null, "bytes read of a known size give an ETA")

        counts.processed = 100; counts.successful = 90; counts.created = 85
        #expect(try live.store.finish(id, RunStore.Ending(status: .completedWithErrors, counts: counts, bytesRead: 1000)))
        let final = try stream.next()
        #expect(final.id == "4")
        #expect(final.name == "completed")
        #expect(final.json?.string("status") == "completed_with_errors")
        #expect(final.json?["eta_seconds"]?.resolved == JSONValue.null)
        #expect(stream.socket.waitForClose(timeout: .seconds(10)), "the server closes the stream after the final event")
        _ = try live.fixture.eventually("the stream to leave the budget") { live.server.openEventStreams == 0 ? true : nil }
    }

    @Test("a finished run's stream sends the final event at once, the same object as GET /{id}?rows=0, and closes")
    func finishedRun() throws {
        let live = try Live()
        let id = try live.newRun()
        #expect(try live.store.requestCancellation(of: id) == .requested)
        let response = try TestHTTPClient(port: live.server.port).send(
            "GET", APIFixture.prefix + "/\(id)/events", headers: [("Authorization", "Bearer \(live.fixture.token)")])
        #expect(response.status == 200)
        let text = response.text
        #expect(text.hasPrefix("id: 1\nevent: cancelled\ndata: {"))
        #expect(text.hasSuffix("}\n\n"))
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("data: ") })
        let data = try JSONValue.parse(bytes: Array(line.dropFirst(6).utf8))
        let polled = try #require(try live.fixture.get("/\(id)?rows=0").data)
        #expect(data == polled)
    }

    @Test("Last-Event-ID resumes the ids and sends the current state at once; a bad one is 400")
    func resume() throws {
        let live = try Live()
        let id = try live.newRun()
        let stream = try live.open("/\(id)/events", headers: [("Last-Event-ID", "41")])
        let first = try stream.next()
        #expect(first.id == "42")
        #expect(first.name == "status")
        let bad = try live.fixture.request("GET", "/\(id)/events", headers: [("Last-Event-ID", "x1")])
        #expect(bad.status == 400)
        #expect(bad.message?.contains("Last-Event-ID") == true)
    }

    @Test("unknown runs are 404 JSON, and a stream needs the token like any read")
    func refusals() throws {
        let live = try Live()
        let missing = try live.fixture.get("/999/events")
        #expect(missing.status == 404)
        #expect(missing.message != nil)
        let anonymous = try EventStreamClient(port: live.server.port, path: APIFixture.prefix + "/events", token: nil)
        #expect(anonymous.status == 401)
        let badStatus = try live.fixture.get("/events?status=done")
        #expect(badStatus.status == 422)
    }

    @Test("the run list stream reports created runs and their changes, filtered by importer, through the database")
    func listStream() throws {
        let live = try Live()
        let stream = try live.open("/events?importer=items")
        #expect(stream.status == 200)
        // The stream took its starting point before its head was sent: the runs below are changes.
        let ignored = try live.newRun("other")
        let created = try live.newRun("items")
        let first = try stream.next()
        #expect(first.name == "run")
        #expect(first.id == "1")
        #expect(first.json?.int("id") == created, "run \(ignored) of another importer is not reported")
        #expect(first.json?.string("status") == "pending")

        #expect(try live.store.claim(created, owner: Live.owner, definitionHash: nil))
        let claimed = try stream.next()
        #expect(claimed.id == "2")
        #expect(claimed.json?.int("id") == created)
        #expect(claimed.json?.string("status") == "processing")
    }

    @Test("the list stream, resumed, sends the live runs at once; quiet streams get keep-alive comments")
    func listResumeAndHeartbeat() throws {
        let live = try Live(heartbeat: .milliseconds(50))
        let pending = try live.newRun("items")
        let stream = try live.open("/events?status=pending", headers: [("Last-Event-ID", "7")])
        let first = try stream.next()
        #expect(first.id == "8")
        #expect(first.json?.int("id") == pending)
        try stream.waitForHeartbeat()
    }

    @Test("a run executed by another process (ingest run on the same database) is followed to its end through the database")
    func otherProcess() throws {
        let live = try Live()
        let list = try live.open("/events?importer=items")
        let file = live.fixture.root + "/feed.csv"
        try ProcessFixture.itemsCSV(rows: 20_000, bad: [7]).write(toFile: file, atomically: true, encoding: .utf8)
        let process = try IngestProcess(
            ["run", "items", file, "--database", live.fixture.databasePath, "--importers", live.fixture.importersDirectory],
            in: live.fixture.root)
        var statuses: [String] = []
        var id: Int64?
        var lastProcessed: Int64 = -1
        while !["completed_with_errors", "failed", "cancelled", "completed"].contains(statuses.last ?? "") {
            let event = try list.next(timeout: .seconds(60))
            let data = try #require(event.json)
            #expect(event.name == "run")
            if id == nil { id = data.int("id") }
            #expect(data.int("id") == id, "only the one run changes")
            let processed = data["progress"]?.int("processed") ?? -1
            #expect(processed >= lastProcessed, "progress never goes back")
            lastProcessed = processed
            statuses.append(data.string("status") ?? "")
        }
        #expect(try process.wait() == 2, "one row failed: ingest run exits 2")
        #expect(statuses.last == "completed_with_errors")
        #expect(lastProcessed == 20_000)
        let runID = try #require(id)
        let stream = try live.open("/\(runID)/events")
        let final = try stream.next()
        #expect(final.name == "completed")
        #expect(final.json?["progress"]?.int("failed") == 1)
    }

    @Test("100 open streams take no connection slot: the API keeps answering; a closed client frees its stream")
    func hundredStreams() throws {
        let fixture = try APIFixture(importers: ["items": itemsDefinition()], http: HTTPServerConfiguration(
            maxConnections: 8, maxEventStreams: 100, eventStreamTick: .milliseconds(50)))
        let server = try #require(fixture.server)
        var streams: [EventStreamClient] = []
        for _ in 0..<100 {
            let stream = try EventStreamClient(port: server.port, path: APIFixture.prefix + "/events", token: fixture.token)
            #expect(stream.status == 200)
            streams.append(stream)
        }
        _ = try fixture.eventually("100 streams") { server.openEventStreams == 100 ? true : nil }
        for _ in 0..<20 {
            #expect(try fixture.get("/health").status == 200)
            #expect(try fixture.get("/?per_page=1").status == 200)
        }
        // The budget is used up: a clear 503; a client that goes away frees its place.
        let refused = try fixture.get("/events")
        #expect(refused.status == 503)
        #expect(refused.message?.contains("event streams") == true)
        #expect(refused.header("retry-after") != nil)
        streams.removeLast()
        _ = try fixture.eventually("the closed stream to be noticed") { server.openEventStreams == 99 ? true : nil }
        let again = try EventStreamClient(port: server.port, path: APIFixture.prefix + "/events", token: fixture.token)
        #expect(again.status == 200)
        // A run started meanwhile reaches every stream.
        let id = try #require(try fixture.upload("items", content: itemsCSV).data?.int("id"))
        for stream in [streams[0], streams[98], again] {
            let event = try stream.next()
            #expect(event.json?.int("id") == id)
        }
    }
}

@Suite("GET /{id}?rows=N and the rate fields")
struct RunPollingTests {
    @Test("rows=0 keeps the shape with rows empty; rows=N caps; bad values are 422; the default is unchanged")
    func rowsSwitch() throws {
        let fixture = try APIFixture(importers: ["items": itemsDefinition()])
        let id = try #require(try fixture.upload("items", content: itemsCSV).data?.int("id"))
        let finished = try fixture.waitUntilFinished(id)
        let full = try #require(try fixture.get("/\(id)").data)
        #expect(full["rows"]?.arrayValue?.count == 2)
        #expect(finished == full)
        let none = try #require(try fixture.get("/\(id)?rows=0").data)
        #expect(none["rows"]?.arrayValue == [])
        #expect(none.objectValue?.map(\.0) == full.objectValue?.map(\.0), "the same keys in the same order")
        #expect(try fixture.get("/\(id)?rows=1").data?["rows"]?.arrayValue?.count == 1)
        #expect(try fixture.get("/\(id)?rows=1000").data?["rows"]?.arrayValue?.count == 2)
        for bad in ["-1", "abc", "", "1.5", "+1"] {
            let response = try fixture.get("/\(id)?rows=\(bad)")
            #expect(response.status == 422, "rows=\(bad)")
            #expect(response.json?["errors"]?["rows"] != nil)
        }
        // A finished run: its overall rate, and no ETA.
        #expect(full["rows_per_second"] != nil)
        #expect(full["eta_seconds"]?.resolved == JSONValue.null)
        let listed = try #require(try fixture.get("/").data?.arrayValue?.first)
        #expect(listed["rows_per_second"] != nil)
        #expect(listed["eta_seconds"] != nil)
    }

    @Test("the rate: null before a run starts, rows over elapsed time, ETA from bytes while processing")
    func rate() throws {
        let fixture = try APIFixture(importers: ["items": itemsDefinition()], serve: false)
        let store = try fixture.engine.openStore()
        var run = try #require(try store.run(store.createRun(RunStore.NewRun(importer: "items"))))
        #expect(run.rate() == RunRate(rowsPerSecond: nil, etaSeconds: nil))
        run.status = .processing
        run.startedAt = "2024-01-01T00:00:00.000000Z"
        run.counts.processed = 500
        run.bytesRead = 250
        run.bytesTotal = 1000
        let now = try #require(Timestamp.parse("2024-01-01T00:00:10.000000Z"))
        #expect(run.rate(at: now) == RunRate(rowsPerSecond: 50, etaSeconds: 30))
        run.status = .completed
        run.completedAt = "2024-01-01T00:00:20.000000Z"
        #expect(run.rate(at: now) == RunRate(rowsPerSecond: 25, etaSeconds: nil))
    }
}
