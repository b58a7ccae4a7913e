import Foundation
import IngestSupport
import RegexEngine

/// Transform syntax: a list of steps, each a name (`"trim"`) or a one-key object whose key is the
/// transform and whose value its argument (`{"multiply": 1000}`); `map` may carry a sibling
/// `default` key for values the map does not list.
extension DefinitionDecoder {
    /// Transforms written as a bare name, because they take no argument.
    static let bareTransforms: [String: TransformSpec] = [
        "trim": .trim, "collapse_whitespace": .collapseWhitespace, "lowercase": .lowercase,
        "uppercase": .uppercase, "title_case": .titleCase, "slug": .slug, "strip_non_digits": .stripNonDigits,
    ]

    /// What each transform's argument looks like, for messages.
    static let transformUsage: [String: String] = [
        "replace": "{\"replace\": {\"from\": \"x\", \"to\": \"y\"}}",
        "regex_replace": "{\"regex_replace\": {\"pattern\": \"...\", \"with\": \"...\"}}",
        "null_if": "{\"null_if\": [\"\", \"N/A\"]}",
        "map": "{\"map\": {\"Y\": \"1\", \"N\": \"0\"}, \"default\": ...}",
        "prefix": "{\"prefix\": \"...\"}", "suffix": "{\"suffix\": \"...\"}",
        "pad_left": "{\"pad_left\": {\"length\": 8, \"with\": \"0\"}}",
        "substring": "{\"substring\": {\"start\": 0, \"length\": 3}}",
        "multiply": "{\"multiply\": 100}", "divide": "{\"divide\": 100}", "round": "{\"round\": 2}",
        "split": "{\"split\": \",\"}",
        "concat": "{\"concat\": {\"columns\": [\"First Name\", \"Last Name\"], \"separator\": \" \"}}",
    ]

    /// `transform`: the steps in order, and the conditions of the steps that carry a `when`
    /// (by index into the steps).
    func decodeTransforms(_ node: JSONNode, _ pointer: String) -> ([TransformSpec], [Int: WhenSpec]) {
        guard case .array(let items) = node.value else {
            report("expected an array of transform steps, got \(node.kindDescription)", at: pointer, node.position)
            return ([], [:])
        }
        var steps: [TransformSpec] = []
        var conditions: [Int: WhenSpec] = [:]
        for (i, item) in items.enumerated() {
            let (step, when) = decodeTransformStep(item, JSONPointer.appending(pointer, i))
            guard let step else { continue }
            if let when { conditions[steps.count] = when }
            steps.append(step)
        }
        return (steps, conditions)
    }

    private func decodeTransformStep(_ item: JSONNode, _ pointer: String) -> (TransformSpec?, WhenSpec?) {
        switch item.value {
        case .string(let name):
            if let step = Self.bareTransforms[name] { return (step, nil) }
            if let usage = Self.transformUsage[name] {
                report("transform '\(name)' needs an argument: \(usage)", at: pointer, item.position)
            } else {
                report("unknown transform '\(name)'\(Suggestion.hint(for: name, in: TransformSpec.names))", at: pointer, item.position)
            }
            return (nil, nil)
        case .object(let all):
            // `when` may sit beside any step's name: `{"uppercase": true, "when": {…}}`.
            let whenMember = all.first { $0.key == "when" }
            let when = whenMember.flatMap { decodeWhen($0.value, JSONPointer.appending(pointer, "when")) }
            let members = all.filter { $0.key != "when" }
            guard let member = members.first(where: { $0.key != "default" }) ?? members.first else {
                report("a transform step object has one key, the transform name (and optionally 'when')", at: pointer, item.position)
                return (nil, nil)
            }
            let name = member.key
            if let bare = Self.bareTransforms[name] {
                if whenMember != nil, members.count == 1, case .bool(true) = member.value.value { return (bare, when) }
                let conditional = whenMember != nil ? " (with a condition: {\"\(name)\": true, \"when\": {…}})" : ""
                report("transform '\(name)' takes no argument; write it as \"\(name)\"\(conditional)", at: pointer, member.keyPosition)
                return (nil, nil)
            }
            guard Self.transformUsage[name] != nil else {
                report("unknown transform '\(name)'\(Suggestion.hint(for: name, in: TransformSpec.names))", at: pointer, member.keyPosition)
                return (nil, nil)
            }
            let allowed = name == "map" ? DefinitionKeys.mapStep : [name]
            var extraKeys = false
            for other in members where other.key != name {
                extraKeys = true
                if allowed.contains(other.key) { continue }
                let hint = Suggestion.hint(for: other.key, in: (name == "map" ? ["default"] : []) + DefinitionKeys.stepCondition)
                report("unexpected key '\(other.key)' in a '\(name)' step: a step object has one key\(name == "map" ? " (and 'default')" : "") and optionally 'when'\(hint)", at: JSONPointer.appending(pointer, other.key), other.keyPosition)
            }
            if extraKeys && name != "map" { return (nil, nil) }
            let step = decodeTransformArgument(name, member.value, JSONPointer.appending(pointer, name), step: item, stepPointer: pointer)
            return (step, when)
        default:
            report("expected a transform name or a one-key object, got \(item.kindDescription)", at: pointer, item.position)
            return (nil, nil)
        }
    }

    private func decodeTransformArgument(_ name: String, _ value: JSONNode, _ pointer: String, step: JSONNode, stepPointer: String) -> TransformSpec? {
        let usage = Self.transformUsage[name] ?? ""
        switch name {
        case "replace":
            guard let args = object(value, pointer, allowed: DefinitionKeys.replaceArguments) else { return nil }
            let from = requiredString(args, "from", value, pointer, nonEmpty: true)
            let to = requiredString(args, "to", value, pointer, nonEmpty: false)
            guard let from, let to else { return nil }
            return .replace(from: from, to: to)
        case "regex_replace":
            return decodeRegexReplace(value, pointer)
        case "null_if":
            guard case .array = value.value else {
                report("expected an array of strings, got \(value.kindDescription) — \(usage)", at: pointer, value.position)
                return nil
            }
            guard let list = stringList(value, pointer, nonEmptyItems: false) else { return nil }
            return .nullIf(list.map(\.0))
        case "map":
            return decodeMap(value, pointer, usage: usage, step: step, stepPointer: stepPointer)
        case "prefix", "suffix":
            guard let text = string(value, pointer, nonEmpty: true) else { return nil }
            return name == "prefix" ? .prefix(text) : .suffix(text)
        case "pad_left":
            return decodePadLeft(value, pointer)
        case "substring":
            return decodeSubstring(value, pointer)
        case "multiply", "divide":
            guard let factor = number(value, pointer) else { return nil }
            if name == "divide" && factor == 0 {
                report("cannot divide by zero", at: pointer, value.position)
                return nil
            }
            return name == "multiply" ? .multiply(factor) : .divide(factor)
        case "round":
            return integer(value, pointer, in: 0...15).map { .round($0) }
        case "concat":
            return decodeConcat(value, pointer)
        default:  // split
            return string(value, pointer, nonEmpty: true).map { .split($0) }
        }
    }

    /// `{"regex_replace": {"pattern": …, "with": …}}`: the pattern must compile in linear time
    /// and the template name only groups it has.
    private func decodeRegexReplace(_ value: JSONNode, _ pointer: String) -> TransformSpec? {
        guard let args = object(value, pointer, allowed: DefinitionKeys.regexReplaceArguments) else { return nil }
        let pattern = requiredString(args, "pattern", value, pointer, nonEmpty: true)
        let with = requiredString(args, "with", value, pointer, nonEmpty: false)
        guard let pattern, let with else { return nil }
        switch LinearRegex.compile(replacePattern: pattern) {
        case .success(let regex):
            do {
                _ = try ReplacementTemplate(with, groupCount: regex.groupCount)
            } catch {
                report(error.description, at: pointer + "/with", args["with"]?.value.position)
                return nil
            }
        case .failure(let problem):
            report(problem.description, at: pointer + "/pattern", args["pattern"]?.value.position)
            return nil
        }
        return .regexReplace(pattern: pattern, with: with)
    }

    /// `{"map": {value: replacement, …}, "default": …}`.
    private func decodeMap(_ value: JSONNode, _ pointer: String, usage: String, step: JSONNode, stepPointer: String) -> TransformSpec? {
        guard case .object(let entries) = value.value else {
            report("expected an object of value → replacement, got \(value.kindDescription) — \(usage)", at: pointer, value.position)
            return nil
        }
        if entries.isEmpty {
            report("expected at least one mapping", at: pointer, value.position)
            return nil
        }
        var mapping: [String: JSONScalar] = [:]
        var ok = true
        for entry in entries {
            if let scalar = scalar(entry.value, JSONPointer.appending(pointer, entry.key)) {
                mapping[entry.key] = scalar
            } else {
                ok = false
            }
        }
        var fallback: JSONScalar?
        if let member = step["default"] {
            guard let scalar = scalar(member, stepPointer + "/default") else { return nil }
            fallback = scalar
        }
        return ok ? .map(mapping, default: fallback) : nil
    }

    /// `{"pad_left": {"length": 1…10000, "with": one character}}`.
    private func decodePadLeft(_ value: JSONNode, _ pointer: String) -> TransformSpec? {
        guard let args = object(value, pointer, allowed: DefinitionKeys.padLeftArguments) else { return nil }
        var length: Int?
        if let m = args["length"] {
            length = integer(m.value, pointer + "/length", in: 1...10_000)
        } else {
            report("missing required key 'length'", at: pointer, value.position)
        }
        guard let with = requiredString(args, "with", value, pointer, nonEmpty: true) else { return nil }
        guard with.count == 1 else {
            report("expected a single padding character, got '\(with)'", at: pointer + "/with", args["with"]?.value.position)
            return nil
        }
        return length.map { .padLeft(length: $0, with: with) }
    }

    /// `{"substring": {"start": n, "length": n?}}`.
    private func decodeSubstring(_ value: JSONNode, _ pointer: String) -> TransformSpec? {
        guard let args = object(value, pointer, allowed: DefinitionKeys.substringArguments) else { return nil }
        var start: Int?
        if let m = args["start"] {
            start = integer(m.value, pointer + "/start", in: 0...Int64(Int32.max))
        } else {
            report("missing required key 'start'", at: pointer, value.position)
        }
        var length: Int?
        if let m = args["length"] {
            guard let l = integer(m.value, pointer + "/length", in: 0...Int64(Int32.max)) else { return nil }
            length = l
        }
        return start.map { .substring(start: $0, length: length) }
    }

    /// `{"concat": {"columns": [...], "separator": " "}}`.
    private func decodeConcat(_ value: JSONNode, _ pointer: String) -> TransformSpec? {
        guard let args = object(value, pointer, allowed: DefinitionKeys.concatArguments) else { return nil }
        guard let m = args["columns"] else {
            report("missing required key 'columns'", at: pointer, value.position)
            return nil
        }
        guard let columns = stringList(m.value, pointer + "/columns") else { return nil }
        var separator = " "
        if let s = args["separator"] {
            guard let text = string(s.value, pointer + "/separator") else { return nil }
            separator = text
        }
        return .concat(columns: columns.map(\.0), separator: separator)
    }

    private func requiredString(_ args: [String: JSONMember], _ key: String, _ node: JSONNode, _ pointer: String, nonEmpty: Bool) -> String? {
        guard let m = args[key] else {
            report("missing required key '\(key)'", at: pointer, node.position)
            return nil
        }
        return string(m.value, pointer + "/" + key, nonEmpty: nonEmpty)
    }
}
