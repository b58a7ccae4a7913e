import Foundation
import Testing
@testable import Definitions

@Suite("scratch")
struct ScratchTests {
    static let col = TestFixtures.withColumn
    @Test("print") func printAll() {
        let cases: [(String, String)] = [
            ("unknown rule with suggestion".replacingOccurrences(of: "'", with: ""), #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "required|emial"}, "status": {"from": "S"}}}"#),
            ("unknown rule without suggestion".replacingOccurrences(of: "'", with: ""), #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "frobnicate"}, "status": {"from": "S"}}}"#),
            ("min without argument".replacingOccurrences(of: "'", with: ""), #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "min"}, "status": {"from": "S"}}}"#),
            ("min not a number".replacingOccurrences(of: "'", with: ""), #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "min:a"}, "status": {"from": "S"}}}"#),
            ("between one bound".replacingOccurrences(of: "'", with: ""), #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "between:1"}, "status": {"from": "S"}}}"#),
            ("between not numbers".replacingOccurrences(of: "'", with: ""), #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "between:a,b"}, "status": {"from": "S"}}}"#),
            ("between reversed".replacingOccurrences(of: "'", with: ""), #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "between:10,1"}, "status": {"from": "S"}}}"#),
            ("size two arguments".replacingOccurrences(of: "'", with: ""), #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "size:1,2"}, "status": {"from": "S"}}}"#),
            ("digits not a number".replacingOccurrences(of: "'", with: ""), #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "digits:x"}, "status": {"from": "S"}}}"#),
            ("digits_between reversed".replacingOccurrences(of: "'", with: ""), #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "digits_between:3,1"}, "status": {"from": "S"}}}"#),
            ("in empty".replacingOccurrences(of: "'", with: ""), #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "in:"}, "status": {"from": "S"}}}"#),
            ("exists one argument".replacingOccurrences(of: "'", with: ""), #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "exists:categories"}, "status": {"from": "S"}}}"#),
            ("exists identifiers".replacingOccurrences(of: "'", with: ""), #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "exists:categories,slug-name"}, "status": {"from": "S"}}}"#),
            ("required_if one argument".replacingOccurrences(of: "'", with: ""), #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "required_if:a"}, "status": {"from": "S"}}}"#),
            ("required_if unknown column".replacingOccurrences(of: "'", with: ""), #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "required_if:stauts,active"}, "status": {"from": "S"}}}"#),
            ("required_with unknown column".replacingOccurrences(of: "'", with: ""), #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "required_with:a,zzz"}, "status": {"from": "S"}}}"#),
            ("required_without nothing".replacingOccurrences(of: "'", with: ""), #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "required_without:"}, "status": {"from": "S"}}}"#),
            ("date_format bad pattern".replacingOccurrences(of: "'", with: ""), #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "date_format:Y-m-d"}, "status": {"from": "S"}}}"#),
            ("before without date".replacingOccurrences(of: "'", with: ""), #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "before: "}, "status": {"from": "S"}}}"#),
            ("regex without delimiter".replacingOccurrences(of: "'", with: ""), #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "regex:abc"}, "status": {"from": "S"}}}"#),
            ("regex unclosed".replacingOccurrences(of: "'", with: ""), #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "required|regex:/abc|max:3"}, "status": {"from": "S"}}}"#),
            ("regex unknown flag".replacingOccurrences(of: "'", with: ""), #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "regex:/a|b/g|max:3"}, "status": {"from": "S"}}}"#),
            ("regex invalid".replacingOccurrences(of: "'", with: ""), #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "regex:/a(b/|max:3"}, "status": {"from": "S"}}}"#),
            ("regex trailing text".replacingOccurrences(of: "'", with: ""), #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "regex:/a/ b|max:3"}, "status": {"from": "S"}}}"#),
            ("no-argument rule with argument".replacingOccurrences(of: "'", with: ""), #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "email:strict"}, "status": {"from": "S"}}}"#),
            ("empty rule".replacingOccurrences(of: "'", with: ""), #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "required||email|"}, "status": {"from": "S"}}}"#),
            ("empty string".replacingOccurrences(of: "'", with: ""), #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": ""}, "status": {"from": "S"}}}"#),
            ("escaped string points at the string".replacingOccurrences(of: "'", with: ""), #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": "required|\u006dinn:2"}, "status": {"from": "S"}}}"#),
            ("list: unknown rule object".replacingOccurrences(of: "'", with: ""), #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": [{"mxa": 3}]}, "status": {"from": "S"}}}"#),
            ("list: no-argument rule as object".replacingOccurrences(of: "'", with: ""), #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": [{"email": true}]}, "status": {"from": "S"}}}"#),
            ("list: too many arguments".replacingOccurrences(of: "'", with: ""), #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": [{"max": [1, 2]}]}, "status": {"from": "S"}}}"#),
            ("list: null argument".replacingOccurrences(of: "'", with: ""), #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": [{"max": null}]}, "status": {"from": "S"}}}"#),
            ("list: object argument".replacingOccurrences(of: "'", with: ""), #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": [{"in": [{"a": 1}]}]}, "status": {"from": "S"}}}"#),
            ("list: two keys".replacingOccurrences(of: "'", with: ""), #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": [{"max": 1, "min": 0}]}, "status": {"from": "S"}}}"#),
            ("list: rule with message problems".replacingOccurrences(of: "'", with: ""), #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": [{"rule": "mx:3", "message": ""}, {"rule": 3}, {"rule": "max:3", "messages": "x"}]}, "status": {"from": "S"}}}"#),
            ("list: regex item with pipe is one rule".replacingOccurrences(of: "'", with: ""), #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": ["regex:/a|b/|max:3"]}, "status": {"from": "S"}}}"#),
            ("list: not a rule".replacingOccurrences(of: "'", with: ""), #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": [true, ["required"]]}, "status": {"from": "S"}}}"#),
        ]
        var out = ""
        for (label, json) in cases {
            let problems = TestFixtures.problems(json, fileName: "importers/x.json")
            let literal = json.contains("\n") ? json.debugDescription : "#\"" + json + "\"#"
            out += "        ProblemCase(\(label.debugDescription), \(literal), [\n"
            for p in problems { out += "            \(p.debugDescription),\n" }
            out += "        ]),\n"
        }
        try? out.write(toFile: "/tmp/defs/rulecases.swift", atomically: true, encoding: .utf8)
    }
}
