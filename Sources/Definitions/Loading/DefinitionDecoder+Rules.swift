import Foundation
import IngestSupport

/// Rule syntax.
///
/// String form, Laravel style: `"required|email|max:255"`. Rules are separated by `|`; a rule's
/// name ends at the first `:` and its arguments follow, separated by `,` (an argument may be
/// double-quoted to contain a comma: `in:"a,b",c`). Two exceptions keep patterns intact:
/// - `regex:` / `not_regex:` take one delimited pattern (see `DelimitedRegex`) that runs from its
///   opening delimiter to the matching closing one, flags included, so it may contain `|` and `,`;
/// - `date_format:` takes the rest of the rule as one pattern.
///
/// List form: `["required", "email", {"max": 255}, {"between": [1, 10]},
/// {"rule": "regex:/^x$/", "message": "Custom"}]`. A string item is one rule (no `|` splitting);
/// a one-key object maps a rule name to its argument or list of arguments; an object with
/// `rule` (and optionally `message`) carries its own message.
extension DefinitionDecoder {
    /// How many arguments each rule takes (`nil` upper bound: any number from the minimum on).
    static let ruleArity: [String: (min: Int, max: Int?)] = [
        "required": (0, 0), "nullable": (0, 0), "required_if": (2, nil), "required_with": (1, nil),
        "required_without": (1, nil), "string": (0, 0), "integer": (0, 0), "numeric": (0, 0),
        "boolean": (0, 0), "email": (0, 0), "url": (0, 0), "uuid": (0, 0), "ip": (0, 0), "date": (0, 0),
        "date_format": (1, 1), "before": (1, 1), "after": (1, 1), "min": (1, 1), "max": (1, 1),
        "between": (2, 2), "size": (1, 1), "digits": (1, 1), "digits_between": (2, 2), "in": (1, nil),
        "not_in": (1, nil), "regex": (1, 1), "not_regex": (1, 1), "alpha": (0, 0), "alpha_num": (0, 0), "ascii": (0, 0),
        "alpha_dash": (0, 0), "starts_with": (1, nil), "ends_with": (1, nil), "distinct": (0, 0),
        "unique": (0, 0), "exists": (2, 2),
    ]

    /// What the arguments of a rule look like, for arity messages.
    static let ruleUsage: [String: String] = [
        "required_if": "required_if:column,value", "required_with": "required_with:column",
        "required_without": "required_without:column", "date_format": "date_format:Y-m-d",
        "before": "before:2024-01-01", "after": "after:2024-01-01", "min": "min:n", "max": "max:n",
        "between": "between:a,b", "size": "size:n", "digits": "digits:n", "digits_between": "digits_between:a,b",
        "in": "in:a,b,c", "not_in": "not_in:a,b", "regex": "regex:/pattern/", "not_regex": "not_regex:/pattern/",
        "starts_with": "starts_with:a,b", "ends_with": "ends_with:a,b", "exists": "exists:table,column",
    ]

    /// `rules`: a `|`-separated string or a list.
    func decodeRules(_ node: JSONNode, _ pointer: String) -> [RuleSpec] {
        switch node.value {
        case .string(let text):
            return parseRuleString(text, node, pointer)
        case .array(let items):
            var rules: [RuleSpec] = []
            for (i, item) in items.enumerated() {
                if let rule = decodeRuleItem(item, JSONPointer.appending(pointer, i)) { rules.append(rule) }
            }
            return rules
        default:
            report("expected a rule string (\"required|max:255\") or an array of rules, got \(node.kindDescription)", at: pointer, node.position)
            return []
        }
    }

    private func parseRuleString(_ text: String, _ node: JSONNode, _ pointer: String) -> [RuleSpec] {
        let s = Array(text.unicodeScalars)
        var rules: [RuleSpec] = []
        if s.isEmpty {
            report("empty rule string", at: pointer, node.position)
            return []
        }
        var i = 0
        var index = 0
        while true {
            let start = i
            let rulePointer = JSONPointer.appending(pointer, index)
            let position = node.position(ofScalar: start)
            while i < s.count && s[i] != ":" && s[i] != "|" { i += 1 }
            let name = String(String.UnicodeScalarView(s[start..<i])).trimmingCharacters(in: .whitespaces)
            var arguments: [String] = []
            var usable = true
            if i < s.count && s[i] == ":" {
                i += 1
                if name == "regex" || name == "not_regex" {
                    do {
                        let end = try DelimitedRegex.scan(s, from: i)
                        arguments = [String(String.UnicodeScalarView(s[i..<end]))]
                        i = end
                    } catch {
                        report("rule '\(name)': \(error.message)", at: rulePointer, node.position(ofScalar: error.scalarOffset))
                        usable = false
                        if let resume = error.resumeOffset { i = resume }
                    }
                    if usable && i < s.count && s[i] != "|" {
                        report("rule '\(name)': unexpected text after the regex's closing delimiter (separate rules with '|')", at: rulePointer, node.position(ofScalar: i))
                        usable = false
                    }
                    if !usable {
                        // Resynchronise at the next '|' so later rules are still checked.
                        while i < s.count && s[i] != "|" { i += 1 }
                    }
                } else {
                    let argumentStart = i
                    while i < s.count && s[i] != "|" { i += 1 }
                    let argumentText = String(String.UnicodeScalarView(s[argumentStart..<i]))
                    arguments = name == "date_format" ? [argumentText] : Self.splitArguments(argumentText)
                }
            }
            if name.isEmpty {
                report("empty rule (two '|' in a row, or a '|' at an end?)", at: rulePointer, position)
            } else if usable, let rule = checkRule(name: name, arguments: arguments, message: nil, pointer: rulePointer, position: position) {
                rules.append(rule)
            }
            guard i < s.count else { break }
            i += 1  // '|'
            index += 1
            if i == s.count {
                report("empty rule (two '|' in a row, or a '|' at an end?)", at: JSONPointer.appending(pointer, index), node.position(ofScalar: i))
                break
            }
        }
        return rules
    }

    /// Splits `a,b,"c,d"` into `a`, `b`, `c,d`: double quotes protect commas, `""` is a quote.
    /// As PHP's `str_getcsv` (which Laravel parses rule parameters with), spaces are kept:
    /// `in:paid, shipped` lists `paid` and ` shipped`; only spaces before an opening quote go.
    static func splitArguments(_ text: String) -> [String] {
        if text.isEmpty { return [] }
        var result: [String] = []
        var current = ""
        var inQuotes = false
        var chars = Array(text)[...]
        while let c = chars.popFirst() {
            if inQuotes {
                if c == "\"" {
                    if chars.first == "\"" {
                        current.append("\"")
                        chars = chars.dropFirst()
                    } else {
                        inQuotes = false
                    }
                } else {
                    current.append(c)
                }
            } else if c == "\"" && current.allSatisfy({ $0 == " " || $0 == "\t" }) {
                current = ""
                inQuotes = true
            } else if c == "," {
                result.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        result.append(current)
        return result
    }

    private func decodeRuleItem(_ item: JSONNode, _ pointer: String) -> RuleSpec? {
        switch item.value {
        case .string(let text):
            return parseSingleRule(text, item, pointer, message: nil)
        case .object(let members):
            if members.contains(where: { $0.key == "rule" }) {
                guard let fields = object(item, pointer, allowed: DefinitionKeys.ruleWithMessage),
                      let ruleMember = fields["rule"],
                      let text = string(ruleMember.value, pointer + "/rule", nonEmpty: true) else { return nil }
                var message: String?
                var messageUsable = true
                if let m = fields["message"] {
                    message = string(m.value, pointer + "/message", nonEmpty: true)
                    messageUsable = message != nil
                }
                var when: WhenSpec?
                if let m = fields["when"] {
                    when = decodeWhen(m.value, pointer + "/when")
                    messageUsable = messageUsable && when != nil
                }
                var rule = parseSingleRule(text, ruleMember.value, pointer, message: message)
                rule?.when = when
                return messageUsable ? rule : nil
            }
            guard members.count == 1, let member = members.first else {
                report("a rule object has one key, the rule name ({\"max\": 255}), or 'rule' with optional 'message' and 'when'", at: pointer, item.position)
                return nil
            }
            let name = member.key
            guard let arity = Self.ruleArity[name] else {
                report("unknown rule '\(name)'\(Suggestion.hint(for: name, in: RuleSpec.names))", at: pointer, member.keyPosition)
                return nil
            }
            if arity.max == 0 {
                report("rule '\(name)' takes no arguments; write it as \"\(name)\"", at: pointer, member.keyPosition)
                return nil
            }
            var arguments: [String] = []
            let valuePointer = JSONPointer.appending(pointer, name)
            switch member.value.value {
            case .array(let values):
                for (i, value) in values.enumerated() {
                    guard let text = argumentText(value, JSONPointer.appending(valuePointer, i)) else { return nil }
                    arguments.append(text)
                }
            default:
                guard let text = argumentText(member.value, valuePointer) else { return nil }
                arguments = [text]
            }
            return checkRule(name: name, arguments: arguments, message: nil, pointer: pointer, position: member.keyPosition)
        default:
            report("expected a rule name or a rule object, got \(item.kindDescription)", at: pointer, item.position)
            return nil
        }
    }

    private func argumentText(_ node: JSONNode, _ pointer: String) -> String? {
        guard let scalar = node.scalar, scalar != .null, let text = scalar.text else {
            report("expected a string, number or boolean argument, got \(node.kindDescription)", at: pointer, node.position)
            return nil
        }
        return text
    }

    /// One rule written alone (a list item): the whole text after `name:` is its argument text.
    private func parseSingleRule(_ text: String, _ node: JSONNode, _ pointer: String, message: String?) -> RuleSpec? {
        let name: String
        var arguments: [String] = []
        if let colon = text.firstIndex(of: ":") {
            name = String(text[..<colon]).trimmingCharacters(in: .whitespaces)
            let rest = String(text[text.index(after: colon)...])
            arguments = name == "regex" || name == "not_regex" || name == "date_format" ? [rest] : Self.splitArguments(rest)
        } else {
            name = text.trimmingCharacters(in: .whitespaces)
        }
        return checkRule(name: name, arguments: arguments, message: message, pointer: pointer, position: node.position)
    }

    /// Checks a rule's name, arity and arguments; the `RuleSpec` when all is well.
    func checkRule(name: String, arguments: [String], message: String?, pointer: String, position: SourcePosition?) -> RuleSpec? {
        guard let arity = Self.ruleArity[name] else {
            report("unknown rule '\(name)'\(Suggestion.hint(for: name, in: RuleSpec.names))", at: pointer, position)
            return nil
        }
        let usage = Self.ruleUsage[name].map { " (\($0))" } ?? ""
        if arity.max == 0 && !arguments.isEmpty {
            report("rule '\(name)' takes no arguments", at: pointer, position)
            return nil
        }
        if arguments.count < arity.min || arity.max.map({ arguments.count > $0 }) == true {
            let expected: String
            switch (arity.min, arity.max) {
            case (let lo, let hi?) where lo == hi: expected = lo == 1 ? "one argument" : "\(lo) arguments"
            case (let lo, nil): expected = lo == 1 ? "at least one argument" : "at least \(lo) arguments"
            case (let lo, let hi?): expected = "\(lo) to \(hi) arguments"
            }
            report("rule '\(name)' takes \(expected)\(usage), got \(arguments.count)", at: pointer, position)
            return nil
        }
        var ok = true
        func fail(_ text: String) {
            report("rule '\(name)': \(text)", at: pointer, position)
            ok = false
        }
        switch name {
        case "min", "max", "size":
            if Double(arguments[0]) == nil { fail("'\(arguments[0])' is not a number\(usage)") }
        case "between":
            if let a = Double(arguments[0]), let b = Double(arguments[1]) {
                if a > b { fail("the lower bound \(arguments[0]) is above the upper bound \(arguments[1])") }
            } else {
                fail("both bounds must be numbers\(usage)")
            }
        case "digits":
            if Int(arguments[0]).map({ $0 >= 1 }) != true { fail("'\(arguments[0])' is not a whole number ≥ 1") }
        case "digits_between":
            if let a = Int(arguments[0]), let b = Int(arguments[1]), a >= 0, b >= 1 {
                if a > b { fail("the lower bound \(a) is above the upper bound \(b)") }
            } else {
                fail("both bounds must be whole numbers\(usage)")
            }
        case "date_format":
            if let problem = Self.phpDatePatternProblem(arguments[0]) { fail(problem) }
        case "before", "after":
            if arguments[0].trimmingCharacters(in: .whitespaces).isEmpty { fail("expected a date\(usage)") }
        case "regex", "not_regex":
            do {
                _ = try DelimitedRegex(arguments[0])
            } catch {
                fail(error.message)
            }
        case "exists":
            for argument in arguments where !Self.isIdentifier(argument) {
                fail("'\(argument)' is not an SQL identifier\(usage)")
            }
            if ok, let problem = Self.reservedTableProblem(arguments[0]) { fail(problem) }
        case "required_if":
            if !columnNames.contains(arguments[0]) {
                report("unknown column '\(arguments[0])' in rule 'required_if'\(Suggestion.hint(for: arguments[0], in: columnNames))", at: pointer, position)
                ok = false
            }
        case "required_with", "required_without":
            for argument in arguments where !columnNames.contains(argument) {
                report("unknown column '\(argument)' in rule '\(name)'\(Suggestion.hint(for: argument, in: columnNames))", at: pointer, position)
                ok = false
            }
        default:
            break
        }
        return ok ? RuleSpec(name: name, arguments: arguments, message: message, pointer: pointer) : nil
    }
}
