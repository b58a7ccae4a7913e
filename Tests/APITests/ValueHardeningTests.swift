import Engine
import Foundation
import Testing

/// Issue 9 items 6, 8, 9 and 11, reproduced with real files through the `ingest` executable:
/// wide JSON objects, values amplified by templates and transforms, empty keys, and terminal
/// escapes in cell values and file names.
@Suite("Hostile values through real ingest processes")
struct ValueHardeningTests {
    /// The address space the hostile runs get (1 GiB). Before the fixes they needed 2.5 to 7.8 GB
    /// RSS, so an allocation past this cap fails the process and the test.
    static let addressSpaceKB = 1 << 20

    // MARK: - Item 6: JSON/NDJSON header blow-up

    /// `objects` objects, each with `id`, `name` (empty in every tenth object), a nested
    /// `address.city`, and `keys` keys of its own that no other object has (`"k<object>_<n>":0`).
    static func wideJSON(objects: Int, keys: Int) -> [UInt8] {
        let digits = Array("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)
        func base62(_ value: Int) -> [UInt8] {
            var n = value, out: [UInt8] = []
            repeat { out.append(digits[n % 62]); n /= 62 } while n > 0
            return out
        }
        // The members' tails are the same in every object; the object's own prefix makes them distinct.
        let tails = (0..<keys).map { [UInt8(ascii: "_")] + base62($0) + Array("\":0".utf8) }
        var out: [UInt8] = []
        out.reserveCapacity(objects * keys * 12)
        out.append(UInt8(ascii: "["))
        for o in 0..<objects {
            if o > 0 { out.append(contentsOf: Array(",\n".utf8)) }
            let name = o % 10 == 9 ? "" : "item \(o)"
            out.append(contentsOf: Array("{\"id\":\"\(o + 1)\",\"name\":\"\(name)\",\"address\":{\"city\":\"Bern\",\"zip\":\"3000\"}".utf8))
            let prefix = Array(",\"k".utf8) + base62(o)
            for tail in tails {
                out.append(contentsOf: prefix)
                out.append(contentsOf: tail)
            }
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: Array("]\n".utf8))
        return out
    }

    static let wideDefinition = """
        {
          "target": { "table": "people", "key": ["id"], "on_duplicate": "update" },
          "columns": {
            "id": { "from": "id", "rules": "required" },
            "name": { "from": "Name", "rules": "required" },
            "city": { "from": "address.city" }
          }
        }
        """

    @Test("100 objects with 16,000 keys each import through the mapped keys only, in bounded memory; failed rows log those keys")
    func wideObjects() throws {
        let f = try ProcessFixture(importers: ["people": Self.wideDefinition])
        let path = f.root + "/wide.json"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(Self.wideJSON(objects: 100, keys: 16_000))))
        let run = try f.ingest(["run", "people", path], addressSpaceKB: Self.addressSpaceKB)
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stdout.contains("100 processed, 90 successful (90 created, 0 updated, 0 skipped), 10 failed"), "\(run.stdout)")
        #expect(try f.scalar("SELECT COUNT(*) FROM people WHERE city = 'Bern'") == 90)

        // The row log, and so the failed-rows CSV, holds the keys the definition reads.
        let export = try f.ingest(["failed-rows", "1", "-o", f.root + "/failed.csv"])
        #expect(export.status == 0, "\(export.stderr)")
        let csv = try String(contentsOfFile: f.root + "/failed.csv", encoding: .utf8)
        let lines = csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.first == "id,name,address.city,_error_message,_row_number")
        #expect(lines.dropFirst().first == "10,,Bern,The name field is required.,11")
        #expect(lines.count == 11)

        // ingest new has no definition to select keys: it refuses the width with a clear message.
        let new = try f.ingest(["new", "wide", "--from", path, "--stdout"], addressSpaceKB: Self.addressSpaceKB)
        #expect(new.status == 1)
        #expect(new.stderr.contains("The sample has more than 1000 distinct keys; 'ingest new' infers at most 1000 columns."), "\(new.stderr)")
    }

    // MARK: - Item 8: value amplification

    static let amplifyingDefinition = """
        {
          "target": { "table": "blobs" },
          "columns": {
            "id": { "from": "id" },
            "blob": { "template": "\(String(repeating: "{a}", count: 100_000))" },
            "body": { "from": "b", "transform": [{ "regex_replace": { "pattern": "/x*/", "with": "0123456789" } }] }
          }
        }
        """

    @Test("a template that repeats an 8 KB cell 100,000 times and an empty-match regex_replace on 200 KB and 10 MB cells fail their rows at the value cap")
    func amplification() throws {
        let f = try ProcessFixture(importers: ["blobs": Self.amplifyingDefinition])
        let small = String(repeating: "x", count: 8192)
        let medium = String(repeating: "y", count: 200_000)  // 2.2 MB once replaced: stopped at 1 MiB
        let large = String(repeating: "y", count: 10 << 20)  // over the cap as read
        try f.write("id,a,b\n1,\(small),short\n2,ok,\(large)\n3,ok,\(medium)\n4,ok,fine\n", to: "blobs.csv")
        let run = try f.ingest(["run", "blobs", f.root + "/blobs.csv"], addressSpaceKB: Self.addressSpaceKB)
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stdout.contains("4 processed, 1 successful"), "\(run.stdout)")
        let errors = try f.ingest(["errors", "1"])
        #expect(errors.stdout.contains("The blob field must not be larger than 1 MiB after its transforms (limits.max_value_bytes)."), "\(errors.stdout)")
        #expect(errors.stdout.contains("2      body: The b field must not be larger than 1 MiB after its transforms (limits.max_value_bytes)."),
                "\(errors.stdout)")
        // "fine" with an empty match before each character and at the end.
        #expect(try f.scalar("SELECT length(body) FROM blobs") == 54)
    }

    @Test("limits are configurable: a smaller value cap and a row cap fail rows with messages naming them")
    func configuredLimits() throws {
        let definition = """
            {
              "target": { "table": "notes" },
              "limits": { "max_value_bytes": 2048, "max_row_bytes": 3000 },
              "columns": { "a": { "from": "a" }, "b": { "from": "b", "transform": [{ "suffix": "!" }] } }
            }
            """
        let f = try ProcessFixture(importers: ["notes": definition])
        let k2 = String(repeating: "x", count: 2048)
        let k15 = String(repeating: "x", count: 1500)
        try f.write("a,b\n\(k2),x\nx,\(k2)\n\(k15),\(k15)\nok,ok\n", to: "notes.csv")
        let run = try f.ingest(["run", "notes", f.root + "/notes.csv"])
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stdout.contains("4 processed, 2 successful"), "\(run.stdout)")
        #expect(run.stdout.contains("Row 3: The b field must not be larger than 2 KiB after its transforms (limits.max_value_bytes)."), "\(run.stdout)")
        #expect(run.stdout.contains("Row 4: The b field takes the row past 3000 bytes after transforms (limits.max_row_bytes)."), "\(run.stdout)")
    }

    // MARK: - Item 9: empty keys

    static func keyedDefinition(allowEmptyKey: Bool) -> String {
        """
        {
          "target": { "table": "items", "key": ["sku"], "on_duplicate": "update"\(allowEmptyKey ? ", \"allow_empty_key\": true" : "") },
          "columns": { "sku": { "from": "SKU", "transform": ["trim"] }, "name": { "from": "Name" } }
        }
        """
    }

    @Test("a row with an empty key fails instead of inserting again on every re-import; ingest check warns about the key")
    func emptyKeys() throws {
        let f = try ProcessFixture(importers: ["items": Self.keyedDefinition(allowEmptyKey: false)])
        try f.write("SKU,Name\nA-1,Lamp\n,Ghost\n  ,Spectre\n", to: "items.csv")
        for id in 1...2 {
            let run = try f.ingest(["run", "items", f.root + "/items.csv"])
            #expect(run.status == 2, "\(run.stderr)")
            #expect(run.stdout.contains("3 processed, 1 successful"), "\(run.stdout)")
            let errors = try f.ingest(["errors", String(id)])
            #expect(errors.stdout.contains("2      sku: The s k u field is part of the key and must not be empty (set target.allow_empty_key to allow it)."),
                    "\(errors.stdout)")
        }
        #expect(try f.count("items") == 1)
        let check = try f.ingest(["check"])
        #expect(check.status == 0)
        #expect(check.stderr.contains("Warning: importers/items.json: /columns/sku: key column 'sku' is not 'required': a row with an empty sku fails as an empty key"),
                "\(check.stderr)")
    }

    @Test("allow_empty_key lets such rows insert, again on every import, as documented")
    func allowedEmptyKeys() throws {
        let f = try ProcessFixture(importers: ["items": Self.keyedDefinition(allowEmptyKey: true)])
        try f.write("SKU,Name\nA-1,Lamp\n,Ghost\n", to: "items.csv")
        for _ in 1...2 { #expect(try f.ingest(["run", "items", f.root + "/items.csv"]).status == 0) }
        #expect(try f.count("items") == 3)
        #expect(try f.scalar("SELECT COUNT(*) FROM items WHERE sku IS NULL") == 2)
        #expect(try f.ingest(["check"]).stderr.contains("target.allow_empty_key is set, so a row with an empty sku inserts again on every import"))
    }

    // MARK: - Item 10: reserved tables

    @Test("a definition naming sqlite_sequence (or any sqlite_/ingest_ table) is refused at load; later runs keep logging rows")
    func reservedTables() throws {
        let good = Self.keyedDefinition(allowEmptyKey: false)
        let f = try ProcessFixture(importers: [
            "items": good,
            "seq": #"{"target": {"table": "sqlite_sequence"}, "columns": {"name": {"from": "name"}, "seq": {"from": "seq", "type": "integer"}}}"#,
            "peek": #"{"target": {"table": "t"}, "columns": {"a": {"from": "a", "lookup": {"table": "SQLITE_master", "match": "name"}}}}"#,
            "probe": #"{"target": {"table": "t2"}, "columns": {"a": {"from": "a", "rules": "exists:ingest_runs,id"}}}"#,
        ])
        try f.write("SKU,Name\nA-1,Lamp\n,Ghost\n", to: "items.csv")
        #expect(try f.ingest(["run", "items", f.root + "/items.csv"]).status == 2)
        try f.write("name,seq\ningest_rows,-100\n", to: "seq.csv")
        let run = try f.ingest(["run", "seq", f.root + "/seq.csv"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("importers/seq.json:1:22: /target/table: table names starting with 'sqlite_' are reserved for SQLite's internal tables"),
                "\(run.stderr)")
        let list = try f.ingest(["list"])
        #expect(list.stdout.contains("importers/peek.json:1:79: /columns/a/lookup/table: table names starting with 'sqlite_' are reserved"), "\(list.stdout)")
        #expect(list.stdout.contains("importers/probe.json:1:70: /columns/a/rules/0: rule 'exists': table names starting with 'ingest_' are reserved"),
                "\(list.stdout)")
        // Nothing touched SQLite's bookkeeping: the next run still logs its failed row.
        #expect(try f.ingest(["run", "items", f.root + "/items.csv"]).status == 2)
        #expect(try f.scalar("SELECT COUNT(*) FROM ingest_rows") == 2)
    }

    // MARK: - Item 11: terminal escapes

    /// Control characters a terminal acts on: C0 (newline aside), DEL, C1.
    static func controls(in text: String) -> [UInt32] {
        text.unicodeScalars.map(\.value).filter { ($0 < 0x20 && $0 != 0x0A) || ($0 >= 0x7F && $0 <= 0x9F) }
    }

    @Test("ANSI and OSC sequences in cell values and file names reach the terminal escaped in run, errors, status, runs, list and failed-rows")
    func terminalEscapes() throws {
        let definition = """
            {
              "target": { "table": "items", "key": ["sku"], "on_duplicate": "update" },
              "columns": {
                "sku": { "from": "SKU", "rules": "required" },
                "name": { "from": "Name", "rules": [{ "rule": "regex:/^[a-z ]+$/", "message": "Bad name ':input'." }] }
              }
            }
            """
        let f = try ProcessFixture(importers: ["items": definition])
        // An importer whose file name carries an escape: `list` shows its problem with the name.
        try f.write(#"{"target": {"table": "t"}, "columns": {"a": {"from": "A"}}}"#, to: "importers/bad\u{1B}[31m.json")
        let osc = "\u{1B}]0;owned\u{07}\u{1B}]52;c;cGF5bG9hZA==\u{07}\u{1B}[2J"
        let file = "feed\u{1B}[5m\u{07}.csv"
        try f.write("SKU,Name\nA-1,lamp\nA-2,\"\(osc)\"\nA-3,\"x\ry\u{9B}31m\u{7F}\"\n", to: file)
        let commands: [[String]] = [
            ["run", "items", f.root + "/" + file], ["errors", "1"], ["status", "1"], ["runs"], ["list"],
            ["failed-rows", "1", "-o", f.root + "/out\u{1B}[1m.csv"],
        ]
        for arguments in commands {
            let result = try f.ingest(arguments)
            #expect(Self.controls(in: result.stdout).isEmpty, "ingest \(arguments[0]) stdout: \(result.stdout.debugDescription)")
            #expect(Self.controls(in: result.stderr).isEmpty, "ingest \(arguments[0]) stderr: \(result.stderr.debugDescription)")
            let shown = result.stdout + result.stderr
            switch arguments[0] {
            case "run", "errors", "status":
                #expect(shown.contains(#"Bad name '\x1b]0;owned\x07\x1b]52;c;cGF5bG9hZA==\x07\x1b[2J'."#), "\(shown)")
                #expect(shown.contains(#"Bad name 'x\ry\u{9b}31m\x7f'."#) || arguments[0] == "errors", "\(shown)")
                if arguments[0] != "errors" { #expect(shown.contains(#"feed\x1b[5m\x07.csv"#), "\(shown)") }
            case "runs": #expect(shown.contains(#"feed\x1b[5m\x07.csv"#), "\(shown)")
            case "list": #expect(shown.contains(#"bad\x1b[31m"#), "\(shown)")
            default: #expect(shown.contains(#"Wrote 2 failed rows to "#) && shown.contains(#"out\x1b[1m.csv"#), "\(shown)")
            }
        }
        // The failed-rows CSV is data: it keeps the cells exactly, for fixing and importing again.
        let exported = try String(contentsOfFile: f.root + "/out\u{1B}[1m.csv", encoding: .utf8)
        #expect(exported.contains(osc))
        // --json output escapes control characters by JSON's rules.
        let json = try f.ingest(["errors", "1", "--json"])
        #expect(json.stdout.contains(#"\u001b]52;c;"#) && !json.stdout.contains("\u{1B}"), "\(json.stdout)")
    }
}
