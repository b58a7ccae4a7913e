import Foundation
import Testing

/// The dashboard in a real browser: `Tests/Browser/dashboard_test.py` drives headless Chromium
/// (Selenium) against a real `ingest serve` started here. Missing Chromium, chromedriver or
/// Selenium is a failure that says how to install them (`.ci/install-deps`), never a skip.
@Suite("Dashboard in a browser")
struct BrowserTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("sign in, upload, watch the run finish, inspect its errors, download failed rows, read the importers")
    func dashboard() throws {
        try BrowserTests.requireTools()
        let f = try ProcessFixture(importers: [:])
        for name in ["products", "users"] {
            let text = try String(contentsOf: Self.root.appendingPathComponent("importers/\(name).json"), encoding: .utf8)
            try f.write(text, to: "importers/\(name).json")
        }
        try f.write("{\n  \"name\": \"Broken\",\n  \"target\": { \"table\": 5 }\n}\n", to: "importers/broken.json")
        let create = try IngestProcess(["token", "create", "--name", "browser", "--scope", "read,run", "--database", f.database], in: f.root)
        let status = try create.wait()
        let token = create.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try #require(status == 0 && token.hasPrefix("ingest_"), "token create: \(create.stderr)")
        let server = try ServerProcess(f)
        let artifacts = Self.root.appendingPathComponent(".build/dashboard-artifacts").path
        try? FileManager.default.removeItem(atPath: artifacts)
        let result = try Self.run("/usr/bin/env", [
            "python3", Self.root.appendingPathComponent("Tests/Browser/dashboard_test.py").path,
            "--url", "http://127.0.0.1:\(server.port)", "--token", token,
            "--file", Self.root.appendingPathComponent("examples/products.csv").path, "--artifacts", artifacts,
        ], timeout: .seconds(360))
        print(result.output.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(result.status == 0, "the browser test failed (exit \(result.status)):\n\(result.output)\nserver log:\n\(server.process.stderr.suffix(3000))")
    }

    /// Fails with the install command when Chromium, chromedriver or Selenium is missing.
    static func requireTools() throws {
        var missing: [String] = []
        for tool in ["chromium", "chromedriver"] where (try? run("/usr/bin/env", ["sh", "-c", "command -v \(tool)"], timeout: .seconds(10)))?.status != 0 {
            missing.append(tool)
        }
        if (try? run("/usr/bin/env", ["python3", "-c", "import selenium"], timeout: .seconds(30)))?.status != 0 { missing.append("selenium (python3)") }
        if !missing.isEmpty {
            throw BrowserTestFailure(description: "The browser test needs \(missing.joined(separator: ", ")): run .ci/install-deps "
                + "(apt: chromium chromium-driver; pip: selenium).")
        }
    }

    /// Runs a program to its end with its output (stdout and stderr together, in a file so no pipe fills).
    static func run(_ executable: String, _ arguments: [String], timeout: Duration) throws -> (status: Int32, output: String) {
        let log = NSTemporaryDirectory() + "ingest-browser-\(UUID().uuidString.prefix(8)).log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: log) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline { usleep(50_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            throw BrowserTestFailure(description: "\(arguments.prefix(2).joined(separator: " ")) did not finish within \(timeout): "
                + ((try? String(contentsOfFile: log, encoding: .utf8)) ?? ""))
        }
        try handle.close()
        return (process.terminationStatus, (try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
    }
}

struct BrowserTestFailure: Error, CustomStringConvertible {
    var description: String
}
