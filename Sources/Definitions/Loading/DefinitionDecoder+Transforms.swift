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

    /// `transform`: the steps in order.
    func decodeTransforms(_ node: JSONNode, _ pointer: String) -> [TransformSpec] {
        guard case .array(let items) = node.value else {
            report("expected an array of transform steps, got \(node.kindDescription)", at: pointer, node.position)
            return []
        }
        var steps: [TransformSpec] = []
        for (i, item) in items.enumerated() {
            if let step = decodeTransformStep(item, JSONPointer.appending(pointer, i)) { steps.append(step) }
        }
        return steps
    }

    private func decodeTransformStep(_ item: JSONNode, _ pointer: String) -> TransformSpec? {
        switch item.value {
        case .string(let name):
            if let step = Self.bareTransforms[name] { return step }
            if let usage = Self.transformUsage[name] {
                report("transform '\(name)' needs an argument: \(usage)", at: pointer, item.position)
            } else {
                report("unknown transform '\(name)'\(Suggestion.hint(for: name, in: TransformSpec.names))", at: pointer, item.position)
            }
            return nil
        case .object(let members):
            guard let member = members.first(where: { $0.key != "default" }) ?? members.first else {
                report("a transform step object has one key, the transform name", at: pointer, item.position)
                return nil
            }
            let name = member.key
            if Self.bareTransforms[name] != nil {
                report("transform '\(name)' takes no argument; write it as \"\(name)\"", at: pointer, member.keyPosition)
                return nil
            }
            guard Self.transformUsage[name] != nil else {
                report("unknown transform '\(name)'\(Suggestion.hint(for: name, in: TransformSpec.names))", at: pointer, member.keyPosition)
                return nil
            }
            let allowed = name == "map" ? DefinitionKeys.mapStep : [name]
            var extraKeys = false
            for other in members where other.key != name {
                extraKeys = true
                if allowed.contains(other.key) { continue }
                let hint = name == "map" ? Suggestion.hint(for: other.key, in: ["default"]) : ""
                report("unexpected key '\(other.key)' in a '\(name)' step: a step object has one key\(name == "map" ? " (and 'default')" : "")\(hint)", at: JSONPointer.appending(pointer, other.key), other.keyPosition)
            }
            if extraKeys && name != "map" { return nil }
            return decodeTransformArgument(name, member.value, JSONPointer.appending(pointer, name), step: item, stepPointer: pointer)
        default:
            report("expected a transform name or a one-key object, got \(item.kindDescription)", at: pointer, item.position)
            return nil
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
        case "null_if":
            guard case .array = value.value else {
                report("expected an array of strings, got \(value.kindDescription) — \(usage)", at: pointer, value.position)
                return nil
            }
            guard let list = stringList(value, pointer, nonEmptyItems: false) else { return nil }
            return .nullIf(list.map(\.0))
        case "map":
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
        case "prefix", "suffix":
            guard let text = string(value, pointer, nonEmpty: true) else { return nil }
            return name == "prefix" ? .prefix(text) : .suffix(text)
        case "pad_left":
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
        case "substring":
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
        default:  // split
            return string(value, pointer, nonEmpty: true).map { .split($0) }
        }
    }

    private func requiredString(_ args: [String: JSONMember], _ key: String, _ node: JSONNode, _ pointer: String, nonEmpty: Bool) -> String? {
        guard let m = args[key] else {
            report("missing required key '\(key)'", at: pointer, node.position)
            return nil
        }
        return string(m.value, pointer + "/" + key, nonEmpty: nonEmpty)
    }
}
