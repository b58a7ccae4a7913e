import Testing
@testable import Definitions

/// `when` conditions on columns, transform steps and rules: what they decode to, and each
/// problem with its position.
@Suite("When syntax")
struct WhenSyntaxTests {
    @Test("a when decodes on a column, a transform step and a rule object")
    func decodes() throws {
        let json = #"""
            {"target": {"table": "t"}, "columns": {"a": {"from": "A", "when": {"column": "Type", "equals": 1},
             "transform": ["trim", {"uppercase": true, "when": {"column": "Type", "in": ["x", true]}}, {"multiply": 2, "when": {"column": "T", "matches": "^p", "not": true}}],
             "rules": [{"rule": "required", "message": "m", "when": {"column": "Type", "equals": "p"}}, "max:3"]}}}
            """#
        let loaded = TestFixtures.load(json)
        #expect(loaded.problems.map(\.description) == [])
        let column = try #require(loaded.definition?.columns.first)
        #expect(column.when == WhenSpec(column: "Type", test: .equals("1"), pointer: "/columns/a/when"))
        #expect(column.transforms == [.trim, .uppercase, .multiply(2)])
        #expect(column.transformWhen == [
            1: WhenSpec(column: "Type", test: .oneOf(["x", "true"]), pointer: "/columns/a/transform/1/when"),
            2: WhenSpec(column: "T", test: .matches("^p"), negated: true, pointer: "/columns/a/transform/2/when"),
        ])
        #expect(column.rules.map(\.when) == [WhenSpec(column: "Type", test: .equals("p"), pointer: "/columns/a/rules/0/when"), nil])
    }

    @Test("each when problem renders its exact message and position", arguments: Self.cases)
    func problems(_ problemCase: ProblemCase) {
        let loaded = TestFixtures.load(problemCase.json, fileName: "importers/x.json")
        #expect(loaded.problems.map(\.description) == problemCase.expected)
        #expect(loaded.definition == nil)
    }

    static func column(_ members: String) -> String {
        #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "# + members + "}}}"
    }

    static let cases: [ProblemCase] = [
        ProblemCase("two operators", column(#""when": {"column": "T", "equals": "x", "in": ["y"]}"#), [
            "importers/x.json:1:98: /columns/a/when/in: set one of 'equals', 'in', 'matches', not both 'equals' and 'in'",
        ]),
        ProblemCase("no operator", column(#""when": {"column": "T"}"#), [
            "importers/x.json:1:67: /columns/a/when: set one of 'equals', 'in', 'matches'",
        ]),
        ProblemCase("unknown key", column(#""when": {"column": "T", "equal": "x"}"#), [
            "importers/x.json:1:67: /columns/a/when: set one of 'equals', 'in', 'matches'",
            "importers/x.json:1:83: /columns/a/when/equal: unknown key 'equal' (did you mean 'equals'?)",
        ]),
        ProblemCase("bad pattern", column(#""when": {"column": "T", "matches": "(("}"#), [
            "importers/x.json:1:94: /columns/a/when/matches: invalid regular expression '((': missing ')' to close the group opened at offset 1",
        ]),
        ProblemCase("not a condition", column(#""when": "T""#), [
            "importers/x.json:1:67: /columns/a/when: expected an object, got a string",
        ]),
        ProblemCase("bare step with a false argument", column(#""transform": [{"trim": false, "when": {"column": "T", "equals": "x"}}]"#), [
            "importers/x.json:1:74: /columns/a/transform/0: transform 'trim' takes no argument; write it as \"trim\" (with a condition: {\"trim\": true, \"when\": {…}})",
        ]),
        ProblemCase("rule when without column", column(#""rules": [{"rule": "required", "when": {"in": ["x"]}}]"#), [
            "importers/x.json:1:98: /columns/a/rules/0/when: missing required key 'column' (the source header whose cell is tested)",
        ]),
    ]
}
