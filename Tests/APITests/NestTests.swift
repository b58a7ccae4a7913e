import Engine
import Foundation
import SQLite
import Testing

/// Issue 13, item 2: `nest` (Laravel Ingest's `nest`). An array inside each JSON/NDJSON object
/// imports into a child table. The tests run real files into real SQLite databases through
/// `ingest run` and, where the API matters, through an upload to `ingest serve` over a loopback
/// socket; the databases are inspected afterwards.
@Suite("Nested data into child tables (nest)")
struct NestTests {
    /// What one way of running left behind: the run as JSON and the database it wrote.
    struct Outcome {
        let via: String
        let run: JSONValue
        let fixture: ProcessFixture
        var status: String { run.string("status") ?? "" }
        func progress(_ key: String) -> Int64 { run["progress"]?.int(key) ?? -1 }
        /// `summary.meta.tables[table]`: created, updated, skipped.
        func counts(_ table: String) -> [Int64] {
            let t = run["summary"]?["meta"]?["tables"]?[table]
            return ["created", "updated", "skipped"].map { t?.int($0) ?? -1 }
        }
        var errors: [String] { run["summary"]?["errors"]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        func orders() throws -> [String] {
            guard try fixture.count("orders") > 0 else { return [] }
            return try fixture.query("SELECT order_no FROM orders ORDER BY order_no").compactMap(\.[0].textValue)
        }
        /// Child rows as `order/sku/qty`, sorted.
        func lines() throws -> [String] {
            guard try fixture.count("order_lines") > 0 else { return [] }
            return try fixture.query("SELECT order_no, sku, qty FROM order_lines ORDER BY order_no, sku").map { row in
                row.map { $0.textValue ?? $0.integerValue.map(String.init) ?? "NULL" }.joined(separator: "/")
            }
        }
    }

    /// Orders keyed by number with their `lines` in `order_lines` (keyed by order and sku).
    static func definition(transaction: String = "none", onDuplicate: String = "update", childKey: String = #"["order_no", "sku"]"#,
                           childColumns: String? = nil, nestExtra: String = "", formats: String = #"["ndjson", "json"]"#,
                           parentKey: String = #""key": "order_no", "#, table: String = "order_lines") -> String {
        let columns = childColumns ?? #""sku": { "from": "sku", "rules": "required" }, "qty": { "from": "qty", "type": "integer", "rules": "required|min:1" }"#
        return """
        { "name": "Orders", "source": { "formats": \(formats) }, "transaction": "\(transaction)",
          "target": { "table": "orders", \(parentKey)"on_duplicate": "update" },
          "columns": { "order_no": { "from": "number", "rules": "required" }, "customer": { "from": "customer" } },
          "nest": [{ "path": "lines", "table": "\(table)", "parent_column": "order_no",
                     "columns": { \(columns) },
                     "key": \(childKey), "on_duplicate": "\(onDuplicate)"\(nestExtra) }] }
        """
    }

    static let twoOrders = """
        {"number": "O-1", "customer": "ann", "lines": [{"sku": "A", "qty": 2}, {"sku": "B", "qty": 1}]}
        {"number": "O-2", "customer": "bob", "lines": [{"sku": "C", "qty": 5}]}

        """

    /// Imports `files` (name, content) in turn with `ingest run` and, into a second database,
    /// with API uploads; returns both outcomes of the last file.
    static func both(_ definition: String, _ files: [(String, String)], dryRun: Bool = false,
                     prepare: (ProcessFixture) throws -> Void = { _ in }) throws -> [Outcome] {
        var outcomes = [try cli(definition, files, dryRun: dryRun, prepare: prepare)]
        let api = try ProcessFixture(importers: ["orders": definition])
        try prepare(api)
        let token = try ServerProcess.token(api)
        let server = try ServerProcess(api)
        var finished: JSONValue?
        for (name, content) in files {
            let created = try upload(server, name: name, content: content, token: token, dryRun: dryRun)
            guard created.status == 202, let id = created.data?.int("id") else { throw FixtureFailure("upload: \(created.text)") }
            finished = try server.waitUntilFinished(id, token: token)
        }
        outcomes.append(Outcome(via: "API upload", run: try #require(finished), fixture: api))
        return outcomes
    }

    static func upload(_ server: ServerProcess, name: String, content: String, token: String, dryRun: Bool = false) throws -> TestHTTPClient.Response {
        var form = MultipartBody()
        let type = name.hasSuffix(".csv") ? "text/csv" : name.hasSuffix(".ndjson") ? "application/x-ndjson" : "application/json"
        form.file("file", filename: name, contentType: type, content: Array(content.utf8))
        if dryRun { form.field("dry_run", "1") }
        return try TestHTTPClient(port: server.port).send(
            "POST", APIFixture.prefix + "/upload/orders",
            headers: [("Authorization", "Bearer \(token)"), ("Content-Type", form.contentType)], body: form.finished)
    }

    /// Imports `files` in turn with `ingest run --json`; the outcome of the last one.
    static func cli(_ definition: String, _ files: [(String, String)], dryRun: Bool = false,
                    prepare: (ProcessFixture) throws -> Void = { _ in }) throws -> Outcome {
        let cli = try ProcessFixture(importers: ["orders": definition])
        try prepare(cli)
        var last: JSONValue?
        for (i, (name, content)) in files.enumerated() {
            try cli.write(content, to: "in\(i)/\(name)")
            let result = try cli.ingest(["run", "orders", cli.root + "/in\(i)/\(name)", "--json"] + (dryRun ? ["--dry-run"] : []))
            last = try JSONRun(result.stdout).json
        }
        return Outcome(via: "ingest run", run: try #require(last), fixture: cli)
    }

    static func ndjson(_ text: String) -> [(String, String)] { [("orders.ndjson", text)] }

    /// `ingest check` of `definition` against a database `prepare` set up: exit status and text.
    static func check(_ definition: String, prepare: (ProcessFixture) throws -> Void = { _ in }) throws -> (status: Int32, text: String) {
        let f = try ProcessFixture(importers: ["orders": definition])
        try prepare(f)
        let result = try f.ingest(["check"])
        return (result.status, result.stdout + result.stderr)
    }

    // MARK: - Parents and children

    @Test("it imports nested arrays into child tables")
    func importsIntoChildTables() throws {
        for o in try Self.both(Self.definition(), Self.ndjson(Self.twoOrders)) {
            #expect(o.status == "completed", "\(o.via): \(o.run)")
            #expect(try o.orders() == ["O-1", "O-2"], "\(o.via)")
            #expect(try o.lines() == ["O-1/A/2", "O-1/B/1", "O-2/C/5"], "\(o.via)")
            #expect(o.counts("orders") == [2, 0, 0], "\(o.via)")
            #expect(o.counts("order_lines") == [3, 0, 0], "\(o.via)")
            // The parent key is a real foreign key of the child table.
            let fk = try o.fixture.query("SELECT \"table\", \"from\", \"to\" FROM pragma_foreign_key_list('order_lines')")
            #expect(fk.map { $0.compactMap(\.textValue) } == [["orders", "order_no", "order_no"]], "\(o.via)")
        }
    }

    @Test("a JSON array document and an array inside a nested object (dotted path) import the same")
    func jsonDocumentAndDottedPath() throws {
        let definition = Self.definition().replacingOccurrences(of: #""path": "lines""#, with: #""path": "detail.lines""#)
        let json = #"[{"number": "O-1", "detail": {"lines": [{"sku": "A", "qty": 2}, {"sku": "B", "qty": 1}]}}]"#
        for o in try Self.both(definition, [("orders.json", json)]) {
            #expect(o.status == "completed", "\(o.via): \(o.run)")
            #expect(try o.lines() == ["O-1/A/2", "O-1/B/1"], "\(o.via)")
        }
    }

    @Test("without a single-column parent key the child holds the parent's id")
    func childHoldsParentID() throws {
        let definition = """
            { "source": { "formats": ["ndjson"] }, "target": { "table": "orders" },
              "columns": { "order_no": { "from": "number" } },
              "nest": [{ "path": "lines", "table": "order_lines", "parent_column": "order_id", "columns": { "sku": { "from": "sku" } } }] }
            """
        let o = try Self.cli(definition, Self.ndjson(Self.twoOrders))
        #expect(o.status == "completed", "\(o.run)")
        let rows = try o.fixture.query("SELECT o.order_no, l.sku FROM order_lines l JOIN orders o ON o.id = l.order_id ORDER BY l.sku")
        #expect(rows.map { $0.compactMap(\.textValue).joined(separator: "/") } == ["O-1/A", "O-1/B", "O-2/C"])
    }

    @Test("each duplicate strategy applies to child rows", arguments: ["skip", "update", "upsert", "fail"])
    func childDuplicateStrategies(strategy: String) throws {
        let columns = #""sku": { "from": "sku" }, "qty": { "from": "qty", "type": "integer" }, "note": { "from": "note" }"#
        let first = #"{"number": "O-1", "lines": [{"sku": "A", "qty": 2, "note": "first"}, {"sku": "B", "qty": 1, "note": "first"}]}"# + "\n"
        let second = #"{"number": "O-1", "lines": [{"sku": "A", "qty": 7}, {"sku": "C", "qty": 3, "note": "new"}]}"# + "\n"
        let o = try Self.cli(Self.definition(onDuplicate: strategy, childColumns: columns),
                             [("a.ndjson", first), ("b.ndjson", second)])
        let rows = try o.fixture.query("SELECT sku, qty, note FROM order_lines ORDER BY sku").map { row in
            row.map { $0.textValue ?? $0.integerValue.map(String.init) ?? "NULL" }.joined(separator: "/")
        }
        switch strategy {
        case "skip":
            #expect(o.status == "completed", "\(o.run)")
            #expect(rows == ["A/2/first", "B/1/first", "C/3/new"])
            #expect(o.counts("order_lines") == [1, 0, 1])
        case "update":
            #expect(rows == ["A/7/NULL", "B/1/first", "C/3/new"])
            #expect(o.counts("order_lines") == [1, 1, 0])
        case "upsert":
            // An empty incoming value keeps the stored one.
            #expect(rows == ["A/7/first", "B/1/first", "C/3/new"])
            #expect(o.counts("order_lines") == [1, 1, 0])
        default:
            // The duplicate child fails its parent, which is undone with its other children.
            #expect(o.status == "completed_with_errors", "\(o.run)")
            #expect(rows == ["A/2/first", "B/1/first"])
            #expect(o.errors.contains { $0.contains("Duplicate entry found for key 'order_no, sku' in the child table 'order_lines' (lines[0])") }, "\(o.errors)")
            #expect(o.progress("failed") == 1)
        }
    }

    @Test("a parent skipped as a duplicate skips its children")
    func skippedParentSkipsChildren() throws {
        let definition = Self.definition().replacingOccurrences(of: #""key": "order_no", "on_duplicate": "update""#, with: #""key": "order_no", "on_duplicate": "skip""#)
        let second = #"{"number": "O-1", "lines": [{"sku": "Z", "qty": 9}]}"# + "\n"
        let o = try Self.cli(definition, [("a.ndjson", Self.twoOrders), ("b.ndjson", second)])
        #expect(o.status == "completed", "\(o.run)")
        #expect(try o.lines() == ["O-1/A/2", "O-1/B/1", "O-2/C/5"])
        #expect(o.counts("orders") == [0, 0, 1])
        #expect(o.counts("order_lines") == [0, 0, 1])
    }

    // MARK: - Transactions

    /// O-1 fine; O-2's second line repeats its first under `on_duplicate: fail` (a failure only
    /// the database finds, after the parent and the first line are written); O-3 fine.
    static let failingChild = """
        {"number": "O-1", "lines": [{"sku": "A", "qty": 1}]}
        {"number": "O-2", "lines": [{"sku": "B", "qty": 1}, {"sku": "B", "qty": 2}]}
        {"number": "O-3", "lines": [{"sku": "C", "qty": 1}]}

        """

    @Test("a failing child fails its parent under each transaction mode, never half-written",
          arguments: ["none", "row", "chunk", "all"])
    func transactionModes(mode: String) throws {
        let definition = Self.definition(transaction: mode, onDuplicate: "fail").replacingOccurrences(of: #""transaction""#, with: #""chunk_size": 2, "transaction""#)
        for o in try Self.both(definition, Self.ndjson(Self.failingChild)) {
            switch mode {
            case "none", "row":
                #expect(o.status == "completed_with_errors", "\(o.via): \(o.run)")
                #expect(try o.orders() == ["O-1", "O-3"], "\(o.via)")
                #expect(try o.lines() == ["O-1/A/1", "O-3/C/1"], "\(o.via)")
                #expect(o.counts("order_lines") == [2, 0, 0], "\(o.via)")
            case "chunk":
                // The chunk holding O-2 (O-1, O-2) is rolled back and the run fails.
                #expect(o.status == "failed", "\(o.via): \(o.run)")
                #expect(try o.orders() == [], "\(o.via)")
                #expect(try o.lines() == [], "\(o.via)")
            default:
                #expect(o.status == "failed", "\(o.via): \(o.run)")
                #expect(try o.orders() == [], "\(o.via)")
                #expect(try o.lines() == [], "\(o.via)")
            }
            #expect(o.errors.joined().contains("(lines[1])"), "\(o.via): \(o.errors)")
        }
    }

    // MARK: - Errors

    @Test("errors name the element's path, and a bad child fails its parent before anything is written")
    func errorsNamePath() throws {
        let file = #"{"number": "O-1", "lines": [{"sku": "A", "qty": 1}, {"sku": "B", "qty": 2}, {"sku": "C", "qty": 0}]}"# + "\n"
            + #"{"number": "O-2", "lines": [{"sku": "D", "qty": 1}, {"qty": 1}]}"# + "\n"
        for o in try Self.both(Self.definition(), Self.ndjson(file)) {
            #expect(o.status == "completed_with_errors", "\(o.via): \(o.run)")
            #expect(o.errors.contains("Row 2: lines[2].qty: The qty field must be at least 1."), "\(o.via): \(o.errors)")
            #expect(o.errors.contains("Row 3: lines[1].sku: The sku field is required."), "\(o.via): \(o.errors)")
            #expect(try o.orders() == [], "\(o.via)")
            #expect(try o.lines() == [], "\(o.via)")
            // The logged row keys its errors by path and keeps the array as JSON.
            let logged = try o.fixture.query("SELECT errors, data FROM ingest_rows WHERE row_number = 2")
            let errors = try #require(logged.first?[0].textValue)
            #expect(errors.contains(#""lines[2].qty""#), "\(o.via): \(errors)")
            #expect(logged.first?[1].textValue?.contains(#"[{\"sku\":\"A\",\"qty\":1}"#) == true, "\(o.via): \(logged)")
        }
    }

    @Test("a string that looks like an array is not parsed as one")
    func stringLookingLikeArray() throws {
        let file = #"{"number": "O-1", "lines": "[{\"sku\": \"A\", \"qty\": 1}]"}"# + "\n" + #"{"number": "O-2", "lines": [{"sku": "B", "qty": 1}]}"# + "\n"
        for o in try Self.both(Self.definition(), Self.ndjson(file)) {
            #expect(o.status == "completed_with_errors", "\(o.via): \(o.run)")
            #expect(o.errors.contains("Row 2: lines: expected an array of objects, found a string."), "\(o.via): \(o.errors)")
            #expect(try o.orders() == ["O-2"], "\(o.via)")
            #expect(try o.lines() == ["O-2/B/1"], "\(o.via)")
        }
    }

    @Test("elements that are not objects, and a non-array value, fail their row")
    func nonObjects() throws {
        let file = #"{"number": "O-1", "lines": [1, 2]}"# + "\n" + #"{"number": "O-2", "lines": {"sku": "B"}}"# + "\n"
            + #"{"number": "O-3", "lines": null}"# + "\n"
        let o = try Self.cli(Self.definition(), Self.ndjson(file))
        #expect(o.errors.contains { $0.hasPrefix("Row 2: lines: array element 1 is not an object") }, "\(o.errors)")
        #expect(o.errors.contains("Row 3: lines: expected an array of objects, found an object."), "\(o.errors)")
        #expect(try o.orders() == ["O-3"])
    }

    // MARK: - Dry runs and retries

    @Test("a dry run writes nothing and reports what the real run would do")
    func dryRun() throws {
        for o in try Self.both(Self.definition(onDuplicate: "fail"), Self.ndjson(Self.failingChild), dryRun: true) {
            #expect(o.status == "completed_with_errors", "\(o.via): \(o.run)")
            #expect(o.run["dry_run"]?.boolValue == true || o.run["summary"]?["meta"]?["dry_run"]?.boolValue == true, "\(o.via)")
            #expect(o.counts("orders") == [2, 0, 0], "\(o.via): \(o.run)")
            #expect(o.counts("order_lines") == [2, 0, 0], "\(o.via)")
            #expect(o.progress("failed") == 1, "\(o.via)")
            #expect(try o.fixture.count("orders") == 0, "\(o.via)")
            #expect(try !Connection(path: o.fixture.database).tableExists("order_lines"), "\(o.via)")
        }
    }

    @Test("retrying failed rows imports the parent with its children")
    func retryImportsChildren() throws {
        // The child key is the sku alone: O-2's line A collides with O-1's under `fail`.
        let definition = Self.definition(onDuplicate: "fail", childKey: #"["sku"]"#)
        let f = try ProcessFixture(importers: ["orders": definition])
        try f.write(#"{"number": "O-1", "lines": [{"sku": "A", "qty": 1}]}"# + "\n", to: "a.ndjson")
        try f.write(#"{"number": "O-2", "lines": [{"sku": "A", "qty": 3}, {"sku": "B", "qty": 4}]}"# + "\n", to: "b.ndjson")
        #expect(try f.ingest(["run", "orders", f.root + "/a.ndjson"]).status == 0)
        let failed = try f.ingest(["run", "orders", f.root + "/b.ndjson", "--json"])
        #expect(try JSONRun(failed.stdout).status == "completed_with_errors", "\(failed.stdout)")
        #expect(try f.count("orders") == 1)
        _ = try f.query("DELETE FROM order_lines WHERE sku = 'A'")
        let retry = try f.ingest(["retry", "2", "--json"])
        #expect(retry.status == 0, "\(retry.stdout) \(retry.stderr)")
        #expect(try JSONRun(retry.stdout).status == "completed", "\(retry.stdout)")
        let lines = try f.query("SELECT order_no, sku, qty FROM order_lines ORDER BY sku").map { row in
            row.map { $0.textValue ?? $0.integerValue.map(String.init) ?? "" }.joined(separator: "/")
        }
        #expect(lines == ["O-2/A/3", "O-2/B/4"])
    }

    @Test("the failed-rows CSV keeps the array as JSON: fixed and imported again, it brings the children")
    func failedRowsCSVRoundTrip() throws {
        let f = try ProcessFixture(importers: ["orders": Self.definition()])
        try f.write(#"{"number": "O-1", "lines": [{"sku": "A", "qty": 1}, {"sku": "B", "qty": 0}]}"# + "\n", to: "a.ndjson")
        let first = try f.ingest(["run", "orders", f.root + "/a.ndjson", "--json"])
        #expect(try JSONRun(first.stdout).status == "completed_with_errors", "\(first.stdout)")
        #expect(try f.ingest(["failed-rows", "1", "-o", f.root + "/failed.csv"]).status == 0)
        let exported = try String(contentsOfFile: f.root + "/failed.csv", encoding: .utf8)
        #expect(exported.contains(#""[{""sku"":""A"",""qty"":1},{""sku"":""B"",""qty"":0}]""#), "\(exported)")
        try f.write(exported.replacingOccurrences(of: #"""qty"":0"#, with: #"""qty"":4"#), to: "fixed.csv")
        let rerun = try f.ingest(["run", "orders", f.root + "/fixed.csv", "--json"])
        #expect(try JSONRun(rerun.stdout).status == "completed", "\(rerun.stdout)\(rerun.stderr)")
        #expect(try f.query("SELECT sku, qty FROM order_lines ORDER BY sku").map { "\($0[0].textValue ?? "")/\($0[1].integerValue ?? -1)" } == ["A/1", "B/4"])
    }

    // MARK: - Formats

    @Test("a definition whose formats allow CSV or XLSX is refused, and so is a CSV upload")
    func csvRefused() throws {
        let mixed = try Self.check(Self.definition(formats: #"["csv", "json"]"#))
        #expect(mixed.status == 1)
        #expect(mixed.text.contains("'nest' reads arrays inside JSON objects, so the importer must accept only json and ndjson files; source.formats allows csv"), "\(mixed.text)")
        let all = try Self.check(Self.definition().replacingOccurrences(of: #""source": { "formats": ["ndjson", "json"] }, "#, with: ""))
        #expect(all.status == 1)
        #expect(all.text.contains("set source.formats"), "\(all.text)")

        let api = try ProcessFixture(importers: ["orders": Self.definition()])
        let token = try ServerProcess.token(api)
        let server = try ServerProcess(api)
        let refused = try Self.upload(server, name: "orders.csv", content: "number,lines\nO-1,\"[]\"\n", token: token)
        #expect(refused.status == 415, "\(refused.text)")
        #expect(refused.text.contains("does not accept csv files"), "\(refused.text)")

        let cli = try ProcessFixture(importers: ["orders": Self.definition()])
        try cli.write("number,lines\nO-1,[]\n", to: "orders.csv")
        let run = try cli.ingest(["run", "orders", cli.root + "/orders.csv"])
        #expect(run.status != 0)
        #expect((run.stdout + run.stderr).contains("does not accept csv files"), "\(run.stdout)\(run.stderr)")
        #expect(try cli.count("orders") == 0)
    }

    // MARK: - Child tables and the database

    @Test("create_table false: a missing child table is a clear error and is not created")
    func createTableFalse() throws {
        let definition = Self.definition(nestExtra: #", "create_table": false"#)
        let checked = try Self.check(definition)
        #expect(checked.status == 1)
        #expect(checked.text.contains("The child table 'order_lines' does not exist and the importer does not create it (/nest/0/create_table is false). Create it: CREATE TABLE \"order_lines\""), "\(checked.text)")
        let o = try Self.cli(definition, Self.ndjson(Self.twoOrders))
        #expect(o.status == "failed", "\(o.run)")
        #expect((o.run.string("failure_reason") ?? "").contains("The child table 'order_lines' does not exist"), "\(o.run)")
        #expect(try !Connection(path: o.fixture.database).tableExists("order_lines"))
        #expect(try o.fixture.count("orders") == 0)
    }

    @Test("reserved table names are refused for child tables", arguments: ["ingest_lines", "sqlite_lines", "pg_lines", "information_schema"])
    func reservedChildTables(table: String) throws {
        let checked = try Self.check(Self.definition(table: table))
        #expect(checked.status == 1)
        #expect(checked.text.contains("/nest/0/table"), "\(checked.text)")
        #expect(checked.text.contains("reserved"), "\(checked.text)")
    }

    @Test("ingest check verifies the child table against the database")
    func checkVerifiesChildTable() throws {
        let fresh = try Self.check(Self.definition())
        #expect(fresh.status == 0, "\(fresh.text)")
        #expect(fresh.text.contains("child table 'order_lines' (/nest/0) will be created on the first run"), "\(fresh.text)")

        let f = try ProcessFixture(importers: ["orders": Self.definition()])
        try f.write(Self.twoOrders, to: "a.ndjson")
        #expect(try f.ingest(["run", "orders", f.root + "/a.ndjson"]).status == 0)
        let matching = try f.ingest(["check"])
        #expect(matching.status == 0)
        #expect(matching.stdout.contains("child table 'order_lines' matches /nest/0"), "\(matching.stdout)")

        _ = try f.query("DROP INDEX order_lines_order_no_sku_unique")
        let unindexed = try f.ingest(["check"])
        #expect(unindexed.status == 1)
        #expect((unindexed.stdout + unindexed.stderr).contains("The child table 'order_lines' has no UNIQUE index on (order_no, sku)"), "\(unindexed.stdout)")

        let other = try ProcessFixture(importers: ["orders": Self.definition()])
        _ = try Connection(path: other.database).execute("CREATE TABLE order_lines (id INTEGER PRIMARY KEY, sku TEXT)")
        let lacking = try other.ingest(["check"])
        #expect(lacking.status == 1)
        #expect((lacking.stdout + lacking.stderr).contains("The child table 'order_lines' has no column 'qty', 'order_no', which /nest/0 declares"), "\(lacking.stdout)")
    }

    @Test("the decoder points at what is wrong in a nest entry")
    func decoderProblems() throws {
        let cases: [(String, String)] = [
            (Self.definition().replacingOccurrences(of: #""path": "lines", "#, with: ""), "missing required key 'path'"),
            (Self.definition().replacingOccurrences(of: #""parent_column": "order_no""#, with: #""parent_column": "sku""#), "clashes with parent_column 'sku'"),
            (Self.definition(childKey: #"["nope"]"#), "/nest/0/key/0"),
            (Self.definition(onDuplicate: "update_if_newer"), "not offered for child tables"),
            (Self.definition(table: "orders"), "the child table 'orders' cannot also be the target table"),
            (Self.definition().replacingOccurrences(of: #""path""#, with: #""paht""#), "unknown key 'paht'"),
            (Self.definition(childColumns: #""sku": { "from": "sku", "rules": "unique" }"#), "not offered on child columns"),
        ]
        for (definition, expected) in cases {
            let checked = try Self.check(definition)
            #expect(checked.status == 1, "\(expected)")
            #expect(checked.text.contains(expected), "\(expected): \(checked.text)")
        }
    }
}
