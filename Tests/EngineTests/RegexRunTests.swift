import Foundation
import Testing
import SQLite
@testable import Engine

/// Regex rules and `regex_replace` inside real runs: cells built to make a backtracking engine
/// hang pass through in linear time, and patterns that cannot be matched in linear time are
/// refused before any run starts.
@Suite("Regexes in a run")
struct RegexRunTests {
    @Test("a run with catastrophic patterns and a 3 MB cell completes with the right rows")
    func catastrophicPatterns() throws {
        let columns = """
        , "code": { "from": "Code", "rules": "required|regex:/^(a+)+$/" },
          "note": { "from": "Note", "rules": "nullable|regex:/(a+)+$|!/s" },
          "tag": { "from": "Tag", "transform": [{"regex_replace": {"pattern": "/^(a+)+$|(x)/", "with": "<$1$2>"}}] }
        """
        // The 3 MB cell is over the default 1 MiB value cap (`limits`): raised here so the rule sees it.
        let limits = #""limits": { "max_value_bytes": 8388608 },"#
        let f = try EngineFixture(importers: ["items": itemsDefinition(extraTop: limits, extraColumns: columns)])
        let huge = String(repeating: "a", count: 3_000_000)
        let long = String(repeating: "a", count: 100_000)
        let note = String(repeating: "a", count: 80) + "!"  // 81 characters: the `!` alternative matches
        let badNote = String(repeating: "a", count: 80) + "?"  // neither alternative matches
        let csv = "SKU,Name,Price,Code,Note,Tag\n"
            + "A1,Apple,1,aaaa,\(note),xyx\n"
            + "A2,Banana,2,\(huge)!,,aaa\n"
            + "A3,Cherry,3,\(long),\(badNote),\(long)\n"
            + "A4,Date,4,aaa,,\(long)b\n"
        let run = try f.run("items", csv: csv)
        #expect(run.status == .completedWithErrors)
        #expect(run.counts.processed == 4 && run.counts.created == 2 && run.counts.failed == 2)
        let failed = try f.failedRows(run.id)
        #expect(failed.map(\.rowNumber) == [3, 4])
        #expect(failed[0].errors?.validation.map(\.column) == ["code"])
        #expect(failed[0].errors?.validation.first?.messages == ["The code field format is invalid."])
        #expect(failed[1].errors?.validation.map(\.column) == ["note"])
        let rows = try f.query("SELECT sku, length(code), tag FROM items ORDER BY sku")
        #expect(rows.count == 2)
        #expect(rows.first == ["A1", .integer(4), "<x>y<x>"])
        #expect(rows.last?.first == "A4")
        #expect(rows.last?.last == .text(long + "b"))
    }

    @Test("a definition whose regex cannot run in linear time is refused at load, before any run")
    func refusedAtLoad() throws {
        let columns = #", "code": { "from": "Code", "rules": "regex:/^(a|b)\\1$/" }"#
        let f = try EngineFixture(importers: ["items": itemsDefinition(extraColumns: columns)])
        #expect(throws: (any Error).self) { try f.run("items", csv: "SKU,Name,Price,Code\nA1,Apple,1,aa\n") }
        let loaded = f.engine.registry.loaded(slug: "items")
        let problems = loaded?.problems.map(\.description) ?? []
        #expect(loaded?.definition == nil && problems.count == 1)
        #expect(problems.first?.contains("/columns/code/rules/0: rule 'regex': regular expression '^(a|b)\\1$' uses a backreference (\\1), which cannot be matched in linear time") == true)
    }
}
