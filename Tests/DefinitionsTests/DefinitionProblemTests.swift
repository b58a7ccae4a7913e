import Testing
@testable import Definitions

@Suite("Definition problems: exact messages and positions")
struct DefinitionProblemTests {
    @Test("renders file:line:column: pointer: message, and drops what is unknown")
    func rendering() {
        let located = DefinitionProblem(file: "importers/products.json", pointer: "/target/on_duplicate", line: 14, column: 22,
                                        message: "expected one of skip, update, upsert, fail, update_if_newer")
        #expect(located.description == "importers/products.json:14:22: /target/on_duplicate: expected one of skip, update, upsert, fail, update_if_newer")
        let unlocated = DefinitionProblem(file: "importers/products.json", pointer: "/columns/price/rules/2", message: "unknown rule 'minn' (did you mean 'min'?)")
        #expect(unlocated.description == "importers/products.json: /columns/price/rules/2: unknown rule 'minn' (did you mean 'min'?)")
        let whole = DefinitionProblem(file: "importers/a.json", pointer: "", message: "cannot read the file")
        #expect(whole.description == "importers/a.json: cannot read the file")
    }

    @Test("points at the value of a bad on_duplicate, as in DEFINITIONS.md")
    func documentedExample() {
        // Laid out so on_duplicate's value sits at 14:22, like the example in DEFINITIONS.md.
        let lines = [
            "{",
            "  \"$schema\": \"../schemas/importer.schema.json\",",
            "  \"name\": \"Product catalogue\",",
            "  \"columns\": {",
            "    \"sku\": { \"from\": \"SKU\" },",
            "    \"name\": { \"from\": \"Name\" },",
            "    \"price\": { \"from\": \"Price\" }",
            "  },",
            "  \"headers\": { \"match\": \"exact\" },",
            "  \"target\": {",
            "    \"table\": \"products\",",
            "    \"key\": [\"sku\"],",
            "    \"create_table\": true,",
            "     \"on_duplicate\": \"replace\"",
            "  }",
            "}",
        ]
        #expect(TestFixtures.problems(lines.joined(separator: "\n"), fileName: "importers/products.json") == [
            "importers/products.json:14:22: /target/on_duplicate: expected one of skip, update, upsert, fail, update_if_newer",
        ])
    }

    @Test("reports every problem of a broken file at once, in file order")
    func allAtOnce() {
        let json = """
        {
          "slug": "Products!",
          "target": { "table": "products", "key": ["skuu"], "on_duplicate": "replace" },
          "chunk_size": 0,
          "columns": {
            "sku":   { "from": "SKU", "rules": "required|minn:2" },
            "price": { "from": "Price", "type": "money", "transform": ["trimm"] },
            "name":  { "frm": "Name" }
          }
        }
        """
        #expect(TestFixtures.problems(json, fileName: "importers/products.json") == [
            "importers/products.json:2:11: /slug: slug 'Products!' does not match ^[a-z0-9][a-z0-9-]*$",
            "importers/products.json:3:44: /target/key/0: unknown column 'skuu' in key (did you mean 'sku'?)",
            "importers/products.json:3:69: /target/on_duplicate: expected one of skip, update, upsert, fail, update_if_newer",
            "importers/products.json:4:17: /chunk_size: expected an integer from 1 to 100000, got 0",
            "importers/products.json:6:50: /columns/sku/rules/1: unknown rule 'minn' (did you mean 'min'?)",
            "importers/products.json:7:41: /columns/price/type: expected one of text, integer, decimal, boolean, date, datetime, json",
            "importers/products.json:7:64: /columns/price/transform/0: unknown transform 'trimm' (did you mean 'trim'?)",
            "importers/products.json:8:14: /columns/name: set exactly one of 'from', 'value', 'template' to give the column its raw value",
            "importers/products.json:8:16: /columns/name/frm: unknown key 'frm' (did you mean 'from'?)",
        ])
        #expect(TestFixtures.load(json).definition == nil)
    }

    @Test("a slug that the file name cannot give is an error without a position")
    func slugFromFileName() {
        let json = #"{"target": {"table": "t"}, "columns": {"a": {"from": "A"}}}"#
        #expect(TestFixtures.problems(json, fileName: "importers/My Feed.json") == [
            "importers/My Feed.json: the file name gives the slug 'My Feed', which does not match ^[a-z0-9][a-z0-9-]*$; rename the file or set \"slug\"",
        ])
        let named = TestFixtures.load(#"{"slug": "my-feed", "target": {"table": "t"}, "columns": {"a": {"from": "A"}}}"#, fileName: "importers/My Feed.json")
        #expect(named.problems == [])
        #expect(named.definition?.slug == "my-feed")
    }

    @Test("a file that cannot be read is one problem")
    func unreadable() {
        let loaded = DefinitionLoader.load(path: "/nonexistent/ingest/importers/x.json", displayName: "importers/x.json")
        #expect(loaded.problems.map(\.description) == ["importers/x.json: cannot read the file"])
        #expect(loaded.slug == "x")
        #expect(loaded.definition == nil)
    }

    @Test("each error class renders its exact message and position", arguments: Self.cases)
    func errorClass(_ problemCase: ProblemCase) {
        let loaded = TestFixtures.load(problemCase.json, fileName: "importers/x.json")
        #expect(loaded.problems.map(\.description) == problemCase.expected)
        #expect(loaded.definition == nil)
    }

    static let cases: [ProblemCase] = [
        ProblemCase("unknown key with suggestion", #"{"target": {"table": "t"}, "colums": {}, "columns": {"a": {"from": "A"}}}"#, [
            "importers/x.json:1:28: /colums: unknown key 'colums' (did you mean 'columns'?)",
        ]),
        ProblemCase("unknown key lists allowed keys", #"{"target": {"table": "t", "zzz": 1}, "columns": {"a": {"from": "A"}}}"#, [
            "importers/x.json:1:27: /target/zzz: unknown key 'zzz' (allowed: table, key, on_duplicate, newer_by, allow_empty_key, create_table, alter, without_rowid, route)",
        ]),
        ProblemCase("slug pattern", #"{"slug": "Bad_Slug", "target": {"table": "t"}, "columns": {"a": {"from": "A"}}}"#, [
            "importers/x.json:1:10: /slug: slug 'Bad_Slug' does not match ^[a-z0-9][a-z0-9-]*$",
        ]),
        ProblemCase("table identifier", #"{"target": {"table": "my table"}, "columns": {"a": {"from": "A"}}}"#, [
            "importers/x.json:1:22: /target/table: table name 'my table' is not an SQL identifier (^[A-Za-z_][A-Za-z0-9_]*$)",
        ]),
        ProblemCase("table ingest_ prefix", #"{"target": {"table": "Ingest_runs"}, "columns": {"a": {"from": "A"}}}"#, [
            "importers/x.json:1:22: /target/table: table names starting with 'ingest_' are reserved for Ingest's own bookkeeping",
        ]),
        ProblemCase("table sqlite_ prefix", #"{"target": {"table": "sqlite_sequence"}, "columns": {"a": {"from": "A"}}}"#, [
            "importers/x.json:1:22: /target/table: table names starting with 'sqlite_' are reserved for SQLite's internal tables",
        ]),
        ProblemCase("table sqlite_ prefix in any case, with unique", #"{"target": {"table": "SQLite_Master"}, "columns": {"a": {"from": "A", "rules": "unique"}}}"#, [
            "importers/x.json:1:22: /target/table: table names starting with 'sqlite_' are reserved for SQLite's internal tables",
        ]),
        ProblemCase("allow_empty_key needs a key", #"{"target": {"table": "t", "allow_empty_key": true}, "columns": {"a": {"from": "A"}}}"#, [
            "importers/x.json:1:27: /target/allow_empty_key: 'allow_empty_key' needs a 'key'",
        ]),
        ProblemCase("without_rowid needs a key", #"{"target": {"table": "t", "without_rowid": true}, "columns": {"a": {"from": "A"}}}"#, [
            "importers/x.json:1:27: /target/without_rowid: 'without_rowid' needs a 'key' (it becomes the table's primary key)",
        ]),
        ProblemCase("without_rowid excludes allow_empty_key", #"{"target": {"table": "t", "key": "a", "allow_empty_key": true, "without_rowid": true}, "columns": {"a": {"from": "A"}}}"#, [
            "importers/x.json:1:64: /target/without_rowid: 'without_rowid' and 'allow_empty_key' exclude each other: a WITHOUT ROWID table's key columns may not be NULL",
        ]),
        ProblemCase("allow_empty_key is a boolean", #"{"target": {"table": "t", "key": "a", "allow_empty_key": "yes"}, "columns": {"a": {"from": "A"}}}"#, [
            "importers/x.json:1:58: /target/allow_empty_key: expected true or false, got a string",
        ]),
        ProblemCase("limits range and keys", #"{"target": {"table": "t"}, "limits": {"max_value_bytes": 0, "max_row_bytes": 2147483648, "max_cells": 1}, "columns": {"a": {"from": "A"}}}"#, [
            "importers/x.json:1:58: /limits/max_value_bytes: expected an integer from 1 to 1073741824, got 0",
            "importers/x.json:1:78: /limits/max_row_bytes: expected an integer from 1 to 1073741824, got 2147483648",
            "importers/x.json:1:90: /limits/max_cells: unknown key 'max_cells' (allowed: max_value_bytes, max_row_bytes)",
        ]),
        ProblemCase("missing table", #"{"target": {}, "columns": {"a": {"from": "A"}}}"#, [
            "importers/x.json:1:12: /target: missing required key 'table'",
        ]),
        ProblemCase("missing target and columns", #"{"name": "x"}"#, [
            "importers/x.json:1:1: missing required key 'columns'",
            "importers/x.json:1:1: missing required key 'target'",
        ]),
        ProblemCase("not an object", #"[1]"#, [
            "importers/x.json:1:1: expected an object, got an array",
        ]),
        ProblemCase("empty columns", #"{"target": {"table": "t"}, "columns": {}}"#, [
            "importers/x.json:1:39: /columns: expected at least one column",
        ]),
        ProblemCase("column name identifier", #"{"target": {"table": "t"}, "columns": {"unit price": {"from": "A"}}}"#, [
            "importers/x.json:1:40: /columns/unit price: column name 'unit price' is not an SQL identifier (^[A-Za-z_][A-Za-z0-9_]*$)",
        ]),
        ProblemCase("key columns", #"{"target": {"table": "t", "key": ["sku", "skuu", "sku"]}, "columns": {"sku": {"from": "A"}}}"#, [
            "importers/x.json:1:42: /target/key/1: unknown column 'skuu' in key (did you mean 'sku'?)",
            "importers/x.json:1:50: /target/key/2: column 'sku' is listed twice in the key",
        ]),
        ProblemCase("key type", #"{"target": {"table": "t", "key": 5}, "columns": {"sku": {"from": "A"}}}"#, [
            "importers/x.json:1:34: /target/key: expected a column name or an array of column names, got an integer",
        ]),
        ProblemCase("newer_by required", #"{"target": {"table": "t", "key": "a", "on_duplicate": "update_if_newer"}, "columns": {"a": {"from": "A"}}}"#, [
            "importers/x.json:1:12: /target: missing required key 'newer_by' for on_duplicate 'update_if_newer'",
        ]),
        ProblemCase("newer_by column", #"{"target": {"table": "t", "key": "a", "on_duplicate": "update_if_newer", "newer_by": "updated"}, "columns": {"a": {"from": "A"}, "updated_at": {"from": "U"}}}"#, [
            "importers/x.json:1:86: /target/newer_by: unknown column 'updated' in newer_by (did you mean 'updated_at'?)",
        ]),
        ProblemCase("newer_by only with update_if_newer", #"{"target": {"table": "t", "key": "a", "on_duplicate": "update", "newer_by": "a"}, "columns": {"a": {"from": "A"}}}"#, [
            "importers/x.json:1:65: /target/newer_by: 'newer_by' applies only to on_duplicate 'update_if_newer'",
        ]),
        ProblemCase("strategy needs key", #"{"target": {"table": "t", "on_duplicate": "fail"}, "columns": {"a": {"from": "A"}}}"#, [
            "importers/x.json:1:12: /target: on_duplicate 'fail' needs a 'key' to recognise duplicates",
        ]),
        ProblemCase("on_duplicate suggestion", #"{"target": {"table": "t", "key": "a", "on_duplicate": "updte"}, "columns": {"a": {"from": "A"}}}"#, [
            "importers/x.json:1:55: /target/on_duplicate: expected one of skip, update, upsert, fail, update_if_newer (did you mean 'update'?)",
        ]),
        ProblemCase("no input", #"{"target": {"table": "t"}, "columns": {"a": {"type": "text"}}}"#, [
            "importers/x.json:1:45: /columns/a: set exactly one of 'from', 'value', 'template' to give the column its raw value",
        ]),
        ProblemCase("two inputs", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "template": "{B}"}}}"#, [
            "importers/x.json:1:59: /columns/a/template: set exactly one of 'from', 'value', 'template', not 'from' and 'template'",
        ]),
        ProblemCase("three inputs", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "value": 1, "template": "{B}"}}}"#, [
            "importers/x.json:1:59: /columns/a/value: set exactly one of 'from', 'value', 'template', not 'from', 'value' and 'template'",
        ]),
        ProblemCase("from empty list", #"{"target": {"table": "t"}, "columns": {"a": {"from": []}}}"#, [
            "importers/x.json:1:54: /columns/a/from: expected at least one item",
        ]),
        ProblemCase("from bad items", #"{"target": {"table": "t"}, "columns": {"a": {"from": ["A", "", 3]}}}"#, [
            "importers/x.json:1:60: /columns/a/from/1: expected a non-empty string",
            "importers/x.json:1:64: /columns/a/from/2: expected a string, got an integer",
        ]),
        ProblemCase("from type", #"{"target": {"table": "t"}, "columns": {"a": {"from": {"x": 1}}}}"#, [
            "importers/x.json:1:54: /columns/a/from: expected a header name or a non-empty array of header names, got an object",
        ]),
        ProblemCase("value not scalar", #"{"target": {"table": "t"}, "columns": {"a": {"value": [1]}}}"#, [
            "importers/x.json:1:55: /columns/a/value: expected a JSON scalar (string, number, boolean or null), got an array",
        ]),
        ProblemCase("value run facts", #"{"target": {"table": "t"}, "columns": {"a": {"value": "{{run.idd}}-{{ run.started_at }}-{{run.id"}}}"#, [
            "importers/x.json:1:56: /columns/a/value: unknown run fact 'run.idd' (did you mean 'run.id'?); use {{run.id}}, {{run.original_filename}} or {{run.started_at}}",
            "importers/x.json:1:89: /columns/a/value: '{{' is not closed by '}}'",
        ]),
        ProblemCase("template unclosed", #"{"target": {"table": "t"}, "columns": {"a": {"template": "{First} {Last"}}}"#, [
            "importers/x.json:1:67: /columns/a/template: '{' is not closed by '}'",
        ]),
        ProblemCase("template stray close", #"{"target": {"table": "t"}, "columns": {"a": {"template": "First} {Last}"}}}"#, [
            "importers/x.json:1:64: /columns/a/template: '}' without a matching '{'",
        ]),
        ProblemCase("template empty reference", #"{"target": {"table": "t"}, "columns": {"a": {"template": "{} {Last}"}}}"#, [
            "importers/x.json:1:59: /columns/a/template: empty reference '{}': write a source header name between the braces",
        ]),
        ProblemCase("template nested", #"{"target": {"table": "t"}, "columns": {"a": {"template": "{a{b}}"}}}"#, [
            "importers/x.json:1:61: /columns/a/template: '{' inside the reference opened at character 1; references cannot nest",
        ]),
        ProblemCase("template without reference", #"{"target": {"table": "t"}, "columns": {"a": {"template": "constant"}}}"#, [
            "importers/x.json:1:58: /columns/a/template: the template references no source column ({Header}); use 'value' for a constant",
        ]),
        ProblemCase("chunk_size low", #"{"target": {"table": "t"}, "chunk_size": 0, "columns": {"a": {"from": "A"}}}"#, [
            "importers/x.json:1:42: /chunk_size: expected an integer from 1 to 100000, got 0",
        ]),
        ProblemCase("chunk_size high", #"{"target": {"table": "t"}, "chunk_size": 100001, "columns": {"a": {"from": "A"}}}"#, [
            "importers/x.json:1:42: /chunk_size: expected an integer from 1 to 100000, got 100001",
        ]),
        ProblemCase("chunk_size fraction", #"{"target": {"table": "t"}, "chunk_size": 10.5, "columns": {"a": {"from": "A"}}}"#, [
            "importers/x.json:1:42: /chunk_size: expected an integer from 1 to 100000, got 10.5",
        ]),
        ProblemCase("chunk_size string", #"{"target": {"table": "t"}, "chunk_size": "10", "columns": {"a": {"from": "A"}}}"#, [
            "importers/x.json:1:42: /chunk_size: expected an integer from 1 to 100000, got a string",
        ]),
        ProblemCase("error budget", #"{"target": {"table": "t"}, "error_budget": {"max_failed_rows": -1, "max_failed_ratio": 2}, "columns": {"a": {"from": "A"}}}"#, [
            "importers/x.json:1:64: /error_budget/max_failed_rows: expected an integer ≥ 0, got -1",
            "importers/x.json:1:88: /error_budget/max_failed_ratio: expected a ratio from 0 to 1, got 2",
        ]),
        ProblemCase("error budget empty", #"{"target": {"table": "t"}, "error_budget": {}, "columns": {"a": {"from": "A"}}}"#, [
            "importers/x.json:1:44: /error_budget: set 'max_failed_rows', 'max_failed_ratio' or both",
        ]),
        ProblemCase("transaction", #"{"target": {"table": "t"}, "transaction": "rows", "columns": {"a": {"from": "A"}}}"#, [
            "importers/x.json:1:43: /transaction: expected one of none, row, chunk, all (did you mean 'row'?)",
        ]),
        ProblemCase("row_log", #"{"target": {"table": "t"}, "row_log": true, "columns": {"a": {"from": "A"}}}"#, [
            "importers/x.json:1:39: /row_log: expected one of failed, all, none, got a boolean",
        ]),
        ProblemCase("headers", #"{"target": {"table": "t"}, "headers": {"match": "exactly", "strict": "no", "mode": 1}, "columns": {"a": {"from": "A"}}}"#, [
            "importers/x.json:1:49: /headers/match: expected one of exact, normalized (did you mean 'exact'?)",
            "importers/x.json:1:70: /headers/strict: expected true or false, got a string",
            "importers/x.json:1:76: /headers/mode: unknown key 'mode' (allowed: match, strict)",
        ]),
        ProblemCase("filesystem needs path", #"{"source": {"type": "filesystem"}, "target": {"table": "t"}, "columns": {"a": {"from": "A"}}}"#, [
            "importers/x.json:1:12: /source: missing required key 'path' for source type 'filesystem'",
        ]),
        ProblemCase("path escapes", #"{"source": {"type": "filesystem", "path": "feeds/../../secret.csv"}, "target": {"table": "t"}, "columns": {"a": {"from": "A"}}}"#, [
            "importers/x.json:1:43: /source/path: path must be relative to the data root and stay inside it (no leading '/', no '..')",
        ]),
        ProblemCase("absolute path", #"{"source": {"type": "filesystem", "path": "/etc/passwd"}, "target": {"table": "t"}, "columns": {"a": {"from": "A"}}}"#, [
            "importers/x.json:1:43: /source/path: path must be relative to the data root and stay inside it (no leading '/', no '..')",
        ]),
        ProblemCase("url needs url", #"{"source": {"type": "url", "timeout_s": 0}, "target": {"table": "t"}, "columns": {"a": {"from": "A"}}}"#, [
            "importers/x.json:1:12: /source: missing required key 'url' for source type 'url'",
            "importers/x.json:1:41: /source/timeout_s: expected a timeout in seconds above 0 and at most 86400, got 0",
        ]),
        ProblemCase("url scheme", #"{"source": {"type": "url", "url": "ftp://example.com/x.csv"}, "target": {"table": "t"}, "columns": {"a": {"from": "A"}}}"#, [
            "importers/x.json:1:35: /source/url: expected an http or https URL, got 'ftp://example.com/x.csv'",
        ]),
        ProblemCase("options of another type", #"{"source": {"path": "x.csv", "url": "https://example.com"}, "target": {"table": "t"}, "columns": {"a": {"from": "A"}}}"#, [
            "importers/x.json:1:13: /source/path: 'path' applies only to source types 'filesystem', 'ftp', 'ftps', 'sftp', not 'upload'",
            "importers/x.json:1:30: /source/url: 'url' applies only to source type 'url', not 'upload'",
        ]),
        ProblemCase("source type", #"{"source": {"type": "gopher"}, "target": {"table": "t"}, "columns": {"a": {"from": "A"}}}"#, [
            "importers/x.json:1:21: /source/type: expected one of upload, filesystem, url, ftp, ftps, sftp",
        ]),
        ProblemCase("ftp needs host and path; password_env names an INGEST_SECRET_ variable and needs a user", #"{"source": {"type": "ftp", "password_env": "HOME", "passive": "yes", "port": 0}, "target": {"table": "t"}, "columns": {"a": {"from": "A"}}}"#, [
            "importers/x.json:1:12: /source: missing required key 'host' for source type 'ftp'",
            "importers/x.json:1:12: /source: missing required key 'path' for source type 'ftp'",
            "importers/x.json:1:12: /source: 'password_env' needs a 'username'",
            "importers/x.json:1:44: /source/password_env: 'HOME' may not be named here: a definition may name only environment variables starting with INGEST_SECRET_ followed by A-Z, 0-9 or _ (e.g. INGEST_SECRET_WEBHOOK)",
            "importers/x.json:1:63: /source/passive: expected true or false, got a string",
            "importers/x.json:1:78: /source/port: expected an integer from 1 to 65535, got 0",
        ]),
        ProblemCase("sftp needs a login and a host key check, one of each", #"{"source": {"type": "sftp", "host": "h", "path": "/x.csv", "username": "u"}, "target": {"table": "t"}, "columns": {"a": {"from": "A"}}}"#, [
            "importers/x.json:1:12: /source: source type 'sftp' needs 'password_env' or 'private_key_path' to log in",
            "importers/x.json:1:12: /source: source type 'sftp' needs 'host_key_sha256' or 'known_hosts_path': an unknown host key is refused",
        ]),
        ProblemCase("sftp with both logins and both checks; a bad fingerprint, host and path", #"{"source": {"type": "sftp", "host": "u@h:22", "path": "a\nb", "username": "u", "password_env": "INGEST_SECRET_P", "private_key_path": "k", "host_key_sha256": "SHA256:abc", "known_hosts_path": "kh"}, "target": {"table": "t"}, "columns": {"a": {"from": "A"}}}"#, [
            "importers/x.json:1:12: /source: give one of 'password_env' and 'private_key_path', not both",
            "importers/x.json:1:12: /source: give one of 'host_key_sha256' and 'known_hosts_path', not both",
            "importers/x.json:1:37: /source/host: expected a host name or an IP address without brackets, port or user, got 'u@h:22'",
            "importers/x.json:1:55: /source/path: the path cannot contain control characters (line breaks, tabs, NUL)",
            "importers/x.json:1:159: /source/host_key_sha256: expected a SHA-256 host key fingerprint: 'SHA256:' and 43 base64 characters as ssh-keygen -lf prints it, or 64 hex digits, got 'SHA256:abc'",
        ]),
        ProblemCase("remote keys of another type", #"{"source": {"type": "ftp", "host": "h", "path": "x", "private_key_path": "k", "host_key_sha256": "x", "ca_path": "c"}, "target": {"table": "t"}, "columns": {"a": {"from": "A"}}}"#, [
            "importers/x.json:1:54: /source/private_key_path: 'private_key_path' applies only to source type 'sftp', not 'ftp'",
            "importers/x.json:1:79: /source/host_key_sha256: 'host_key_sha256' applies only to source type 'sftp', not 'ftp'",
            "importers/x.json:1:103: /source/ca_path: 'ca_path' applies only to source type 'ftps', not 'ftp'",
        ]),
        ProblemCase("formats", #"{"source": {"formats": ["csv", "xls", "csv"], "max_size_mb": 0}, "target": {"table": "t"}, "columns": {"a": {"from": "A"}}}"#, [
            "importers/x.json:1:32: /source/formats/1: expected one of csv, tsv, xlsx, json, ndjson (did you mean 'xlsx'?)",
            "importers/x.json:1:39: /source/formats/2: format 'csv' is listed twice",
            "importers/x.json:1:62: /source/max_size_mb: expected an integer from 1 to 1048576, got 0",
        ]),
        ProblemCase("format not allowed", #"{"source": {"formats": ["csv"], "format": "json"}, "target": {"table": "t"}, "columns": {"a": {"from": "A"}}}"#, [
            "importers/x.json:1:43: /source/format: format 'json' is not among the allowed formats (csv)",
        ]),
        ProblemCase("csv options", #"{"source": {"csv": {"delimiter": "é", "quote": "''", "encoding": "utf8", "header_row": 0, "escape": "\\"}}, "target": {"table": "t"}, "columns": {"a": {"from": "A"}}}"#, [
            "importers/x.json:1:34: /source/csv/delimiter: the delimiter must be a single one-byte character other than a line break (or \"auto\"), got \"é\"",
            "importers/x.json:1:48: /source/csv/quote: the quote must be a single one-byte character other than a line break, got \"''\"",
            "importers/x.json:1:66: /source/csv/encoding: expected one of auto, utf-8, utf-16, windows-1252, iso-8859-1 (did you mean 'utf-8'?)",
            "importers/x.json:1:88: /source/csv/header_row: expected an integer from 1 to 1000000, got 0",
            "importers/x.json:1:91: /source/csv/escape: unknown key 'escape' (allowed: delimiter, quote, encoding, header_row)",
        ]),
        ProblemCase("csv delimiter equals quote", #"{"source": {"csv": {"delimiter": "'", "quote": "'"}}, "target": {"table": "t"}, "columns": {"a": {"from": "A"}}}"#, [
            "importers/x.json:1:34: /source/csv/delimiter: the delimiter and the quote must differ",
        ]),
        ProblemCase("xlsx sheet", #"{"source": {"xlsx": {"sheet": 0}}, "target": {"table": "t"}, "columns": {"a": {"from": "A"}}}"#, [
            "importers/x.json:1:31: /source/xlsx/sheet: expected a sheet name or a 1-based sheet number, got an integer",
        ]),
        ProblemCase("json pointer", #"{"source": {"json": {"pointer": "/data/~2"}}, "target": {"table": "t"}, "columns": {"a": {"from": "A"}}}"#, [
            "importers/x.json:1:33: /source/json/pointer: '/data/~2' is not an RFC 6901 JSON pointer (\"\" or \"/a/b\", with '~' only as ~0 or ~1)",
        ]),
        ProblemCase("column type", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "type": "int"}}}"#, [
            "importers/x.json:1:67: /columns/a/type: expected one of text, integer, decimal, boolean, date, datetime, json (did you mean 'integer'?)",
        ]),
        ProblemCase("date formats", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "type": "date", "formats": ["yyyy-MM-dd", "YYYY-mm-DD", "dd 'of' MMMM", "HH 'o''clock", "", "--"]}}}"#, [
            "importers/x.json:1:101: /columns/a/formats/1: 'Y' is not a date pattern letter in \"YYYY-mm-DD\" (use y M d H h m s S a; quote literal text like 'T')",
            "importers/x.json:1:131: /columns/a/formats/3: unterminated quoted text in date pattern \"HH 'o''clock\"",
            "importers/x.json:1:147: /columns/a/formats/4: expected a non-empty string",
            "importers/x.json:1:151: /columns/a/formats/5: date pattern \"--\" has no date or time field (y M d H h m s S a)",
        ]),
        ProblemCase("formats on text", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "formats": ["yyyy"]}}}"#, [
            "importers/x.json:1:59: /columns/a/formats: 'formats' applies only to date and datetime columns, not 'text'",
        ]),
        ProblemCase("boolean spellings", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "type": "boolean", "true_values": ["Yes", "J"], "false_values": ["yes", ""]}}}"#, [
            "importers/x.json:1:124: /columns/a/false_values/0: 'yes' is in both true_values and false_values",
            "importers/x.json:1:131: /columns/a/false_values/1: expected a non-empty string",
        ]),
        ProblemCase("boolean spellings on text", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "true_values": ["y"]}}}"#, [
            "importers/x.json:1:59: /columns/a/true_values: 'true_values' applies only to boolean columns, not 'text'",
        ]),
        ProblemCase("separators", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "type": "decimal", "decimal_separator": "..", "thousands_separator": "1"}}}"#, [
            "importers/x.json:1:99: /columns/a/decimal_separator: expected a single character that is not a digit or a sign, got '..'",
            "importers/x.json:1:128: /columns/a/thousands_separator: expected a single character that is not a digit or a sign, got '1'",
        ]),
        ProblemCase("separators equal", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "type": "decimal", "decimal_separator": ",", "thousands_separator": ","}}}"#, [
            "importers/x.json:1:127: /columns/a/thousands_separator: the thousands separator ',' equals the decimal separator; set a different decimal_separator",
        ]),
        ProblemCase("separators on text", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "decimal_separator": ","}}}"#, [
            "importers/x.json:1:59: /columns/a/decimal_separator: 'decimal_separator' applies only to integer and decimal columns, not 'text'",
        ]),
        ProblemCase("default", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "default": {"x": 1}}}}"#, [
            "importers/x.json:1:70: /columns/a/default: expected a JSON scalar (string, number, boolean or null), got an object",
        ]),
        ProblemCase("booleans", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "nullable": "true", "unique_in_file": 1}}}"#, [
            "importers/x.json:1:71: /columns/a/nullable: expected true or false, got a string",
            "importers/x.json:1:97: /columns/a/unique_in_file: expected true or false, got an integer",
        ]),
        ProblemCase("sql_type", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "sql_type": "TEXT); DROP TABLE t; --"}}}"#, [
            "importers/x.json:1:71: /columns/a/sql_type: 'TEXT); DROP TABLE t; --' is not an SQL type name (letters, digits, spaces, and an optional (n) or (n,m), e.g. \"VARCHAR(255)\")",
        ]),
        ProblemCase("lookup SQLite table", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "lookup": {"table": "sqlite_sequence", "match": "name"}}}}"#, [
            "importers/x.json:1:79: /columns/a/lookup/table: table names starting with 'sqlite_' are reserved for SQLite's internal tables",
        ]),
        ProblemCase("lookup", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "lookup": {"table": "ingest_tokens", "select": "", "create_missing": "yes", "where": 1}}}}"#, [
            "importers/x.json:1:69: /columns/a/lookup: missing required key 'match'",
            "importers/x.json:1:79: /columns/a/lookup/table: table names starting with 'ingest_' are reserved for Ingest's own bookkeeping",
            "importers/x.json:1:106: /columns/a/lookup/select: expected a non-empty string",
            "importers/x.json:1:128: /columns/a/lookup/create_missing: expected true or false, got a string",
            "importers/x.json:1:135: /columns/a/lookup/where: unknown key 'where' (allowed: table, match, select, on_missing, create_missing)",
        ]),
        ProblemCase("lookup type", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "lookup": "categories"}}}"#, [
            "importers/x.json:1:69: /columns/a/lookup: expected an object, got a string",
        ]),
        ProblemCase("column not object", #"{"target": {"table": "t"}, "columns": {"a": "A"}}"#, [
            "importers/x.json:1:45: /columns/a: expected an object, got a string",
        ]),
        ProblemCase("examples", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A"}}, "examples": [{"row": {"A": {}}, "expect": {"values": {"b": 1}}}, {"row": {}, "expect": {"errors": ["a"], "values": {}}}, {"row": {}, "expect": {}}, {"expect": {"errors": []}}, {"row": {}, "expect": {"errors": ["b"]}, "name": "x"}, 3]}"#, [
            "importers/x.json:1:88: /examples/0/row/A: expected a JSON scalar (string, number, boolean or null), got an object",
            "importers/x.json:1:115: /examples/0/expect/values/b: unknown column 'b' in expected values",
            "importers/x.json:1:149: /examples/1/expect/errors: set exactly one of 'values' or 'errors', not both",
            "importers/x.json:1:204: /examples/2/expect: set exactly one of 'values' (the row passes) or 'errors' (the columns that fail)",
            "importers/x.json:1:209: /examples/3: missing required key 'row'",
            "importers/x.json:1:231: /examples/3/expect/errors: expected at least one item",
            "importers/x.json:1:271: /examples/4/expect/errors/0: unknown column 'b' in expected errors",
            "importers/x.json:1:278: /examples/4/name: unknown key 'name' (allowed: row, expect)",
            "importers/x.json:1:292: /examples/5: expected an object, got an integer",
        ]),
        ProblemCase("examples type", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A"}}, "examples": {}}"#, [
            "importers/x.json:1:73: /examples: expected an array of examples, got an object",
        ]),
        ProblemCase("duplicate key", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A"}, "a": {"from": "B"}}}"#, [
            "importers/x.json:1:60: invalid JSON: duplicate key 'a' (first at 1:40)",
        ]),
        ProblemCase("invalid json", "{\n  \"target\": {\"table\": \"t\"},\n  \"columns\": {\"a\": {\"from\": \"A\",}}\n}", [
            "importers/x.json:3:33: invalid JSON: trailing comma before '}'",
        ]),
        ProblemCase("case clash", #"{"target": {"table": "t"}, "columns": {"sku": {"from": "A"}, "SKU": {"from": "B"}}}"#, [
            "importers/x.json:1:62: /columns/SKU: column 'SKU' clashes with column 'sku' (SQL names ignore case)",
        ]),
        ProblemCase("rules type", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": 5}}}"#, [
            "importers/x.json:1:68: /columns/a/rules: expected a rule string (\"required|max:255\") or an array of rules, got an integer",
        ]),
        ProblemCase("transform type", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "transform": "trim"}}}"#, [
            "importers/x.json:1:72: /columns/a/transform: expected an array of transform steps, got a string",
        ]),
        ProblemCase("empty label", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "label": ""}}}"#, [
            "importers/x.json:1:68: /columns/a/label: expected a non-empty string",
        ]),
        ProblemCase("label with a control character", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "label": "x\ny"}}}"#, [
            "importers/x.json:1:68: /columns/a/label: a label is at most 200 characters, without control characters",
        ]),
    ]
}
