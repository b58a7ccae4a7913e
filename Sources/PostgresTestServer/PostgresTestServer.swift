import Foundation
import Postgres
import Synchronization

/// The tests' PostgreSQL server: the cluster `.ci/test` started (`INGEST_TEST_POSTGRES_URL`), or
/// else a private one this process starts once through `.ci/postgres start` and stops at exit.
/// ``freshDatabase()`` gives each test a database of its own.
///
/// When PostgreSQL is not installed, both throw ``Unavailable`` with the command that installs it:
/// a test that needs the server fails, never skips.
package enum PostgresTestServer {
    /// Why there is no server, with what to do about it.
    package struct Unavailable: Error, CustomStringConvertible {
        package let description: String
    }

    private enum State {
        case notStarted
        case ready(url: String, ownDirectory: URL?)
        case failed(String)
    }

    private static let state = Mutex<State>(.notStarted)
    private static let databaseCounter = Atomic<Int>(0)

    /// The server's URL (its `postgres` database), starting a private cluster on first use.
    package static var shared: String {
        get throws(Unavailable) {
            let result: Result<String, Unavailable> = state.withLock { state in
                if case .notStarted = state { state = start() }
                switch state {
                case .ready(let url, _): return .success(url)
                case .failed(let message): return .failure(Unavailable(description: message))
                case .notStarted: return .failure(Unavailable(description: "the PostgreSQL test server did not start"))
                }
            }
            return try result.get()
        }
    }

    /// Creates a database with a unique name on the test server and returns its URL.
    package static func freshDatabase() throws -> String {
        let base = try shared
        let number = databaseCounter.add(1, ordering: .relaxed).newValue
        let name = "ingest_test_\(getpid())_\(number)_\(UInt32.random(in: 0 ... .max))"
        let connection = try PGConnection(base)
        try connection.execute("CREATE DATABASE " + quoteIdentifier(name))
        return url(base, database: name)
    }

    /// `base` with its database replaced by `database` (query parameters kept).
    package static func url(_ base: String, database: String) -> String {
        let query = base.firstIndex(of: "?").map { String(base[$0...]) } ?? ""
        let location = query.isEmpty ? base : String(base[..<base.index(base.endIndex, offsetBy: -query.count)])
        guard let scheme = location.firstRange(of: "://") else { return location + "/" + database + query }
        let rest = location[scheme.upperBound...]
        let authority = rest.prefix { $0 != "/" }
        return String(location[..<authority.endIndex]) + "/" + database + query
    }

    private static func start() -> State {
        if let url = ProcessInfo.processInfo.environment["INGEST_TEST_POSTGRES_URL"], !url.isEmpty {
            return .ready(url: url, ownDirectory: nil)
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let script = root.appendingPathComponent(".ci/postgres")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ingest-postgres-\(getpid())-\(UInt32.random(in: 0 ... .max))")
        do {
            let (status, output, errors) = try run(script, ["start", directory.path])
            guard status == 0, let url = output.split(separator: "\n").last.map(String.init), !url.isEmpty else {
                try? FileManager.default.removeItem(at: directory)
                return .failed("cannot start the PostgreSQL test server (.ci/postgres start): \(errors) — install PostgreSQL with `.ci/install-deps` (apt-get install postgresql libpq-dev)")
            }
            atexit { PostgresTestServer.stopAtExit() }
            return .ready(url: url, ownDirectory: directory)
        } catch {
            return .failed("cannot run .ci/postgres: \(error)")
        }
    }

    /// Stops the private cluster this process started, and removes its directory.
    private static func stopAtExit() {
        guard case .ready(_, let directory?) = state.withLock({ $0 }) else { return }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".ci/postgres")
        _ = try? run(script, ["stop", directory.path])
        try? FileManager.default.removeItem(at: directory)
    }

    private static func run(_ executable: URL, _ arguments: [String]) throws -> (Int32, String, String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let errorData = Mutex<Data>(Data())
        let errorsRead = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            let data = errors.fileHandleForReading.readDataToEndOfFile()
            errorData.withLock { $0 = data }
            errorsRead.signal()
        }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        errorsRead.wait()
        let errorText = errorData.withLock { String(decoding: $0, as: UTF8.self) }
        return (process.terminationStatus, String(decoding: outputData, as: UTF8.self), errorText.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
