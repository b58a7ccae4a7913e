import Foundation
import Synchronization
@testable import CLI

/// Runs `ingest` commands in-process, capturing stdout and stderr.
final class CLIHarness: Sendable {
    let root: String
    private let out = Mutex("")
    private let err = Mutex("")

    init() throws {
        root = NSTemporaryDirectory() + "ingest-cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root + "/importers", withIntermediateDirectories: true)
        // The shipped importers and examples, so the tests exercise what users get.
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        for name in ["products.json", "users.json"] {
            try FileManager.default.copyItem(atPath: repo + "/importers/" + name, toPath: root + "/importers/" + name)
        }
        try FileManager.default.copyItem(atPath: repo + "/examples", toPath: root + "/examples")
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    var stdout: String { out.withLock { $0 } }
    var stderr: String { err.withLock { $0 } }

    /// Runs one command line with `--database`/`--importers` from the environment; returns the exit code.
    @discardableResult
    func run(_ arguments: String...) -> Int32 { run(arguments) }

    func run(_ arguments: [String]) -> Int32 {
        out.withLock { $0 = "" }
        err.withLock { $0 = "" }
        let context = CommandContext(
            environment: ["INGEST_DATABASE": root + "/ingest.sqlite", "INGEST_IMPORTERS": root + "/importers"],
            stdout: { text in self.out.withLock { $0 += text } },
            stderr: { text in self.err.withLock { $0 += text } },
            stderrIsTerminal: false)
        return IngestCommand.run(arguments, context: context)
    }

    func path(_ relative: String) -> String { root + "/" + relative }
}
