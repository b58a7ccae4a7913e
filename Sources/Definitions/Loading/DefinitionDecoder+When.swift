import IngestSupport
import RegexEngine

/// `when` conditions: `{"column": "Type", "equals": "product"}`, `{"column": "Type", "in": […]}`
/// or `{"column": "Type", "matches": "^p"}`, with an optional `"not": true`.
extension DefinitionDecoder {
    /// One `when` object; nil (with problems reported) when it is not usable.
    func decodeWhen(_ node: JSONNode, _ pointer: String) -> WhenSpec? {
        guard let members = object(node, pointer, allowed: DefinitionKeys.when) else { return nil }
        // Unknown keys were reported by `object`; they make the condition unusable.
        var ok = true
        if case .object(let all) = node.value { ok = all.count == members.count }
        var column: String?
        if let m = members["column"] {
            column = string(m.value, pointer + "/column", nonEmpty: true)
        } else {
            report("missing required key 'column' (the source header whose cell is tested)", at: pointer, node.position)
        }
        let operators = WhenSpec.operators.filter { members[$0] != nil }
        var test: WhenSpec.Test?
        if operators.isEmpty {
            report("set one of 'equals', 'in', 'matches'", at: pointer, node.position)
        } else if operators.count > 1, let second = members[operators[1]] {
            report("set one of 'equals', 'in', 'matches', not both '\(operators[0])' and '\(operators[1])'", at: pointer + "/" + operators[1], second.keyPosition)
        } else if let name = operators.first, let m = members[name] {
            test = decodeWhenTest(name, m.value, pointer + "/" + name)
        }
        var negated = false
        if let m = members["not"] {
            if let b = bool(m.value, pointer + "/not") { negated = b } else { ok = false }
        }
        guard ok, let column, let test else { return nil }
        return WhenSpec(column: column, test: test, negated: negated, pointer: pointer)
    }

    private func decodeWhenTest(_ name: String, _ node: JSONNode, _ pointer: String) -> WhenSpec.Test? {
        switch name {
        case "equals":
            return whenValue(node, pointer).map(WhenSpec.Test.equals)
        case "in":
            guard case .array(let items) = node.value, !items.isEmpty else {
                report("expected a non-empty array of values, got \(node.kindDescription)", at: pointer, node.position)
                return nil
            }
            var values: [String] = []
            for (i, item) in items.enumerated() {
                guard let value = whenValue(item, JSONPointer.appending(pointer, i)) else { return nil }
                values.append(value)
            }
            return .oneOf(values)
        default:  // matches
            guard let pattern = string(node, pointer, nonEmpty: true) else { return nil }
            if case .failure(let problem) = LinearRegex.compile(replacePattern: pattern) {
                report(problem.description, at: pointer, node.position)
                return nil
            }
            return .matches(pattern)
        }
    }

    /// A value compared with a cell: a string, or a number or boolean as its text.
    private func whenValue(_ node: JSONNode, _ pointer: String) -> String? {
        guard let scalar = node.scalar, scalar != .null, let text = scalar.text else {
            report("expected a string, number or boolean, got \(node.kindDescription)", at: pointer, node.position)
            return nil
        }
        return text
    }
}
