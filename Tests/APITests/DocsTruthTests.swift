import API
import Engine
import Foundation
import HTTP
import Rules
import SQLite
import Testing
@testable import Definitions

/// Keeps `docs/` true to the code where that can be checked mechanically: the module table
/// against `Package.swift`, the storage tables against a migrated database, the definition
/// reference against the decoder, the endpoint sections against the endpoint table and its
/// OpenAPI document, and every page against machine paths and links that leave the repository.
@Suite("docs/ is true to the code")
struct DocsTruthTests {
    // MARK: - ARCHITECTURE.md

    @Test("the module table lists every target of Package.swift with exactly its dependencies")
    func modulesMatchPackage() throws {
        let targets = try DocsText.packageTargets()
        #expect(targets.count >= 10, "Package.swift parsed to \(targets.count) targets")
        let rows = try DocsText.firstTable(in: "ARCHITECTURE.md", after: "## Modules and their dependencies")
        var documented: [String: Set<String>] = [:]
        for row in rows where row.count >= 3 {
            guard let name = DocsText.backticked(row[0]).first else { continue }
            documented[name] = Set(DocsText.backticked(row[2]))
        }
        #expect(Set(documented.keys) == Set(targets.keys), "modules in ARCHITECTURE.md vs Package.swift")
        for (name, dependencies) in targets {
            #expect(documented[name] == dependencies, "dependencies of \(name)")
        }
    }

    @Test("every ingest_ table has a section listing exactly its columns, in order")
    func storageTablesMatchSchema() throws {
        let installation = try DocsInstallation()
        let db = try Connection(path: installation.databasePath)
        let tables = try db.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'ingest\\_%' ESCAPE '\\' ORDER BY name")
            .compactMap { $0[0].textValue }
        #expect(Set(tables).isSuperset(of: ["ingest_runs", "ingest_rows", "ingest_tokens", "ingest_migrations"]))
        let architecture = try DocsText.read("ARCHITECTURE.md")
        let documentedTables = DocsText.lines(of: architecture).compactMap { line -> String? in
            guard line.hasPrefix("### `ingest_") else { return nil }
            return DocsText.backticked(line).first
        }
        #expect(Set(documentedTables) == Set(tables), "tables with a section in ARCHITECTURE.md")
        for table in tables {
            let rows = try DocsText.firstTable(in: "ARCHITECTURE.md", after: "### `\(table)`")
            let documented = rows.compactMap { DocsText.backticked($0[0]).first }
            let actual = try db.columns(of: table).map(\.name)
            #expect(documented == actual, "columns of \(table)")
        }
    }

    @Test("the lifecycle section is present and points to RUNS.md")
    func lifecycleSection() throws {
        let section = try DocsText.section(in: "ARCHITECTURE.md", heading: "## Run lifecycle")
        #expect(section.contains("(RUNS.md)"))
    }

    @Test("no module imports a module of the package its target does not declare")
    func importsMatchDependencies() throws {
        let targets = try DocsText.packageTargets()
        let toolchain: Set<String> = ["Foundation", "FoundationNetworking", "FoundationXML", "FoundationEssentials", "Dispatch",
                                      "Glibc", "Synchronization", "Testing", "XCTest", "Darwin", "os"]
        for (name, dependencies) in targets {
            let folder = DocsText.root.appendingPathComponent(name.hasSuffix("Tests") ? "Tests" : "Sources").appendingPathComponent(name)
            guard let files = FileManager.default.enumerator(atPath: folder.path) else { continue }
            for case let file as String in files where file.hasSuffix(".swift") {
                let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                for line in text.split(separator: "\n") where line.hasPrefix("import ") || line.hasPrefix("@testable import ") {
                    let module = String(line.split(separator: " ").last ?? "")
                    if toolchain.contains(module) || module == name { continue }
                    #expect(dependencies.contains(module), "\(name)/\(file) imports \(module), which \(name) does not declare")
                }
            }
        }
    }

    @Test("Sources declares nothing public: the modules' API is package access")
    func noPublicDeclarations() throws {
        let sources = DocsText.root.appendingPathComponent("Sources")
        guard let files = FileManager.default.enumerator(atPath: sources.path) else { throw DocsText.Missing(description: "no Sources") }
        let pattern = try NSRegularExpression(pattern: #"^\s*(@[A-Za-z_]+(\([^)]*\))?\s+)*public\s"#)
        for case let file as String in files where file.hasSuffix(".swift") {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = String(line)
                let found = pattern.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil
                #expect(!found, "\(file):\(number + 1) declares something public")
            }
        }
    }

    @Test("every source file a page names exists")
    func namedFilesExist() throws {
        for page in try DocsText.pages() {
            let text = try String(contentsOf: DocsText.root.appendingPathComponent(page), encoding: .utf8)
            let pattern = try NSRegularExpression(pattern: "(Sources|Tests)/[A-Za-z0-9_/+.-]+\\.swift")
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                guard let range = Range(match.range, in: text) else { continue }
                let path = String(text[range])
                #expect(FileManager.default.fileExists(atPath: DocsText.root.appendingPathComponent(path).path), "\(page) names \(path)")
            }
        }
    }

    @Test("the \"to add X\" table names files that exist")
    func additionTable() throws {
        let section = try DocsText.section(in: "ARCHITECTURE.md", heading: "## To add X, touch these files")
        let pattern = try NSRegularExpression(pattern: "`([A-Za-z]+/[A-Za-z0-9_/+.-]+\\.swift)`")
        var checked = 0
        for match in pattern.matches(in: section, range: NSRange(section.startIndex..., in: section)) {
            guard let range = Range(match.range(at: 1), in: section) else { continue }
            let path = String(section[range])
            let found = ["Sources/", "Tests/"].contains { FileManager.default.fileExists(atPath: DocsText.root.appendingPathComponent($0 + path).path) }
            #expect(found, "ARCHITECTURE.md's table names \(path)")
            checked += 1
        }
        #expect(checked >= 20)
    }

    @Test("RUNS.md names every run status, the lifecycle commands and endpoints, and the ownership files")
    func runsPage() throws {
        let text = try DocsText.read("RUNS.md")
        for status in RunStatus.allCases { #expect(text.contains("`\(status.rawValue)`"), "\(status.rawValue)") }
        for command in ["ingest resume", "ingest apply", "ingest retry", "ingest recover", "ingest cancel"] {
            #expect(text.contains(command), "\(command)")
        }
        for route in ["/{ingestRun}/resume", "/{ingestRun}/apply", "/{ingestRun}/retry", "/{ingestRun}/cancel"] {
            #expect(text.contains(route), "\(route)")
        }
        for name in ["<database>-runs", "owned_file", "resume_position", "rolled_back_rows", "flock"] {
            #expect(text.contains(name), "\(name)")
        }
    }

    // MARK: - DEFINITIONS.md

    @Test("every key table lists exactly the keys the decoder accepts, in the decoder's order")
    func keyTablesMatchDecoder() throws {
        let levels: [(String, [String])] = [
            ("## Top-level keys", DefinitionKeys.topLevel),
            ("## `source`", DefinitionKeys.source),
            ("### `source.csv`", DefinitionKeys.csv),
            ("### `source.xlsx`", DefinitionKeys.xlsx),
            ("### `source.json`", DefinitionKeys.json),
            ("## `target`", DefinitionKeys.target),
            ("### `target.route`: rows to tables by a value", DefinitionKeys.route),
            ("## `headers`", DefinitionKeys.headers),
            ("### `error_budget`", DefinitionKeys.errorBudget),
            ("### `limits`", DefinitionKeys.limits),
            ("## `columns`", DefinitionKeys.column),
            ("### `lookup`", DefinitionKeys.lookup),
            ("### `relate_many`: many-to-many", DefinitionKeys.relateMany),
            ("#### `relate_many.related`", DefinitionKeys.related),
            ("### `when`: conditional mappings", DefinitionKeys.when),
            ("### `nest`: nested data into child tables", DefinitionKeys.nest),
            ("### An example", DefinitionKeys.example),
            ("### `expect`", DefinitionKeys.expect),
        ]
        for (heading, keys) in levels {
            let rows = try DocsText.firstTable(in: "DEFINITIONS.md", after: heading)
            #expect(rows.compactMap { DocsText.backticked($0[0]).first } == keys, "keys under \(heading)")
        }
        let text = try DocsText.read("DEFINITIONS.md")
        let argumentKeys = DefinitionKeys.ruleWithMessage + DefinitionKeys.mapStep + DefinitionKeys.replaceArguments
            + DefinitionKeys.regexReplaceArguments + DefinitionKeys.padLeftArguments + DefinitionKeys.substringArguments
            + DefinitionKeys.concatArguments
        for key in argumentKeys {
            #expect(text.contains("\"\(key)\""), "the argument key \(key) appears in DEFINITIONS.md")
        }
        for fact in DefinitionDecoder.runFacts {
            #expect(text.contains("{{\(fact)}}"), "the run fact \(fact)")
        }
    }

    @Test("the transform table lists exactly the transforms the decoder accepts")
    func transformsMatchDecoder() throws {
        let accepted = Set(DefinitionDecoder.bareTransforms.keys).union(DefinitionDecoder.transformUsage.keys)
        #expect(accepted == Set(TransformSpec.names))
        let rows = try DocsText.firstTable(in: "DEFINITIONS.md", after: "## Transforms")
        let documented = rows.compactMap { DocsText.backticked($0[0]).first }
        #expect(documented == TransformSpec.names)
        for row in rows where row.count >= 2 {
            guard let name = DocsText.backticked(row[0]).first else { continue }
            // A bare step is written as its name; a step with an argument as an object.
            let writtenAsObject = row[1].contains("{\"\(name)\"")
            #expect(writtenAsObject == (DefinitionDecoder.bareTransforms[name] == nil), "how \(name) is written")
        }
    }

    @Test("the rule table lists exactly the rules the decoder accepts, with arguments where they take some")
    func rulesMatchDecoder() throws {
        #expect(Set(DefinitionDecoder.ruleArity.keys) == Set(RuleSpec.names))
        let rows = try DocsText.firstTable(in: "DEFINITIONS.md", after: "## Rules")
        let written = rows.compactMap { DocsText.backticked($0[0]).first }
        let names = written.map { String($0.prefix { $0 != ":" }) }
        #expect(names == RuleSpec.names)
        for (rule, name) in zip(written, names) {
            let takesArguments = DefinitionDecoder.ruleArity[name]?.max != 0
            #expect(rule.contains(":") == takesArguments, "how \(name) is written")
        }
    }

    @Test("every vocabulary of the model is listed")
    func vocabulariesAreListed() throws {
        let types = try DocsText.firstTable(in: "DEFINITIONS.md", after: "## Types").compactMap { DocsText.backticked($0[0]).first }
        #expect(types == ColumnType.allCases.map(\.rawValue))
        let modes = try DocsText.firstTable(in: "DEFINITIONS.md", after: "### `transaction`: what a failing row undoes")
            .compactMap { DocsText.backticked($0[0]).first }
        #expect(modes == TransactionMode.allCases.map(\.rawValue))
        let strategies = try DocsText.firstTable(in: "DEFINITIONS.md", after: "## `target`", skip: 1)
            .compactMap { DocsText.backticked($0[0]).first }
        #expect(strategies == DuplicateStrategy.allCases.map(\.rawValue))
        let text = try DocsText.read("DEFINITIONS.md")
        let words = RowLogLevel.allCases.map(\.rawValue) + FileFormat.allCases.map(\.rawValue)
            + SourceSpec.SourceType.allCases.map(\.rawValue) + HeaderSpec.Match.allCases.map(\.rawValue)
            + TextEncodingName.allCases.map(\.rawValue)
        for word in words {
            #expect(text.contains("`\(word)`"), "`\(word)` appears in DEFINITIONS.md")
        }
    }

    @Test("the documented defaults are the ones a minimal definition decodes to")
    func defaultsMatchDecoder() throws {
        let json = #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "lookup": {"table": "l", "match": "m"}}}}"#
        let loaded = DefinitionLoader.load(data: Data(json.utf8), fileName: "importers/minimal.json")
        #expect(loaded.problems.map(\.description) == [])
        let definition = try #require(loaded.definition)
        let column = try #require(definition.columns.first)
        let lookup = try #require(column.lookup)
        let expected: [(heading: String, key: String, value: String)] = [
            ("## Top-level keys", "transaction", definition.transaction.rawValue),
            ("## Top-level keys", "chunk_size", String(definition.chunkSize)),
            ("## Top-level keys", "row_log", definition.rowLog.rawValue),
            ("## `source`", "type", definition.source.type.rawValue),
            ("### `source.csv`", "quote", String(UnicodeScalar(definition.source.csv.quote))),
            ("### `source.csv`", "header_row", String(definition.source.csv.headerRow)),
            ("## `target`", "on_duplicate", definition.target.onDuplicate.rawValue),
            ("## `target`", "create_table", String(definition.target.createTable)),
            ("## `target`", "allow_empty_key", String(definition.target.allowEmptyKey)),
            ("## `target`", "without_rowid", String(definition.target.withoutRowID)),
            ("### `limits`", "max_value_bytes", String(definition.limits.maxValueBytes)),
            ("### `limits`", "max_row_bytes", String(definition.limits.maxRowBytes)),
            ("## `headers`", "match", definition.headers.match.rawValue),
            ("## `headers`", "strict", String(definition.headers.strict)),
            ("## `columns`", "type", column.type.rawValue),
            ("## `columns`", "nullable", String(column.nullable)),
            ("## `columns`", "unique_in_file", String(column.uniqueInFile)),
            ("### `lookup`", "select", lookup.select),
            ("### `lookup`", "create_missing", String(lookup.createMissing)),
        ]
        for (heading, key, value) in expected {
            let rows = try DocsText.firstTable(in: "DEFINITIONS.md", after: heading)
            let row = try #require(rows.first { DocsText.backticked($0[0]).first == key }, "\(key) under \(heading)")
            let defaultCell = try #require(row.last)
            #expect(defaultCell.contains("`\(value)`"), "default of \(key) under \(heading) is `\(value)`")
        }
    }

    @Test("every complete definition in DEFINITIONS.md loads and compiles without a problem")
    func examplesLoad() throws {
        var complete = 0
        for block in try DocsText.codeBlocks(in: "DEFINITIONS.md", language: "json") {
            // Fragments (an `examples` member on its own) are not documents; every block that
            // is one must parse.
            guard block.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("{") else { continue }
            let document = try JSONDocument(bytes: Array(block.utf8))
            guard document.root["target"] != nil, document.root["columns"] != nil else { continue }
            complete += 1
            let loaded = DefinitionLoader.load(data: Data(block.utf8), fileName: "importers/products.json")
            #expect(loaded.problems.map(\.description) == [])
            if let definition = loaded.definition {
                #expect(throws: Never.self) { _ = try CompiledImporter(definition: definition) }
            }
        }
        #expect(complete >= 1)
    }

    // MARK: - API.md

    @Test("every endpoint has a section listing every status its OpenAPI operation declares, and no other endpoint is documented")
    func endpointsMatchRoutes() throws {
        let installation = try DocsInstallation()
        let api = IngestAPI(engine: installation.engine)
        let document = api.openAPIDocument()
        let text = try DocsText.read("API.md")
        var headings: Set<String> = []
        for endpoint in api.endpoints {
            let heading = "### `\(endpoint.method.rawValue) \(endpoint.path)`"
            headings.insert(heading)
            let section = try DocsText.section(in: "API.md", heading: heading)
            let responses = document["paths"]?[endpoint.path]?[endpoint.method.rawValue.lowercased()]?["responses"]?.objectValue ?? []
            #expect(!responses.isEmpty, "OpenAPI responses of \(heading)")
            for (status, _) in responses {
                #expect(section.contains("`\(status)`"), "\(heading) documents status \(status)")
            }
            if endpoint.access == .anonymous {
                #expect(section.contains("No token needed"), "\(heading) says it needs no token")
            }
        }
        let documented = DocsText.lines(of: text).filter { line in
            ["GET", "POST", "PUT", "PATCH", "DELETE"].contains { line.hasPrefix("### `\($0) ") }
        }
        #expect(Set(documented) == headings, "endpoint headings in API.md vs the endpoint table")
    }

    @Test("every field of every schema in the OpenAPI document is named in API.md")
    func schemaFieldsAreNamed() throws {
        let installation = try DocsInstallation()
        let document = IngestAPI(engine: installation.engine).openAPIDocument()
        let text = try DocsText.read("API.md")
        let schemas = try #require(document["components"]?["schemas"]?.objectValue)
        for (schema, body) in schemas {
            for field in DocsText.propertyNames(of: body) {
                #expect(text.contains("`\(field)`") || text.contains("\"\(field)\""), "\(schema).\(field) is named in API.md")
            }
        }
    }

    // MARK: - README reference

    @Test("the README's reference names every key of the definition schema, and its column table lists exactly the column keys")
    func readmeKeysMatchSchema() throws {
        let readme = try String(contentsOf: DocsText.root.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: "### Reference"))
        let end = try #require(readme.range(of: "#### Regular expressions", range: start.upperBound..<readme.endIndex))
        let reference = String(readme[start.upperBound..<end.lowerBound])
        let schemaData = try Data(contentsOf: DocsText.root.appendingPathComponent("schemas/importer.schema.json"))
        let schema = try #require(try JSONSerialization.jsonObject(with: schemaData) as? [String: Any])
        var keys = Set<String>()
        func collect(_ node: Any) {
            if let object = node as? [String: Any] {
                if let properties = object["properties"] as? [String: Any] { keys.formUnion(properties.keys) }
                object.values.forEach(collect)
            } else if let array = node as? [Any] {
                array.forEach(collect)
            }
        }
        collect(schema)
        keys.remove("$schema")
        #expect(keys.count > 60, "the schema parsed to \(keys.count) keys")
        for key in keys.sorted() {
            #expect(reference.contains("`\(key)`") || reference.contains("\"\(key)\""), "README's reference names '\(key)'")
        }
        let defs = try #require(schema["$defs"] as? [String: Any])
        let column = try #require((defs["column"] as? [String: Any])?["properties"] as? [String: Any])
        let afterHeading = try #require(reference.range(of: "Column keys"))
        let rows = DocsText.lines(of: String(reference[afterHeading.upperBound...]))
            .drop { !$0.hasPrefix("|") }.prefix { $0.hasPrefix("|") }.dropFirst(2).map(DocsText.cells(of:))
        let documented = Set(rows.flatMap { DocsText.backticked($0[0]) })
        #expect(documented == Set(column.keys), "README's column table vs the schema's column keys")
    }

    // MARK: - README set-up

    @Test("the README's two set-up commands install what is missing, and .ci/run runs exactly the test command")
    func setUpCommands() throws {
        let readme = try String(contentsOf: DocsText.root.appendingPathComponent("README.md"), encoding: .utf8)
        let lines = readme.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        func command(after comment: String) -> String? {
            guard let i = lines.firstIndex(where: { $0.hasPrefix(comment) }), i + 1 < lines.count else { return nil }
            return lines[i + 1]
        }
        let run = try #require(command(after: "# 1. "))
        let test = try #require(command(after: "# 2. "))
        #expect(run.hasPrefix(".ci/install-deps && "), "command 1 installs the system libraries first: \(run)")
        #expect(run.contains("ingest run products examples/products.csv"))
        let ci = try String(contentsOf: DocsText.root.appendingPathComponent(".ci/run"), encoding: .utf8)
        let steps = ci.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") && !$0.hasPrefix("set ") && !$0.hasPrefix("cd ") }
        #expect(steps == [test], ".ci/run runs exactly the README's test command")
        let script = try String(contentsOf: DocsText.root.appendingPathComponent(test), encoding: .utf8)
        #expect(script.contains(".ci/install-deps") && script.contains("swift test"))
    }

    // MARK: - Every page

    @Test("no page holds a machine path or links outside the repository")
    func linksStayInTheRepository() throws {
        let forbidden = ["/work/", "/home/", "/Users/", "/tmp/", "/root/", "../shared", "shared/design", "shared/seeds"]
        let pages = try DocsText.pages()
        #expect(pages.count >= 5)
        for page in pages {
            let url = DocsText.root.appendingPathComponent(page)
            let text = try String(contentsOf: url, encoding: .utf8)
            for needle in forbidden {
                #expect(!text.contains(needle), "\(page) contains \(needle)")
            }
            for target in DocsText.linkTargets(in: text) {
                if target.hasPrefix("https://") || target.hasPrefix("http://") || target.hasPrefix("mailto:") { continue }
                let parts = target.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                let file = parts[0]
                let anchor = parts.count > 1 ? parts[1] : nil
                let linked = file.isEmpty ? url : url.deletingLastPathComponent().appendingPathComponent(file).standardizedFileURL
                #expect(linked.path.hasPrefix(DocsText.root.standardizedFileURL.path + "/"), "\(page) links \(target) outside the repository")
                #expect(FileManager.default.fileExists(atPath: linked.path), "\(page) links \(target), which does not exist")
                if let anchor, linked.pathExtension == "md", FileManager.default.fileExists(atPath: linked.path) {
                    let linkedText = try String(contentsOf: linked, encoding: .utf8)
                    #expect(DocsText.anchors(in: linkedText).contains(anchor), "\(page) links \(target), an anchor that does not exist")
                }
            }
        }
        let readme = try String(contentsOf: DocsText.root.appendingPathComponent("README.md"), encoding: .utf8)
        for page in ["ARCHITECTURE.md", "DEFINITIONS.md", "API.md", "STYLE.md"] {
            #expect(readme.contains("](docs/\(page))"), "README.md links docs/\(page)")
        }
    }
}

/// A throwaway database and importers folder, migrated by a real engine; removed at the end.
private final class DocsInstallation {
    let root: String
    let engine: IngestEngine
    var databasePath: String { root + "/ingest.sqlite" }

    init() throws {
        root = NSTemporaryDirectory() + "ingest-docs-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: root + "/importers", withIntermediateDirectories: true)
        engine = try IngestEngine(configuration: EngineConfiguration(
            databasePath: root + "/ingest.sqlite", importersDirectory: root + "/importers",
            uploadsDirectory: root + "/uploads", dataRoot: root))
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }
}

/// Reading the pages of `docs/` and `Package.swift`.
private enum DocsText {
    /// The repository root, found from this file (`Tests/APITests/DocsTruthTests.swift`).
    static let root: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Every page checked for paths and links, relative to the root.
    static func pages() throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("docs").path)
        return ["README.md", "SECURITY.md", "Fuzz/README.md"] + names.filter { $0.hasSuffix(".md") }.sorted().map { "docs/" + $0 }
    }

    struct Missing: Error, CustomStringConvertible {
        let description: String
    }

    static func read(_ page: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent("docs").appendingPathComponent(page), encoding: .utf8)
    }

    static func lines(of text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// The text after the line `heading`, up to the next heading of any level.
    static func section(in page: String, heading: String) throws -> String {
        let all = lines(of: try read(page))
        guard let start = all.firstIndex(of: heading) else { throw Missing(description: "no heading '\(heading)' in \(page)") }
        var body: [String] = []
        var inCode = false
        for line in all[(start + 1)...] {
            if line.hasPrefix("```") { inCode.toggle() }
            if !inCode && line.hasPrefix("#") { break }
            body.append(line)
        }
        return body.joined(separator: "\n")
    }

    /// The body rows (cells, trimmed) of the first table after `heading`, or of the table after
    /// `skip` others, within the heading's section.
    static func firstTable(in page: String, after heading: String, skip: Int = 0) throws -> [[String]] {
        var tables: [[[String]]] = []
        var current: [[String]] = []
        for line in lines(of: try section(in: page, heading: heading)) {
            if line.hasPrefix("|") {
                current.append(cells(of: line))
            } else if !current.isEmpty {
                tables.append(current)
                current = []
            }
        }
        if !current.isEmpty { tables.append(current) }
        guard tables.count > skip else { throw Missing(description: "no table \(skip + 1) under '\(heading)' in \(page)") }
        // Drop the header row and the `|---|` separator.
        return Array(tables[skip].dropFirst(2))
    }

    /// The cells of a table row; `\|` is a pipe inside a cell.
    static func cells(of line: String) -> [String] {
        var cells: [String] = []
        var cell = ""
        var previous: Character?
        for character in line {
            if character == "|" && previous != "\\" {
                cells.append(cell.trimmingCharacters(in: .whitespaces))
                cell = ""
            } else {
                cell.append(character)
            }
            previous = character
        }
        return Array(cells.dropFirst())
    }

    /// The code spans of `text`, in order.
    static func backticked(_ text: String) -> [String] {
        let parts = text.split(separator: "`", omittingEmptySubsequences: false).map(String.init)
        return stride(from: 1, to: parts.count, by: 2).map { parts[$0] }
    }

    /// The contents of the fenced code blocks of `page` in `language`.
    static func codeBlocks(in page: String, language: String) throws -> [String] {
        var blocks: [String] = []
        var current: [String]?
        for line in lines(of: try read(page)) {
            if let block = current {
                if line.hasPrefix("```") {
                    blocks.append(block.joined(separator: "\n"))
                    current = nil
                } else {
                    current = block + [line]
                }
            } else if line == "```" + language {
                current = []
            }
        }
        return blocks
    }

    /// The targets of Markdown links `[text](target)`.
    static func linkTargets(in text: String) -> [String] {
        var targets: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "](") {
            let after = rest[open.upperBound...]
            guard let close = after.firstIndex(of: ")") else { break }
            let target = String(after[..<close])
            if !target.contains(" ") && !target.isEmpty { targets.append(target) }
            rest = after[close...]
        }
        return targets
    }

    /// GitHub's anchors of the headings of `text`: lower case, spaces as `-`, punctuation dropped.
    static func anchors(in text: String) -> Set<String> {
        Set(lines(of: text).filter { $0.hasPrefix("#") }.map { line in
            let title = line.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces).lowercased()
            return String(title.compactMap { c -> Character? in
                if c == " " { return "-" }
                return c.isLetter || c.isNumber || c == "-" || c == "_" ? c : nil
            })
        })
    }

    /// Every `properties` name of an OpenAPI schema, through `allOf` and nested objects.
    static func propertyNames(of schema: JSONValue) -> [String] {
        var names: [String] = []
        for (name, property) in schema["properties"]?.objectValue ?? [] {
            names.append(name)
            names += propertyNames(of: property)
        }
        for part in schema["allOf"]?.arrayValue ?? [] { names += propertyNames(of: part) }
        return names
    }

    /// Target name → dependency names, from `Package.swift`.
    static func packageTargets() throws -> [String: Set<String>] {
        let text = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        let pattern = #"\.(?:target|executableTarget|testTarget|systemLibrary)\(\s*name:\s*"([^"]+)"(?:[^\[\)]*?dependencies:\s*\[([^\]]*)\])?"#
        let regex = try NSRegularExpression(pattern: pattern)
        var targets: [String: Set<String>] = [:]
        let range = NSRange(text.startIndex..., in: text)
        for match in regex.matches(in: text, range: range) {
            guard let nameRange = Range(match.range(at: 1), in: text) else { continue }
            var dependencies: Set<String> = []
            if let listRange = Range(match.range(at: 2), in: text) {
                dependencies = Set(text[listRange].split(separator: ",").map {
                    $0.trimmingCharacters(in: .whitespacesAndNewlines).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                }.filter { !$0.isEmpty })
            }
            targets[String(text[nameRange])] = dependencies
        }
        return targets
    }
}
