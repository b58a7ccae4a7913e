import Foundation
import Testing
@testable import CLI

@Suite("ingest check and regexes")
struct RegexCheckTests {
    @Test("check refuses patterns that cannot run in linear time, with file, position and pointer")
    func refused() throws {
        let cli = try CLIHarness()
        let path = cli.path("importers/codes.json")
        try #"""
        {"target": {"table": "codes"}, "columns": {
          "code": {"from": "Code", "rules": "required|regex:/^(?=a)\\w+$/"},
          "tag": {"from": "Tag", "transform": [{"regex_replace": {"pattern": "(a)\\1", "with": "$1"}}]}
        }}
        """#.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(cli.run("check", path) == 1)
        #expect(cli.stderr.contains("/columns/code/rules/1: rule 'regex': regular expression '^(?=a)\\w+$' uses a lookahead (?=…), which cannot be matched in linear time"))
        #expect(cli.stderr.contains("/columns/tag/transform/0/regex_replace/pattern: regular expression '(a)\\1' uses a backreference (\\1), which cannot be matched in linear time"))
    }

    @Test("a run through the command line with a catastrophic pattern and a long cell completes")
    func runs() throws {
        let cli = try CLIHarness()
        try #"{"target": {"table": "codes", "key": ["id"]}, "columns": {"id": {"from": "Id"}, "code": {"from": "Code", "rules": "regex:/^(a+)+$/"}}}"#
            .write(toFile: cli.path("importers/codes.json"), atomically: true, encoding: .utf8)
        let csv = "Id,Code\n1,aaaa\n2," + String(repeating: "a", count: 300_000) + "!\n"
        try csv.write(toFile: cli.path("codes.csv"), atomically: true, encoding: .utf8)
        #expect(cli.run("run", "codes", cli.path("codes.csv")) == 2)
        #expect(cli.stdout.contains("1 created") && cli.stdout.contains("1 failed"))
    }
}
