import Foundation
@testable import Definitions
import IngestSupport

/// A tiny JSON Schema 2020-12 validator: just the keywords `schemas/importer.schema.json` uses
/// (type, properties, additionalProperties, required, enum, const, pattern, min/maxLength,
/// items, prefixItems, min/maxItems, uniqueItems, minimum, maximum, exclusiveMinimum,
/// min/maxProperties, propertyNames, oneOf, anyOf, allOf, not, if/then/else, `$ref` to
/// `#/$defs/…`). Annotations (title, description, default) are ignored; any other keyword is
/// reported so the schema cannot quietly rely on something unchecked here.
struct SchemaValidator {
    let root: JSONNode

    static let annotations: Set<String> = ["$schema", "$id", "title", "description", "default", "examples", "$defs"]
    static let keywords: Set<String> = [
        "type", "properties", "additionalProperties", "required", "enum", "const", "pattern", "minLength",
        "maxLength", "items", "prefixItems", "minItems", "maxItems", "uniqueItems", "minimum", "maximum",
        "exclusiveMinimum", "minProperties", "maxProperties", "propertyNames", "oneOf", "anyOf", "allOf", "not",
        "if", "then", "else", "$ref",
    ]

    /// Every error as `pointer: message`; empty when `instance` is valid.
    func validate(_ instance: JSONNode) -> [String] {
        var errors: [String] = []
        validate(instance, against: root, at: "", errors: &errors)
        return errors
    }

    private func resolve(_ reference: String) -> JSONNode? {
        guard reference.hasPrefix("#") else { return nil }
        return JSONDocument(root: root).node(at: String(reference.dropFirst()))
    }

    private func validate(_ instance: JSONNode, against schema: JSONNode, at pointer: String, errors: inout [String]) {
        if case .bool(let allowed) = schema.value {
            if !allowed { errors.append("\(pointer): not allowed") }
            return
        }
        guard case .object(let members) = schema.value else {
            errors.append("\(pointer): schema is not an object")
            return
        }
        func fail(_ message: String) { errors.append("\(pointer): \(message)") }
        for member in members {
            let keyword = member.key
            let value = member.value
            switch keyword {
            case _ where Self.annotations.contains(keyword):
                continue
            case "$ref":
                guard case .string(let reference) = value.value, let target = resolve(reference) else {
                    fail("unresolvable $ref"); continue
                }
                validate(instance, against: target, at: pointer, errors: &errors)
            case "type":
                let types: [String]
                switch value.value {
                case .string(let t): types = [t]
                case .array(let items): types = items.compactMap { if case .string(let s) = $0.value { return s } else { return nil } }
                default: types = []
                }
                if !types.contains(where: { Self.matches(instance, type: $0) }) {
                    fail("expected \(types.joined(separator: " or ")), got \(instance.kindDescription)")
                }
            case "enum":
                guard case .array(let options) = value.value else { continue }
                if !options.contains(where: { Self.equal($0, instance) }) { fail("not one of the enum values") }
            case "const":
                if !Self.equal(value, instance) { fail("not the const value") }
            case "pattern":
                guard case .string(let s) = instance.value, case .string(let pattern) = value.value else { continue }
                guard let regex = try? NSRegularExpression(pattern: pattern) else { fail("bad pattern \(pattern)"); continue }
                if regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) == nil { fail("'\(s)' does not match \(pattern)") }
            case "minLength", "maxLength":
                guard case .string(let s) = instance.value, case .integer(let n) = value.value else { continue }
                let count = s.unicodeScalars.count
                if keyword == "minLength" ? count < n : count > n { fail("\(keyword) \(n)") }
            case "minimum", "maximum", "exclusiveMinimum":
                guard let x = Self.number(instance), let bound = Self.number(value) else { continue }
                let ok = keyword == "minimum" ? x >= bound : keyword == "maximum" ? x <= bound : x > bound
                if !ok { fail("\(keyword) \(bound)") }
            case "properties", "additionalProperties", "required", "minProperties", "maxProperties", "propertyNames":
                guard case .object(let fields) = instance.value else { continue }
                validateObject(fields, keyword: keyword, value: value, schemaMembers: members, pointer: pointer, errors: &errors)
            case "items", "prefixItems", "minItems", "maxItems", "uniqueItems":
                guard case .array(let items) = instance.value else { continue }
                validateArray(items, keyword: keyword, value: value, schemaMembers: members, pointer: pointer, errors: &errors)
            case "oneOf", "anyOf", "allOf":
                guard case .array(let schemas) = value.value else { continue }
                var passing = 0
                var nested: [String] = []
                for sub in schemas {
                    var subErrors: [String] = []
                    validate(instance, against: sub, at: pointer, errors: &subErrors)
                    if subErrors.isEmpty { passing += 1 } else { nested += subErrors }
                }
                switch keyword {
                case "oneOf" where passing != 1: fail("matches \(passing) of oneOf, expected exactly 1 [\(nested.joined(separator: "; "))]")
                case "anyOf" where passing == 0: fail("matches none of anyOf [\(nested.joined(separator: "; "))]")
                case "allOf" where passing != schemas.count: errors += nested
                default: break
                }
            case "not":
                var subErrors: [String] = []
                validate(instance, against: value, at: pointer, errors: &subErrors)
                if subErrors.isEmpty { fail("matches a 'not' schema") }
            case "if":
                var subErrors: [String] = []
                validate(instance, against: value, at: pointer, errors: &subErrors)
                let branch = subErrors.isEmpty ? "then" : "else"
                if let next = members.first(where: { $0.key == branch }) {
                    validate(instance, against: next.value, at: pointer, errors: &errors)
                }
            case "then", "else":
                continue  // applied by "if"
            default:
                fail("unsupported keyword '\(keyword)' in the schema")
            }
        }
    }

    private func validateObject(_ fields: [JSONMember], keyword: String, value: JSONNode, schemaMembers: [JSONMember], pointer: String, errors: inout [String]) {
        switch keyword {
        case "properties":
            guard case .object(let properties) = value.value else { return }
            for field in fields {
                if let property = properties.first(where: { $0.key == field.key }) {
                    validate(field.value, against: property.value, at: JSONPointer.appending(pointer, field.key), errors: &errors)
                }
            }
        case "additionalProperties":
            var declared: Set<String> = []
            if let properties = schemaMembers.first(where: { $0.key == "properties" }), case .object(let list) = properties.value.value {
                declared = Set(list.map(\.key))
            }
            for field in fields where !declared.contains(field.key) {
                validate(field.value, against: value, at: JSONPointer.appending(pointer, field.key), errors: &errors)
            }
        case "required":
            guard case .array(let names) = value.value else { return }
            for name in names {
                if case .string(let key) = name.value, !fields.contains(where: { $0.key == key }) {
                    errors.append("\(pointer): missing required '\(key)'")
                }
            }
        case "minProperties", "maxProperties":
            guard case .integer(let n) = value.value else { return }
            if keyword == "minProperties" ? fields.count < n : fields.count > n { errors.append("\(pointer): \(keyword) \(n)") }
        default:  // propertyNames
            for field in fields {
                validate(JSONNode(value: .string(field.key), position: field.keyPosition), against: value, at: JSONPointer.appending(pointer, field.key), errors: &errors)
            }
        }
    }

    private func validateArray(_ items: [JSONNode], keyword: String, value: JSONNode, schemaMembers: [JSONMember], pointer: String, errors: inout [String]) {
        switch keyword {
        case "prefixItems":
            guard case .array(let schemas) = value.value else { return }
            for (i, (item, schema)) in zip(items, schemas).enumerated() {
                validate(item, against: schema, at: JSONPointer.appending(pointer, i), errors: &errors)
            }
        case "items":
            var start = 0
            if let prefix = schemaMembers.first(where: { $0.key == "prefixItems" }), case .array(let list) = prefix.value.value { start = list.count }
            for (i, item) in items.enumerated() where i >= start {
                validate(item, against: value, at: JSONPointer.appending(pointer, i), errors: &errors)
            }
        case "minItems", "maxItems":
            guard case .integer(let n) = value.value else { return }
            if keyword == "minItems" ? items.count < n : items.count > n { errors.append("\(pointer): \(keyword) \(n)") }
        default:  // uniqueItems
            guard case .bool(true) = value.value else { return }
            for i in items.indices {
                for j in items.indices where j > i && Self.equal(items[i], items[j]) {
                    errors.append("\(pointer): items \(i) and \(j) are equal")
                }
            }
        }
    }

    static func matches(_ node: JSONNode, type: String) -> Bool {
        switch (type, node.value) {
        case ("null", .null), ("boolean", .bool), ("integer", .integer), ("number", .integer), ("number", .number),
             ("string", .string), ("array", .array), ("object", .object):
            return true
        case ("integer", .number(let d)):
            return d.rounded() == d
        default:
            return false
        }
    }

    static func number(_ node: JSONNode) -> Double? {
        switch node.value {
        case .integer(let i): return Double(i)
        case .number(let d): return d
        default: return nil
        }
    }

    /// JSON equality: numbers by value, objects regardless of key order, positions ignored.
    static func equal(_ a: JSONNode, _ b: JSONNode) -> Bool {
        if let x = number(a), let y = number(b) { return x == y }
        switch (a.value, b.value) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.object(let x), .object(let y)):
            return x.count == y.count && x.allSatisfy { m in y.contains { $0.key == m.key && equal($0.value, m.value) } }
        default: return false
        }
    }
}
