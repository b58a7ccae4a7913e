import IngestSupport
extension DefinitionDecoder {
    /// `examples`: rows with their expected outcome, run by `ingest check`.
    func decodeExamples(_ node: JSONNode) -> [ExampleSpec] {
        guard case .array(let items) = node.value else {
            report("expected an array of examples, got \(node.kindDescription)", at: "/examples", node.position)
            return []
        }
        var examples: [ExampleSpec] = []
        for (i, item) in items.enumerated() {
            if let example = decodeExample(item, JSONPointer.appending("/examples", i)) { examples.append(example) }
        }
        return examples
    }

    private func decodeExample(_ node: JSONNode, _ pointer: String) -> ExampleSpec? {
        guard let members = object(node, pointer, allowed: DefinitionKeys.example) else { return nil }
        var example = ExampleSpec(row: [:], pointer: pointer)
        var ok = true
        if let m = members["row"] {
            if let row = scalarObject(m.value, pointer + "/row", what: "source header → cell value") {
                example.row = row.mapValues(\.0)
            } else {
                ok = false
            }
        } else {
            report("missing required key 'row'", at: pointer, node.position)
            ok = false
        }
        guard let expectMember = members["expect"] else {
            report("missing required key 'expect'", at: pointer, node.position)
            return nil
        }
        let expectPointer = pointer + "/expect"
        guard let expect = object(expectMember.value, expectPointer, allowed: DefinitionKeys.expect) else { return nil }
        switch (expect["values"], expect["errors"]) {
        case (nil, nil):
            report("set exactly one of 'values' (the row passes) or 'errors' (the columns that fail)", at: expectPointer, expectMember.value.position)
            ok = false
        case (.some, .some(let errors)):
            report("set exactly one of 'values' or 'errors', not both", at: expectPointer + "/errors", errors.keyPosition)
            ok = false
        case (.some(let values), nil):
            if let object = scalarObject(values.value, expectPointer + "/values", what: "target column → expected value") {
                for (column, (_, keyPosition)) in object {
                    if !checkColumnReference(column, JSONPointer.appending(expectPointer + "/values", column), keyPosition, role: "expected values") {
                        ok = false
                    }
                }
                example.expectedValues = object.mapValues(\.0)
            } else {
                ok = false
            }
        case (nil, .some(let errors)):
            if let list = stringList(errors.value, expectPointer + "/errors") {
                for (column, item, itemPointer) in list
                where !checkColumnReference(column, itemPointer, item.position, role: "expected errors") {
                    ok = false
                }
                example.expectedErrors = list.map(\.0)
            } else {
                ok = false
            }
        }
        return ok ? example : nil
    }

    /// An object whose values are all JSON scalars, with each key's position.
    private func scalarObject(_ node: JSONNode, _ pointer: String, what: String) -> [String: (JSONScalar, SourcePosition)]? {
        guard case .object(let members) = node.value else {
            report("expected an object of \(what), got \(node.kindDescription)", at: pointer, node.position)
            return nil
        }
        var result: [String: (JSONScalar, SourcePosition)] = [:]
        var ok = true
        for member in members {
            if let value = scalar(member.value, JSONPointer.appending(pointer, member.key)) {
                result[member.key] = (value, member.keyPosition)
            } else {
                ok = false
            }
        }
        return ok ? result : nil
    }
}
