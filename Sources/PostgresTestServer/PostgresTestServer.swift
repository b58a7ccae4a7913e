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

    /// Runs the script with its output in files, through posix_spawn and waitpid (Foundation's
    /// `Process` can miss the exit of a child whose descendants, the server, keep running).
    private static func run(_ executable: URL, _ arguments: [String]) throws -> (Int32, String, String) {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("ingest-postgres-run-\(getpid())-\(UInt32.random(in: 0 ... .max))")
        let outputFile = base.appendingPathExtension("out").path
        let errorFile = base.appendingPathExtension("err").path
        defer {
            unlink(outputFile)
            unlink(errorFile)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputFile, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errorFile, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable.path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable.path, &actions, nil, argv, environ)
        guard spawned == 0 else { throw Unavailable(description: "cannot run \(executable.lastPathComponent): error \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exitCode = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        let outputText = (try? String(contentsOfFile: outputFile, encoding: .utf8)) ?? ""
        let errorText = (try? String(contentsOfFile: errorFile, encoding: .utf8)) ?? ""
        return (exitCode, outputText, errorText.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
