import Foundation
import Testing
@testable import Definitions

@Suite("scratch")
struct ScratchTests {
    @Test("print") func printAll() {
        let cases: [String] = [
            TestFixtures.withColumn(#"{"from": "A", "rules": "required|minn:2|max:abc|between:5,1|in:|regex:/[a-z/|regex:/(/|regex:/^(a|b),c$/ig|not_regex:#x#q|exists:a|required_if:nope,1|digits:0|date_format:YYYY|email:1||"}"#),
            TestFixtures.withColumn(#"{"from": "A", "rules": ["required", {"max": 255}, {"between": [1]}, {"rule": "regex:/^x$/", "message": "Custom"}, {"emial": 1}, {"email": true}, {"rule": "min:1", "mesage": "x"}, {"a": 1, "b": 2}, 5, "regex:/a|b/", "regex:/a/|max:1"]}"#),
            TestFixtures.withColumn(#"{"from": "A", "transform": ["trimm", "replace", {"trim": true}, {"replace": {"from": "", "to": 1}}, {"regex_replace": {"pattern": "(", "with": ""}}, {"null_if": "x"}, {"map": {}}, {"map": {"a": [1]}, "defualt": 1}, {"pad_left": {"length": 0, "with": "ab"}}, {"substring": {"length": 2}}, {"divide": 0}, {"round": 20}, {"split": ""}, {"multiply": "x"}, {"prefix": "a", "suffix": "b"}, 3]}"#),
            """
            {
              "slug": "Bad Slug",
              "source": {"type": "filesystem", "url": "ftp://x", "formats": ["csv"], "csv": {"delimiter": ";;", "quote": "", "encoding": "latin1", "header_row": 0}, "xlsx": {"sheet": 0}, "json": {"pointer": "data"}, "format": "xls"},
              "target": {"table": "ingest_runs", "key": ["skuu", "sku", "sku"], "on_duplicate": "merge", "newer_by": "x"},
              "headers": {"match": "fuzzy", "strict": "yes"},
              "transaction": "chunks",
              "chunk_size": 0,
              "row_log": "some",
              "error_budget": {"max_failed_ratio": 1.5, "max_failed_rows": -1},
              "colums": {},
              "columns": {
                "sku": {"from": [], "type": "int", "formats": ["yyyy"], "nullable": 1},
                "Sku": {"from": "A", "value": 1},
                "1bad": {"template": "{First} {"},
                "d": {"from": "D", "type": "date", "formats": ["YYYY-MM-dd", "'T", "--"], "true_values": ["y"]},
                "b": {"from": "B", "type": "boolean", "true_values": ["y", "Y"], "false_values": ["n", "y"]},
                "n": {"from": "N", "type": "decimal", "decimal_separator": ",,", "thousands_separator": "."},
                "m": {"from": "M", "type": "decimal", "thousands_separator": "."},
                "l": {"from": "L", "lookup": {"table": "bad name", "select": "1x", "create_missing": "no"}},
                "s": {"from": "S", "sql_type": "TEXT; DROP TABLE x"},
                "v": {"value": "{{run.idd}} {{run.id"},
                "t": {},
                "e": {"frm": "E"}
              },
              "examples": [{"row": {"A": [1]}, "expect": {"values": {"nope": 1}, "errors": ["x"]}}, {"row": {}, "expect": {}}, {"expect": {"errors": ["sku", "zzz"]}}]
            }
            """,
            #"{"target": {"table": "t", "on_duplicate": "update_if_newer"}, "columns": {"a": {"from": "A"}}}"#,
            #"{"target": {"table": "t", "on_duplicate": "update"}, "columns": {"a": {"from": "A"}}}"#,
            #"{"source": {"type": "url"}, "target": {"table": "t"}, "columns": {"a": {"from": "A"}}}"#,
            #"{"source": {"type": "filesystem", "path": "../etc/passwd"}, "target": {"table": "t"}, "columns": {"a": {"from": "A"}}}"#,
            #"{"source": {"type": "url", "url": "https://x.y/a", "headers": {"Bad Name": "x", "X-Ok": "a\nb"}}, "target": {"table": "t"}, "columns": {"a": {"from": "A"}}}"#,
            #"{}"#,
            #"[]"#,
            #"{"target": {"table": "t"}, "columns": {}}"#,
        ]
        for c in cases {
            print("=====")
            for p in TestFixtures.problems(c, fileName: "importers/x.json") { print(p) }
        }
    }
}
