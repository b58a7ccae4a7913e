import Engine
import Foundation
import SQLite
import Testing

/// The built `ingest` executable, started as a separate process: what users run.
///
/// `swift test` builds it next to the test bundle, so it is found beside the running test binary.
enum IngestBinary {
    static let path: String = {
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("ingest").path
        if FileManager.default.isExecutableFile(atPath: besideTests) { return besideTests }
        // `swift test` may run the bundle through a runner: fall back to the package's debug build.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/ingest").path
    }()
}

/// One `ingest` process with its output captured in files (a pipe could fill and block it).
final class IngestProcess: @unchecked Sendable {
    // `@unchecked`: the process is driven from the test's thread only.
    let process = Process()
    let stdoutPath: String
    let stderrPath: String
    let arguments: [String]

    /// `addressSpaceKB` runs the process under `ulimit -v` (through `/bin/sh`): an allocation
    /// past it fails, so a test can hold memory use to a bound without measuring it.
    init(_ arguments: [String], in directory: String, environment: [String: String] = [:], addressSpaceKB: Int? = nil) throws {
        self.arguments = arguments
        let tag = UUID().uuidString.prefix(8)
        stdoutPath = directory + "/.out-\(tag)"
        stderrPath = directory + "/.err-\(tag)"
        guard FileManager.default.createFile(atPath: stdoutPath, contents: nil),
              FileManager.default.createFile(atPath: stderrPath, contents: nil) else { throw ProcessError.output(directory) }
        guard FileManager.default.isExecutableFile(atPath: IngestBinary.path) else {
            throw ProcessError.missingBinary(IngestBinary.path)
        }
        if let addressSpaceKB {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ulimit -v \(addressSpaceKB) && exec \"$0\" \"$@\"", IngestBinary.path] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: IngestBinary.path)
            process.arguments = arguments
        }
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment
        for key in env.keys where key.hasPrefix("INGEST_") { env.removeValue(forKey: key) }
        for (k, v) in environment { env[k] = v }
        process.environment = env
        process.standardOutput = FileHandle(forWritingAtPath: stdoutPath)
        process.standardError = FileHandle(forWritingAtPath: stderrPath)
        try process.run()
    }

    var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// Waits for the exit, at most `timeout` (then kills it and throws).
    @discardableResult
    func wait(timeout: Duration = .seconds(60)) throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                throw ProcessError.timedOut(arguments.joined(separator: " "), stderr)
            }
            usleep(10_000)
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// `kill -9`: the process gets no chance to clean up.
    func killHard() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Sends SIGTERM and waits for the exit.
    func terminate() throws {
        kill(process.processIdentifier, SIGTERM)
        try wait(timeout: .seconds(30))
    }

    enum ProcessError: Error, CustomStringConvertible {
        case missingBinary(String)
        case output(String)
        case timedOut(String, String)
        var description: String {
            switch self {
            case .missingBinary(let path): "the ingest executable is not built at \(path)"
            case .output(let directory): "cannot create output files in \(directory)"
            case .timedOut(let command, let stderr): "ingest \(command) did not exit in time; stderr: \(stderr.suffix(500))"
            }
        }
    }
}

/// A folder with importers and a database, driven through `ingest` processes.
final class ProcessFixture {
    let root: String
    /// `--database`: the SQLite file in ``root``, unless the fixture was given another or a test
    /// points it elsewhere (a `postgres://` URL, see `StoreFixture.swift`).
    var database: String
    var environment: [String: String] = [:]

    init(importers: [String: String], database: String? = nil) throws {
        root = NSTemporaryDirectory() + "ingest-proc-\(UUID().uuidString.prefix(8))"
        self.database = database ?? root + "/ingest.sqlite"
        try FileManager.default.createDirectory(atPath: root + "/importers", withIntermediateDirectories: true)
        for (slug, json) in importers { try write(json, to: "importers/\(slug).json") }
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    func write(_ text: String, to relative: String) throws {
        let path = root + "/" + relative
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Starts `ingest ARGS --database … --importers …`.
    func start(_ arguments: [String], environment extra: [String: String] = [:], addressSpaceKB: Int? = nil) throws -> IngestProcess {
        var env = environment
        for (k, v) in extra { env[k] = v }
        return try IngestProcess(arguments + ["--database", database, "--importers", root + "/importers"], in: root, environment: env,
                                 addressSpaceKB: addressSpaceKB)
    }

    /// Runs `ingest ARGS` to its end: exit status, stdout, stderr.
    func ingest(_ arguments: [String], environment extra: [String: String] = [:], timeout: Duration = .seconds(120),
                addressSpaceKB: Int? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = try start(arguments, environment: extra, addressSpaceKB: addressSpaceKB)
        let status = try process.wait(timeout: timeout)
        return (status, process.stdout, process.stderr)
    }

    /// The run as `ingest status ID --json` shows it (which also recovers abandoned runs).
    func status(_ id: Int64) throws -> JSONRun {
        let result = try ingest(["status", String(id), "--json"])
        guard result.status == 0 else { throw FixtureFailure("ingest status \(id) exited \(result.status): \(result.stderr)") }
        return try JSONRun(result.stdout)
    }

    func query(_ sql: String) throws -> [[Value]] {
        try Connection(path: database).query(sql)
    }

    func scalar(_ sql: String) throws -> Int64 {
        try query(sql).first?.first?.integerValue ?? -1
    }

    func count(_ table: String) throws -> Int64 {
        guard try Connection(path: database).tableExists(table) else { return 0 }
        return try scalar("SELECT COUNT(*) FROM \(quoteIdentifier(table))")
    }

    /// Polls `body` every 20 ms until it returns a value; fails after `timeout`.
    func eventually<T>(_ what: String, timeout: Duration = .seconds(60), _ body: () throws -> T?) throws -> T {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let value = try body() { return value }
            guard ContinuousClock.now < deadline else { throw FixtureFailure("timed out waiting for \(what)") }
            usleep(20_000)
        }
    }

    /// A CSV of `rows` items `S-1…`, with `bad` rows (1-based) given an empty name.
    static func itemsCSV(rows: Int, bad: Set<Int> = []) -> String {
        var csv = "SKU,Name,Price\n"
        csv.reserveCapacity(rows * 24)
        for i in 1...rows { csv += "S-\(i),\(bad.contains(i) ? "" : "Item \(i)"),\(i % 100)\n" }
        return csv
    }
}

/// The fields of a run's JSON the lifecycle tests read.
struct JSONRun {
    let json: JSONValue
    init(_ text: String) throws {
        do { json = try JSONValue.parse(text) } catch { throw FixtureFailure("not a run: \(text.prefix(300))") }
    }
    var status: String { json.string("status") ?? "" }
    var failureReason: String { json.string("failure_reason") ?? "" }
    func progress(_ key: String) -> Int64 { json["progress"]?.int(key) ?? -1 }
}

struct FixtureFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
