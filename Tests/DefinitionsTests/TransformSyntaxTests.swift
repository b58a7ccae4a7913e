import Testing
@testable import Definitions

@Suite("Transform syntax")
struct TransformSyntaxTests {
    private func transforms(_ stepsJSON: String) -> [TransformSpec]? {
        let json = #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "transform": "# + stepsJSON + #"}}}"#
        let loaded = TestFixtures.load(json)
        #expect(loaded.problems.map(\.description) == [])
        return loaded.definition?.columns.first?.transforms
    }

    @Test("reads every bare transform name")
    func bareNames() {
        #expect(transforms(#"["trim", "collapse_whitespace", "lowercase", "uppercase", "title_case", "slug", "strip_non_digits"]"#) == [
            .trim, .collapseWhitespace, .lowercase, .uppercase, .titleCase, .slug, .stripNonDigits,
        ])
    }

    @Test("reads every transform with arguments")
    func withArguments() {
        let json = #"""
        [{"replace": {"from": "x", "to": ""}}, {"regex_replace": {"pattern": "\\d+", "with": "#"}},
         {"null_if": ["", "N/A", "-"]}, {"map": {"Y": "1", "N": 0, "?": null}}, {"map": {"a": true}, "default": "z"},
         {"prefix": "p"}, {"suffix": "s"}, {"pad_left": {"length": 8, "with": "0"}}, {"substring": {"start": 1}},
         {"substring": {"start": 0, "length": 3}}, {"multiply": 100}, {"divide": 2.5}, {"round": 2}, {"split": ","}]
        """#
        #expect(transforms(json) == [
            .replace(from: "x", to: ""), .regexReplace(pattern: "\\d+", with: "#"), .nullIf(["", "N/A", "-"]),
            .map(["Y": .string("1"), "N": .integer(0), "?": .null], default: nil), .map(["a": .bool(true)], default: .string("z")),
            .prefix("p"), .suffix("s"), .padLeft(length: 8, with: "0"), .substring(start: 1, length: nil),
            .substring(start: 0, length: 3), .multiply(100), .divide(2.5), .round(2), .split(","),
        ])
    }

    @Test("the decoder knows exactly the transform vocabulary")
    func vocabulary() {
        let known = Set(DefinitionDecoder.bareTransforms.keys).union(DefinitionDecoder.transformUsage.keys)
        #expect(known == Set(TransformSpec.names))
        #expect(DefinitionDecoder.bareTransforms.count + DefinitionDecoder.transformUsage.count == TransformSpec.names.count)
    }

    @Test("each transform error renders its exact message and position", arguments: Self.cases)
    func transformErrors(_ problemCase: ProblemCase) {
        let loaded = TestFixtures.load(problemCase.json, fileName: "importers/x.json")
        #expect(loaded.problems.map(\.description) == problemCase.expected)
        #expect(loaded.definition == nil)
    }

    static let cases: [ProblemCase] = [
        ProblemCase("unknown transform with suggestion", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "transform": ["trimm"]}}}"#, [
            "importers/x.json:1:73: /columns/a/transform/0: unknown transform 'trimm' (did you mean 'trim'?)",
        ]),
        ProblemCase("unknown transform object", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "transform": [{"mutliply": 2}]}}}"#, [
            "importers/x.json:1:74: /columns/a/transform/0: unknown transform 'mutliply' (did you mean 'multiply'?)",
        ]),
        ProblemCase("argument transform written bare", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "transform": ["replace"]}}}"#, [
            "importers/x.json:1:73: /columns/a/transform/0: transform 'replace' needs an argument: {\"replace\": {\"from\": \"x\", \"to\": \"y\"}}",
        ]),
        ProblemCase("bare transform written as object", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "transform": [{"trim": true}]}}}"#, [
            "importers/x.json:1:74: /columns/a/transform/0: transform 'trim' takes no argument; write it as \"trim\"",
        ]),
        ProblemCase("replace arguments", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "transform": [{"replace": {"from": "", "to": 1}}]}}}"#, [
            "importers/x.json:1:94: /columns/a/transform/0/replace/from: expected a non-empty string",
            "importers/x.json:1:104: /columns/a/transform/0/replace/to: expected a string, got an integer",
        ]),
        ProblemCase("replace missing keys", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "transform": [{"replace": {}}]}}}"#, [
            "importers/x.json:1:85: /columns/a/transform/0/replace: missing required key 'from'",
            "importers/x.json:1:85: /columns/a/transform/0/replace: missing required key 'to'",
        ]),
        ProblemCase("regex_replace invalid pattern", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "transform": [{"regex_replace": {"pattern": "(", "with": ""}}]}}}"#, [
            "importers/x.json:1:103: /columns/a/transform/0/regex_replace/pattern: invalid regular expression '(': missing ')' to close the group opened at offset 0",
        ]),
        ProblemCase("regex_replace lookbehind refused", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "transform": [{"regex_replace": {"pattern": "/(?<=a)b/i", "with": ""}}]}}}"#, [
            "importers/x.json:1:103: /columns/a/transform/0/regex_replace/pattern: regular expression '(?<=a)b' uses a lookbehind (?<=…), which cannot be matched in linear time; backreferences, lookahead, lookbehind, atomic groups, possessive quantifiers, recursion and conditionals are refused",
        ]),
        ProblemCase("regex_replace missing group", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "transform": [{"regex_replace": {"pattern": "(\\d+)-(\\d+)", "with": "$3"}}]}}}"#, [
            "importers/x.json:1:128: /columns/a/transform/0/regex_replace/with: the replacement refers to group $3, but the pattern has 2 groups (write \\$ for a literal '$')",
        ]),
        ProblemCase("regex_replace unclosed slash", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "transform": [{"regex_replace": {"pattern": "/a", "with": ""}}]}}}"#, [
            "importers/x.json:1:103: /columns/a/transform/0/regex_replace/pattern: regex is missing its closing '/' (a pattern that starts with '/' is read as /pattern/flags; write \\/ for a literal '/')",
        ]),
        ProblemCase("null_if not a list", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "transform": [{"null_if": "N/A"}]}}}"#, [
            "importers/x.json:1:85: /columns/a/transform/0/null_if: expected an array of strings, got a string — {\"null_if\": [\"\", \"N/A\"]}",
        ]),
        ProblemCase("map empty", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "transform": [{"map": {}}]}}}"#, [
            "importers/x.json:1:81: /columns/a/transform/0/map: expected at least one mapping",
        ]),
        ProblemCase("map values must be scalars", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "transform": [{"map": {"a": [1]}, "defualt": 1}]}}}"#, [
            "importers/x.json:1:87: /columns/a/transform/0/map/a: expected a JSON scalar (string, number, boolean or null), got an array",
            "importers/x.json:1:93: /columns/a/transform/0/defualt: unexpected key 'defualt' in a 'map' step: a step object has one key (and 'default') and optionally 'when' (did you mean 'default'?)",
        ]),
        ProblemCase("map default must be a scalar", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "transform": [{"map": {"a": 1}, "default": {}}]}}}"#, [
            "importers/x.json:1:102: /columns/a/transform/0/default: expected a JSON scalar (string, number, boolean or null), got an object",
        ]),
        ProblemCase("pad_left arguments", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "transform": [{"pad_left": {"length": 0, "with": "ab"}}]}}}"#, [
            "importers/x.json:1:97: /columns/a/transform/0/pad_left/length: expected an integer from 1 to 10000, got 0",
            "importers/x.json:1:108: /columns/a/transform/0/pad_left/with: expected a single padding character, got 'ab'",
        ]),
        ProblemCase("substring needs start", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "transform": [{"substring": {"length": -1}}]}}}"#, [
            "importers/x.json:1:87: /columns/a/transform/0/substring: missing required key 'start'",
            "importers/x.json:1:98: /columns/a/transform/0/substring/length: expected an integer ≥ 0, got -1",
        ]),
        ProblemCase("divide by zero", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "transform": [{"divide": 0}]}}}"#, [
            "importers/x.json:1:84: /columns/a/transform/0/divide: cannot divide by zero",
        ]),
        ProblemCase("multiply needs a number", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "transform": [{"multiply": "2"}]}}}"#, [
            "importers/x.json:1:86: /columns/a/transform/0/multiply: expected a number, got a string",
        ]),
        ProblemCase("round places", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "transform": [{"round": 16}]}}}"#, [
            "importers/x.json:1:83: /columns/a/transform/0/round: expected an integer from 0 to 15, got 16",
        ]),
        ProblemCase("split separator", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "transform": [{"split": ""}]}}}"#, [
            "importers/x.json:1:83: /columns/a/transform/0/split: expected a non-empty string",
        ]),
        ProblemCase("prefix must be text", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "transform": [{"prefix": 1}]}}}"#, [
            "importers/x.json:1:84: /columns/a/transform/0/prefix: expected a string, got an integer",
        ]),
        ProblemCase("two transforms in one step", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "transform": [{"prefix": "a", "suffix": "b"}]}}}"#, [
            "importers/x.json:1:89: /columns/a/transform/0/suffix: unexpected key 'suffix' in a 'prefix' step: a step object has one key and optionally 'when'",
        ]),
        ProblemCase("empty step object", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "transform": [{}]}}}"#, [
            "importers/x.json:1:73: /columns/a/transform/0: a transform step object has one key, the transform name (and optionally 'when')",
        ]),
        ProblemCase("step of the wrong kind", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "transform": [3, null]}}}"#, [
            "importers/x.json:1:73: /columns/a/transform/0: expected a transform name or a one-key object, got an integer",
            "importers/x.json:1:76: /columns/a/transform/1: expected a transform name or a one-key object, got null",
        ]),
    ]
}
