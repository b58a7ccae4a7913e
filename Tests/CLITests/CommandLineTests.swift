import Foundation
import Testing
@testable import CLI
@testable import Engine

@Suite("The ingest command line")
struct CommandLineTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    /// `INGEST_RECORD_GOLDEN=1 swift test --filter CommandLineTests` rewrites the golden files
    /// from the current output (then review the diff); otherwise they are compared.
    static let recording = ProcessInfo.processInfo.environment["INGEST_RECORD_GOLDEN"] == "1"

    /// Compares `text` with `Golden/NAME`, or records it.
    static func expectGolden(_ text: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let file = golden.appendingPathComponent(name)
        if recording {
            try text.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(text == expected, "\(name) differs; re-record with INGEST_RECORD_GOLDEN=1", sourceLocation: sourceLocation)
    }

    @Test("help for each command matches its golden file", arguments: IngestCommand.commands.map { $0.spec.name })
    func helpGolden(command: String) throws {
        let cli = try CLIHarness()
        #expect(cli.run(command, "--help") == 0)
        let help = cli.stdout
        try Self.expectGolden(help, "help-\(command).txt")
        #expect(cli.run("help", command) == 0)
        #expect(cli.stdout == help)
    }

    @Test("the README documents every command and every option of every command")
    func readmeDocumentsEveryFlag() throws {
        let readmeURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let readme = try String(contentsOf: readmeURL, encoding: .utf8)
        for command in IngestCommand.commands {
            let spec = command.spec
            #expect(readme.contains("`ingest \(spec.name)"), "README shows `ingest \(spec.name)`")
            for option in spec.options where option.long != "help" {
                #expect(readme.contains("--\(option.long)"), "README documents `ingest \(spec.name) --\(option.long)`")
            }
        }
    }

    @Test("the overview lists every subcommand and matches its golden file")
    func overview() throws {
        let cli = try CLIHarness()
        #expect(cli.run() == 0)
        for command in IngestCommand.commands {
            #expect(cli.stdout.contains("\n  \(command.spec.name) "), "\(command.spec.name)")
        }
        try Self.expectGolden(cli.stdout, "overview.txt")
    }

    @Test("usage errors print Error and the usage on stderr and exit 64")
    func usageErrors() throws {
        let cli = try CLIHarness()
        #expect(cli.run("run") == 64)
        #expect(cli.stderr.hasPrefix("Error: Missing expected argument '<slug>'.\nUsage: ingest run <slug> [<file>]"))
        #expect(cli.run("run", "products", "--dry-rn") == 64)
        #expect(cli.stderr.hasPrefix("Error: Unknown option '--dry-rn'. Did you mean '--dry-run'?"))
        #expect(cli.run("status", "abc") == 64)
        #expect(cli.stderr.hasPrefix("Error: The value 'abc' is invalid for '<id>': expected an integer."))
        #expect(cli.run("stauts") == 64)
        #expect(cli.stderr.hasPrefix("Error: Unknown subcommand 'stauts'. Did you mean 'status'?"))
        #expect(cli.run("runs", "--status", "nope") == 64)
        #expect(cli.run("list", "extra") == 64)
        #expect(cli.stderr.hasPrefix("Error: Unexpected argument 'extra'."))
    }

    @Test("ingest run on the shipped example loads the good rows, reports the bad ones and exits 2")
    func runExample() throws {
        let cli = try CLIHarness()
        #expect(cli.run("run", "products", cli.path("examples/products.csv")) == 2)
        #expect(cli.stdout.contains("completed_with_errors"))
        #expect(cli.stdout.contains("16 processed, 8 successful (7 created, 1 updated, 0 skipped), 8 failed"))
        // Messages name the source header (`Contact Email`), as Laravel Ingest's validator does.
        #expect(cli.stdout.contains("Row 7: The contact email field must be a valid email address."))
        #expect(cli.run("status", "1", "--json") == 0)
        let json = try JSONValue.parse(cli.stdout)
        #expect(json["status"]?.stringValue == "completed_with_errors")
        #expect(json["progress"]?["failed"]?.intValue == 8)
        #expect(cli.run("runs") == 0)
        #expect(cli.stdout.contains("completed_with_errors"))
    }

    @Test("errors, failed-rows, fix and re-import, retry")
    func failedRowsWorkflow() throws {
        let cli = try CLIHarness()
        cli.run("run", "products", cli.path("examples/products.csv"))
        #expect(cli.run("errors", "1") == 0)
        #expect(cli.stdout.contains("8 failed rows"))
        #expect(cli.stdout.contains("The given data was invalid."))
        let out = cli.path("failed.csv")
        #expect(cli.run("failed-rows", "1", "-o", out) == 0)
        let csv = try String(contentsOfFile: out, encoding: .utf8)
        #expect(csv.hasPrefix("SKU,Name,Contact Email,Price,Stock,Category,Released On,Active,Weight (kg),Description,_error_message,_row_number\r\n"))
        #expect(csv.components(separatedBy: "\r\n").count == 10)
        // Fix two rows and import the file again: they succeed, the rest still fail.
        let fixed = csv.replacingOccurrences(of: "SKU-00000005,,", with: "SKU-00000005,Hammer,")
            .replacingOccurrences(of: "not-an-email", with: "music@example.com")
        try fixed.write(toFile: out, atomically: true, encoding: .utf8)
        #expect(cli.run("run", "products", out) == 2)
        #expect(cli.stdout.contains("8 processed, 2 successful (2 created, 0 updated, 0 skipped), 6 failed"))
        #expect(cli.run("retry", "1") == 2)
        #expect(cli.stdout.contains("8 processed"))
        #expect(cli.run("failed-rows", "999") == 1)
        #expect(cli.stderr == "Error: No ingest run found with the id 999.\n")
    }

    @Test("dry run writes nothing and says what would happen")
    func dryRun() throws {
        let cli = try CLIHarness()
        #expect(cli.run("run", "products", cli.path("examples/products.csv"), "--dry-run") == 2)
        #expect(cli.stdout.contains("dry run"))
        #expect(cli.stdout.contains("7 would be created"))
        #expect(cli.run("list") == 0)
    }

    @Test("check compiles the shipped importers and runs their examples")
    func check() throws {
        let cli = try CLIHarness()
        #expect(cli.run("check") == 0)
        #expect(cli.stdout.contains("ok     products (importers/products.json): 2/2 examples passed"))
        #expect(cli.stdout.contains("ok     users (importers/users.json): 2/2 examples passed"))
        let broken = cli.path("importers/broken.json")
        try #"{"target": {"table": "t", "on_duplicate": "updat"}, "columns": {"a": {"from": "A", "rules": "requird"}}}"#.write(toFile: broken, atomically: true, encoding: .utf8)
        #expect(cli.run("check", broken) == 1)
        #expect(cli.stderr.contains("/target/on_duplicate"))
        #expect(cli.stderr.contains("did you mean 'required'?"))
    }

    @Test("cancel reports finished and unknown runs")
    func cancel() throws {
        let cli = try CLIHarness()
        cli.run("run", "products", cli.path("examples/products.csv"))
        #expect(cli.run("cancel", "1") == 1)
        #expect(cli.stderr.contains("already finished"))
        #expect(cli.run("cancel", "42") == 1)
    }

    @Test("a missing file is a clear error")
    func missingFile() throws {
        let cli = try CLIHarness()
        #expect(cli.run("run", "products", cli.path("nope.csv")) == 1)
        #expect(cli.stderr.hasPrefix("Error: Cannot read the file"))
        #expect(cli.run("run", "nope", cli.path("examples/products.csv")) == 1)
        #expect(cli.stderr == "Error: No importer found with the slug 'nope'.\n")
    }

    @Test("list shows every importer with its source and target, as a table and as JSON, and names load errors")
    func list() throws {
        let cli = try CLIHarness()
        #expect(cli.run("list") == 0)
        #expect(cli.stdout.hasPrefix("SLUG"))
        #expect(cli.stdout.contains("products  upload  products  ok"))
        #expect(cli.run("list", "--json") == 0)
        let json = try JSONValue.parse(cli.stdout)
        #expect(json.arrayValue?.compactMap { $0["slug"]?.stringValue } == ["products", "users"])
        try #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "requird"}}}"#.write(toFile: cli.path("importers/bad.json"), atomically: true, encoding: .utf8)
        #expect(cli.run("list") == 0)
        #expect(cli.stdout.contains("bad"))
        #expect(cli.stdout.contains("1 error(s)"))
        #expect(cli.stdout.contains("did you mean 'required'?"))
    }

    @Test("version names ingest, the SQLite and libcurl it runs with, and the schema, as a table and as JSON")
    func version() throws {
        let cli = try CLIHarness()
        #expect(cli.run("version") == 0)
        let lines = cli.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("COMPONENT") == true)
        #expect(lines.contains { $0.hasPrefix("ingest") && $0.hasSuffix(IngestCommand.version) })
        #expect(lines.contains { $0.hasPrefix("sqlite ") && $0.contains("3.") })
        #expect(cli.run("version", "--json") == 0)
        let json = try JSONValue.parse(cli.stdout)
        #expect(json["ingest"]?.stringValue == IngestCommand.version)
        #expect(json["sqlite"]?.stringValue == ComponentVersions.current.sqlite)
        #expect(json["libcurl"]?.stringValue?.first?.isNumber == true)
        #expect((json["schema"]?.intValue ?? 0) >= 4)
        #expect(cli.run("version", "extra") == 64)
    }

    @Test("new writes a definition that check accepts and run uses; refuses to overwrite without --force")
    func new() throws {
        let cli = try CLIHarness()
        let sample = cli.path("examples/products.csv")
        #expect(cli.run("new", "catalogue", "--from", sample) == 0)
        #expect(cli.stdout.contains("Wrote"))
        #expect(cli.stdout.contains("10 columns"), "one per header")
        #expect(FileManager.default.fileExists(atPath: cli.path("importers/catalogue.json")))
        #expect(cli.run("check", cli.path("importers/catalogue.json")) == 0, "\(cli.stderr)")
        #expect(cli.run("run", "catalogue", sample) != 1, "\(cli.stdout) \(cli.stderr)")
        #expect(cli.run("new", "catalogue", "--from", sample) == 1)
        #expect(cli.stderr.contains("already exists; use --force"))
        #expect(cli.run("new", "catalogue", "--from", sample, "--force") == 0)
        #expect(cli.run("new", "other", "--from", sample, "--stdout") == 0)
        #expect(cli.stdout.hasPrefix("{"))
        #expect(!FileManager.default.fileExists(atPath: cli.path("importers/other.json")))
        #expect(cli.run("new", "Bad Slug", "--from", sample) == 64)
        #expect(cli.run("new", "x") == 64)
    }

    @Test("recover, apply and resume say what they did or why not")
    func lifecycleCommands() throws {
        let cli = try CLIHarness()
        #expect(cli.run("recover") == 0)
        #expect(cli.stdout == "No interrupted runs.\n")
        cli.run("run", "products", cli.path("examples/products.csv"))
        #expect(cli.run("apply", "1") == 1)
        #expect(cli.stderr.contains("Run 1 is not a dry run"))
        #expect(cli.run("resume", "1") == 1)
        #expect(cli.stderr.contains("only a cancelled or interrupted run can be resumed"))
        #expect(cli.run("apply", "9") == 1)
        #expect(cli.stderr.contains("No ingest run found with the id 9."))
        #expect(cli.run("run", "products", cli.path("examples/products.csv"), "--dry-run") == 2)
        #expect(cli.stdout.contains("Next: import it for real with 'ingest apply 2'"))
        #expect(cli.run("apply", "2", "--json") == 2)
        let applied = try JSONValue.parse(cli.stdout)
        #expect(applied["applied_from_run_id"]?.intValue == 2)
        #expect(applied["status"]?.stringValue == "completed_with_errors")
    }
}
