import Engine
import Foundation
import SQLite

/// `ingest serve --port 0` as a separate process, and requests to it over loopback.
final class ServerProcess {
    let process: IngestProcess
    let port: Int

    /// Starts the server and waits (bounded) for its "Listening on" line.
    init(_ f: ProcessFixture, extra: [String] = []) throws {
        let started = try f.start(["serve", "--host", "127.0.0.1", "--port", "0"] + extra)
        process = started
        let line = try f.eventually("the server to listen", timeout: .seconds(30)) { () -> String? in
            guard started.process.isRunning else { throw FixtureFailure("ingest serve exited: \(started.stderr)") }
            return started.stderr.split(separator: "\n").first { $0.hasPrefix("Listening on http://") }.map(String.init)
        }
        let afterHost = line.dropFirst("Listening on http://127.0.0.1:".count)
        guard let port = Int(afterHost.prefix { $0.isNumber }) else { throw FixtureFailure("no port in '\(line)'") }
        self.port = port
    }

    deinit {
        if process.process.isRunning { process.killHard() }
    }

    /// A new token from `ingest token create`.
    static func token(_ f: ProcessFixture) throws -> String {
        let process = try IngestProcess(["token", "create", "--name", "t-\(UUID().uuidString.prefix(8))", "--user-id", "1",
                                         "--database", f.database], in: f.root)
        let created = (status: try process.wait(), stdout: process.stdout, stderr: process.stderr)
        let token = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard created.status == 0, token.hasPrefix("ingest_") else { throw FixtureFailure("token create: \(created.stderr)") }
        return token
    }

    private func client() -> TestHTTPClient { TestHTTPClient(port: port) }

    func get(_ path: String, token: String) throws -> TestHTTPClient.Response {
        try client().send("GET", APIFixture.prefix + path, headers: [("Authorization", "Bearer \(token)")])
    }

    func post(_ path: String, token: String) throws -> TestHTTPClient.Response {
        try client().send("POST", APIFixture.prefix + path, headers: [("Authorization", "Bearer \(token)")])
    }

    func upload(_ slug: String, csv: String, token: String) throws -> TestHTTPClient.Response {
        var form = MultipartBody()
        form.file("file", filename: "items.csv", content: Array(csv.utf8))
        return try client().send("POST", APIFixture.prefix + "/upload/\(slug)",
                                 headers: [("Authorization", "Bearer \(token)"), ("Content-Type", form.contentType)], body: form.finished)
    }

    /// Polls `GET /{id}` until the run has finished (bounded).
    func waitUntilFinished(_ id: Int64, token: String, timeout: Duration = .seconds(60)) throws -> JSONValue {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let run = try get("/\(id)", token: token).data,
               ["completed", "completed_with_errors", "failed", "cancelled"].contains(run.string("status") ?? "") {
                return run
            }
            guard ContinuousClock.now < deadline else { throw FixtureFailure("run \(id) did not finish in time") }
            usleep(50_000)
        }
    }
}

/// Another connection holding SQLite's write lock, as a second program would.
final class LockHolder {
    private let connection: Connection

    /// Takes the write lock between two of a running import's chunks (bounded attempts).
    init(path: String) throws {
        connection = try Connection(path: path, busyTimeout: 0)
        let deadline = ContinuousClock.now + .seconds(30)
        while true {
            do {
                try connection.begin(.immediate)
                try connection.execute("CREATE TABLE IF NOT EXISTS lock_holder (x)")
                return
            } catch where error.isBusy {
                guard ContinuousClock.now < deadline else { throw FixtureFailure("could not take the write lock") }
                usleep(200)
            }
        }
    }

    func release() { try? connection.rollback() }
}

/// A tmpfs of a few megabytes: a disk that fills up. Needs root (tests and CI run as root).
final class SmallDisk {
    let path: String

    init(megabytes: Int) throws {
        path = NSTemporaryDirectory() + "ingest-disk-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", path]
        try mount.run()
        mount.waitUntilExit()
        guard mount.terminationStatus == 0 else {
            throw FixtureFailure("mounting a \(megabytes) MB tmpfs failed (exit \(mount.terminationStatus)); this test needs root")
        }
    }

    func unmount() {
        let umount = Process()
        umount.executableURL = URL(fileURLWithPath: "/bin/umount")
        umount.arguments = ["-l", path]
        try? umount.run()
        umount.waitUntilExit()
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Reads a database file directly.
struct SQLiteConnection {
    let connection: Connection
    init(_ path: String) throws { connection = try Connection(path: path) }

    func scalar(_ sql: String) throws -> Int64 { try connection.query(sql).first?.first?.integerValue ?? -1 }

    func count(_ table: String) throws -> Int64 {
        guard try connection.tableExists(table) else { return 0 }
        return try scalar("SELECT COUNT(*) FROM \(quoteIdentifier(table))")
    }
}
