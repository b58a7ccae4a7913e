import Testing
@testable import Definitions
import RegexEngine

@Suite("Rule syntax")
struct RuleSyntaxTests {
    private func rules(_ rulesJSON: String) -> [RuleSpec]? {
        let json = #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "# + rulesJSON + #"}, "status": {"from": "S"}}}"#
        let loaded = TestFixtures.load(json)
        #expect(loaded.problems.map(\.description) == [])
        return loaded.definition?.columns.first?.rules
    }

    private func spec(_ index: Int, _ name: String, _ arguments: [String] = [], message: String? = nil) -> RuleSpec {
        RuleSpec(name: name, arguments: arguments, message: message, pointer: "/columns/a/rules/\(index)")
    }

    @Test("splits a Laravel-style string on '|' and arguments on ','")
    func stringForm() {
        #expect(rules(#""required|email|max:255|between:1,10|in:a,b,c""#) == [
            spec(0, "required"), spec(1, "email"), spec(2, "max", ["255"]), spec(3, "between", ["1", "10"]),
            spec(4, "in", ["a", "b", "c"]),
        ])
    }

    @Test("a regex argument runs to its closing delimiter, so it may contain '|' and ','")
    func regexWithPipes() {
        #expect(rules(#""required|regex:/^(a|b),c{1,2}$/i|max:9""#) == [
            spec(0, "required"), spec(1, "regex", ["/^(a|b),c{1,2}$/i"]), spec(2, "max", ["9"]),
        ])
        #expect(rules(#""not_regex:/a\\/b|c/|regex:#^x|y$#ms""#) == [
            spec(0, "not_regex", [#"/a\/b|c/"#]), spec(1, "regex", ["#^x|y$#ms"]),
        ])
        // Bracket delimiters close with their partner, nesting counted as in PCRE.
        #expect(rules(#""regex:{^a{2}|b$}|required""#) == [spec(0, "regex", ["{^a{2}|b$}"]), spec(1, "required")])
    }

    @Test("arguments keep their spaces as PHP's str_getcsv does; spaces before an opening quote go")
    func argumentSpaces() {
        #expect(rules(#""in:paid, shipped|not_in: \"a,b\" ,c""#) == [
            spec(0, "in", ["paid", " shipped"]), spec(1, "not_in", ["a,b ", "c"]),
        ])
    }

    @Test("double quotes protect commas in arguments; date_format keeps its whole pattern")
    func quotedArguments() {
        #expect(rules(#""in:\"a,b\",c,\"say \"\"hi\"\"\"|date_format:d, M Y|required""#) == [
            spec(0, "in", ["a,b", "c", #"say "hi""#]), spec(1, "date_format", ["d, M Y"]), spec(2, "required"),
        ])
    }

    @Test("accepts the list form: names, one-key objects and rules with messages")
    func listForm() {
        #expect(rules(#"["required", "max:255", {"min": 2}, {"between": [1, 10.5]}, {"in": ["x", 2, true]}, {"rule": "regex:/^x|y$/", "message": "Custom"}, "regex:/a|b,c/", {"required_if": ["status", "active"]}, {"rule": "email"}]"#) == [
            spec(0, "required"), spec(1, "max", ["255"]), spec(2, "min", ["2"]), spec(3, "between", ["1", "10.5"]),
            spec(4, "in", ["x", "2", "true"]), spec(5, "regex", ["/^x|y$/"], message: "Custom"), spec(6, "regex", ["/a|b,c/"]),
            spec(7, "required_if", ["status", "active"]), spec(8, "email"),
        ])
    }

    @Test("required_if, required_with and required_without refer to target columns")
    func columnReferences() {
        #expect(rules(#""required_if:status,active,pending|required_with:status|required_without:status,a""#) == [
            spec(0, "required_if", ["status", "active", "pending"]), spec(1, "required_with", ["status"]),
            spec(2, "required_without", ["status", "a"]),
        ])
    }

    @Test("points inside the rule string when it has no escapes")
    func positionsInsideString() throws {
        let json = #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "required|minn:2"}}}"#
        let problem = try #require(TestFixtures.load(json).problems.first)
        #expect(problem.pointer == "/columns/a/rules/1")
        #expect(problem.line == 1)
        #expect(problem.column == json.distance(from: json.startIndex, to: try #require(json.range(of: "minn")).lowerBound) + 1)
    }

    @Test("every rule of the vocabulary is accepted with valid arguments")
    func vocabulary() {
        let samples: [String: String] = [
            "required_if": "required_if:status,x", "required_with": "required_with:status", "required_without": "required_without:status",
            "date_format": "date_format:Y-m-d", "before": "before:2030-01-01", "after": "after:2000-01-01", "min": "min:1",
            "max": "max:2", "between": "between:1,2", "size": "size:3", "digits": "digits:4", "digits_between": "digits_between:1,5",
            "in": "in:a", "not_in": "not_in:b", "regex": "regex:/x/", "not_regex": "not_regex:/y/", "starts_with": "starts_with:a",
            "ends_with": "ends_with:z", "exists": "exists:categories,id",
        ]
        let texts = RuleSpec.names.map { samples[$0] ?? $0 }
        let parsed = rules("\"" + texts.joined(separator: "|") + "\"")
        #expect(parsed?.map(\.name) == RuleSpec.names)
        #expect(Set(DefinitionDecoder.ruleArity.keys) == Set(RuleSpec.names))
    }

    @Test("DelimitedRegex parses, compiles and maps flags")
    func regexLiteral() throws {
        let literal = try DelimitedRegex("/^sku-[0-9]+$/i")
        #expect(literal.pattern == "^sku-[0-9]+$" && literal.flags == "i" && literal.text == "/^sku-[0-9]+$/i")
        #expect(literal.options == [.caseInsensitive])
        let regex = try literal.compile()
        #expect(regex.groupCount == 0 && regex.matches("SKU-12") && !regex.matches("SKU-"))
        #expect(throws: DelimitedRegexError.self) { try DelimitedRegex("/a/ x") }
        #expect(throws: DelimitedRegexError.self) { try DelimitedRegex("abc") }
        #expect(throws: DelimitedRegexError.self) { try DelimitedRegex("/[/") }
    }

    @Test("each rule error renders its exact message and position", arguments: Self.cases)
    func ruleErrors(_ problemCase: ProblemCase) {
        let loaded = TestFixtures.load(problemCase.json, fileName: "importers/x.json")
        #expect(loaded.problems.map(\.description) == problemCase.expected)
        #expect(loaded.definition == nil)
    }

    static let cases: [ProblemCase] = [
        ProblemCase("unknown rule with suggestion", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "required|emial"}, "status": {"from": "S"}}}"#, [
            "importers/x.json:1:78: /columns/a/rules/1: unknown rule 'emial' (did you mean 'email'?)",
        ]),
        ProblemCase("unknown rule without suggestion", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "frobnicate"}, "status": {"from": "S"}}}"#, [
            "importers/x.json:1:69: /columns/a/rules/0: unknown rule 'frobnicate'",
        ]),
        ProblemCase("min without argument", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "min"}, "status": {"from": "S"}}}"#, [
            "importers/x.json:1:69: /columns/a/rules/0: rule 'min' takes one argument (min:n), got 0",
        ]),
        ProblemCase("min not a number", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "min:a"}, "status": {"from": "S"}}}"#, [
            "importers/x.json:1:69: /columns/a/rules/0: rule 'min': 'a' is not a number (min:n)",
        ]),
        ProblemCase("between one bound", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "between:1"}, "status": {"from": "S"}}}"#, [
            "importers/x.json:1:69: /columns/a/rules/0: rule 'between' takes 2 arguments (between:a,b), got 1",
        ]),
        ProblemCase("between not numbers", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "between:a,b"}, "status": {"from": "S"}}}"#, [
            "importers/x.json:1:69: /columns/a/rules/0: rule 'between': both bounds must be numbers (between:a,b)",
        ]),
        ProblemCase("between reversed", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "between:10,1"}, "status": {"from": "S"}}}"#, [
            "importers/x.json:1:69: /columns/a/rules/0: rule 'between': the lower bound 10 is above the upper bound 1",
        ]),
        ProblemCase("size two arguments", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "size:1,2"}, "status": {"from": "S"}}}"#, [
            "importers/x.json:1:69: /columns/a/rules/0: rule 'size' takes one argument (size:n), got 2",
        ]),
        ProblemCase("digits not a number", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "digits:x"}, "status": {"from": "S"}}}"#, [
            "importers/x.json:1:69: /columns/a/rules/0: rule 'digits': 'x' is not a whole number ≥ 1",
        ]),
        ProblemCase("digits_between reversed", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "digits_between:3,1"}, "status": {"from": "S"}}}"#, [
            "importers/x.json:1:69: /columns/a/rules/0: rule 'digits_between': the lower bound 3 is above the upper bound 1",
        ]),
        ProblemCase("in empty", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "in:"}, "status": {"from": "S"}}}"#, [
            "importers/x.json:1:69: /columns/a/rules/0: rule 'in' takes at least one argument (in:a,b,c), got 0",
        ]),
        ProblemCase("exists one argument", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "exists:categories"}, "status": {"from": "S"}}}"#, [
            "importers/x.json:1:69: /columns/a/rules/0: rule 'exists' takes 2 arguments (exists:table,column), got 1",
        ]),
        ProblemCase("exists identifiers", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "exists:categories,slug-name"}, "status": {"from": "S"}}}"#, [
            "importers/x.json:1:69: /columns/a/rules/0: rule 'exists': 'slug-name' is not an SQL identifier (exists:table,column)",
        ]),
        ProblemCase("exists reserved table", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "exists:ingest_tokens,token_hash"}, "status": {"from": "S"}}}"#, [
            "importers/x.json:1:69: /columns/a/rules/0: rule 'exists': table names starting with 'ingest_' are reserved for Ingest's own bookkeeping",
        ]),
        ProblemCase("exists SQLite table", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": ["exists:sqlite_schema,name"]}}}"#, [
            "importers/x.json:1:69: /columns/a/rules/0: rule 'exists': table names starting with 'sqlite_' are reserved for SQLite's internal tables",
        ]),
        ProblemCase("required_if one argument", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "required_if:a"}, "status": {"from": "S"}}}"#, [
            "importers/x.json:1:69: /columns/a/rules/0: rule 'required_if' takes at least 2 arguments (required_if:column,value), got 1",
        ]),
        ProblemCase("required_if unknown column", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "required_if:stauts,active"}, "status": {"from": "S"}}}"#, [
            "importers/x.json:1:69: /columns/a/rules/0: unknown column 'stauts' in rule 'required_if' (did you mean 'status'?)",
        ]),
        ProblemCase("required_with unknown column", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "required_with:a,zzz"}, "status": {"from": "S"}}}"#, [
            "importers/x.json:1:69: /columns/a/rules/0: unknown column 'zzz' in rule 'required_with'",
        ]),
        ProblemCase("required_without nothing", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "required_without:"}, "status": {"from": "S"}}}"#, [
            "importers/x.json:1:69: /columns/a/rules/0: rule 'required_without' takes at least one argument (required_without:column), got 0",
        ]),
        ProblemCase("date_format bad pattern", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "date_format:yyyy-MM-dd"}, "status": {"from": "S"}}}"#, [
            "importers/x.json:1:69: /columns/a/rules/0: rule 'date_format': \"yyyy-MM-dd\" repeats 'y': date_format takes PHP's letters as Laravel does (one letter per field), e.g. \"Y-m-d\"",
        ]),
        ProblemCase("before without date", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "before: "}, "status": {"from": "S"}}}"#, [
            "importers/x.json:1:69: /columns/a/rules/0: rule 'before': expected a date (before:2024-01-01)",
        ]),
        ProblemCase("regex without delimiter", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "regex:abc"}, "status": {"from": "S"}}}"#, [
            "importers/x.json:1:75: /columns/a/rules/0: rule 'regex': a regex must start with a delimiter such as '/', as in /^[a-z]+$/",
        ]),
        ProblemCase("regex unclosed", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "required|regex:/abc|max:3"}, "status": {"from": "S"}}}"#, [
            "importers/x.json:1:84: /columns/a/rules/1: rule 'regex': the regex is not closed: no closing '/'",
        ]),
        ProblemCase("regex unknown flag", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "regex:/a|b/g|max:3"}, "status": {"from": "S"}}}"#, [
            "importers/x.json:1:80: /columns/a/rules/0: rule 'regex': unknown regex flag 'g' (use i, m, s, x or u)",
        ]),
        ProblemCase("regex invalid", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "regex:/a(b/|max:3"}, "status": {"from": "S"}}}"#, [
            "importers/x.json:1:69: /columns/a/rules/0: rule 'regex': invalid regular expression 'a(b': missing ')' to close the group opened at offset 1",
        ]),
        ProblemCase("regex backreference refused", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "required|regex:/^(a|b)\\1$/"}, "status": {"from": "S"}}}"#, [
            "importers/x.json:1:68: /columns/a/rules/1: rule 'regex': regular expression '^(a|b)\\1$' uses a backreference (\\1), which cannot be matched in linear time; backreferences, lookahead, lookbehind, atomic groups, possessive quantifiers, recursion and conditionals are refused",
        ]),
        ProblemCase("not_regex lookahead refused", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": ["not_regex:/a(?=b)/i"]}, "status": {"from": "S"}}}"#, [
            "importers/x.json:1:69: /columns/a/rules/0: rule 'not_regex': regular expression 'a(?=b)' uses a lookahead (?=…), which cannot be matched in linear time; backreferences, lookahead, lookbehind, atomic groups, possessive quantifiers, recursion and conditionals are refused",
        ]),
        ProblemCase("regex possessive refused", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "regex:#^\\d++$#"}, "status": {"from": "S"}}}"#, [
            "importers/x.json:1:68: /columns/a/rules/0: rule 'regex': regular expression '^\\d++$' uses a possessive quantifier (++), which cannot be matched in linear time; backreferences, lookahead, lookbehind, atomic groups, possessive quantifiers, recursion and conditionals are refused",
        ]),
        ProblemCase("regex too large", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "regex:/^(?:[a-z]{100}){200}$/"}, "status": {"from": "S"}}}"#, [
            "importers/x.json:1:69: /columns/a/rules/0: rule 'regex': regular expression '^(?:[a-z]{100}){200}$' is too large: with its counted repetitions ({n,m}) expanded it needs more than 10000 instructions; use smaller counts",
        ]),
        ProblemCase("regex trailing text", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "regex:/a/ b|max:3"}, "status": {"from": "S"}}}"#, [
            "importers/x.json:1:78: /columns/a/rules/0: rule 'regex': unexpected text after the regex's closing delimiter (separate rules with '|')",
        ]),
        ProblemCase("no-argument rule with argument", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "email:strict"}, "status": {"from": "S"}}}"#, [
            "importers/x.json:1:69: /columns/a/rules/0: rule 'email' takes no arguments",
        ]),
        ProblemCase("empty rule", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "required||email|"}, "status": {"from": "S"}}}"#, [
            "importers/x.json:1:78: /columns/a/rules/1: empty rule (two '|' in a row, or a '|' at an end?)",
            "importers/x.json:1:85: /columns/a/rules/3: empty rule (two '|' in a row, or a '|' at an end?)",
        ]),
        ProblemCase("empty string", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": ""}, "status": {"from": "S"}}}"#, [
            "importers/x.json:1:68: /columns/a/rules: empty rule string",
        ]),
        ProblemCase("escaped string points at the string", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "required|\u006dinn:2"}, "status": {"from": "S"}}}"#, [
            "importers/x.json:1:68: /columns/a/rules/1: unknown rule 'minn' (did you mean 'min'?)",
        ]),
        ProblemCase("list: unknown rule object", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": [{"mxa": 3}]}, "status": {"from": "S"}}}"#, [
            "importers/x.json:1:70: /columns/a/rules/0: unknown rule 'mxa' (did you mean 'max'?)",
        ]),
        ProblemCase("list: no-argument rule as object", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": [{"email": true}]}, "status": {"from": "S"}}}"#, [
            "importers/x.json:1:70: /columns/a/rules/0: rule 'email' takes no arguments; write it as \"email\"",
        ]),
        ProblemCase("list: too many arguments", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": [{"max": [1, 2]}]}, "status": {"from": "S"}}}"#, [
            "importers/x.json:1:70: /columns/a/rules/0: rule 'max' takes one argument (max:n), got 2",
        ]),
        ProblemCase("list: null argument", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": [{"max": null}]}, "status": {"from": "S"}}}"#, [
            "importers/x.json:1:77: /columns/a/rules/0/max: expected a string, number or boolean argument, got null",
        ]),
        ProblemCase("list: object argument", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": [{"in": [{"a": 1}]}]}, "status": {"from": "S"}}}"#, [
            "importers/x.json:1:77: /columns/a/rules/0/in/0: expected a string, number or boolean argument, got an object",
        ]),
        ProblemCase("list: two keys", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": [{"max": 1, "min": 0}]}, "status": {"from": "S"}}}"#, [
            "importers/x.json:1:69: /columns/a/rules/0: a rule object has one key, the rule name ({\"max\": 255}), or 'rule' with optional 'message' and 'when'",
        ]),
        ProblemCase("list: rule with message problems", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": [{"rule": "mx:3", "message": ""}, {"rule": 3}, {"rule": "max:3", "messages": "x"}]}, "status": {"from": "S"}}}"#, [
            "importers/x.json:1:78: /columns/a/rules/0: unknown rule 'mx' (did you mean 'max'?)",
            "importers/x.json:1:97: /columns/a/rules/0/message: expected a non-empty string",
            "importers/x.json:1:111: /columns/a/rules/1/rule: expected a string, got an integer",
            "importers/x.json:1:133: /columns/a/rules/2/messages: unknown key 'messages' (did you mean 'message'?)",
        ]),
        ProblemCase("list: regex item with pipe is one rule", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": ["regex:/a|b/|max:3"]}, "status": {"from": "S"}}}"#, [
            "importers/x.json:1:69: /columns/a/rules/0: rule 'regex': unexpected text after the regex's closing delimiter",
        ]),
        ProblemCase("list: not a rule", #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": [true, ["required"]]}, "status": {"from": "S"}}}"#, [
            "importers/x.json:1:69: /columns/a/rules/0: expected a rule name or a rule object, got a boolean",
            "importers/x.json:1:75: /columns/a/rules/1: expected a rule name or a rule object, got an array",
        ]),
    ]
}
