import Foundation
import IngestSupport

/// Turns a parsed JSON tree into an `ImporterDefinition`, collecting every problem on the way.
///
/// The decoder never stops at the first problem: each part is checked on its own, with defaults
/// standing in for broken values, and the model is returned only when nothing was wrong.
/// Concerns live in extensions: `+Source`, `+Target`, `+Columns`, `+Rules`, `+Transforms`,
/// `+Examples`, `+Webhooks` (which also holds the `*_env` rule for the whole file).
final class DefinitionDecoder {
    /// The file as shown in problems.
    let file: String
    private(set) var problems: [DefinitionProblem] = []
    /// Target column names in file order, known before any column is decoded so rules, keys and
    /// examples can refer to columns declared later in the file.
    var columnNames: [String] = []

    init(file: String) {
        self.file = file
    }

    /// `^[a-z0-9][a-z0-9-]*$`: an importer's id in URLs and the CLI.
    static let slugPattern = "^[a-z0-9][a-z0-9-]*$"
    /// `^[A-Za-z_][A-Za-z0-9_]*$`: names Ingest writes into SQL without quoting surprises.
    static let identifierPattern = "^[A-Za-z_][A-Za-z0-9_]*$"

    static func isSlug(_ s: String) -> Bool {
        guard let first = s.utf8.first, isLowerAlnum(first) else { return false }
        return s.utf8.allSatisfy { isLowerAlnum($0) || $0 == UInt8(ascii: "-") }
    }

    private static func isLowerAlnum(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.utf8.first else { return false }
        func letter(_ b: UInt8) -> Bool {
            (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z")) || b == UInt8(ascii: "_")
        }
        guard letter(first) else { return false }
        return s.utf8.allSatisfy { letter($0) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) }
    }

    // MARK: - Reporting

    func report(_ message: String, at pointer: String, _ position: SourcePosition?) {
        problems.append(DefinitionProblem(file: file, pointer: pointer, position: position, message: message))
    }

    // MARK: - Top level

    /// Decodes the whole definition; nil when any problem was found.
    func decode(_ root: JSONNode, defaultSlug: String) -> ImporterDefinition? {
        guard let top = object(root, "", allowed: DefinitionKeys.topLevel) else { return nil }

        if let node = top["$schema"] { _ = string(node.value, "/$schema") }

        var slug = defaultSlug
        if let node = top["slug"] {
            if let s = string(node.value, "/slug") {
                if Self.isSlug(s) {
                    slug = s
                } else {
                    report("slug '\(s)' does not match \(Self.slugPattern)", at: "/slug", node.value.position)
                }
            }
        } else if !Self.isSlug(defaultSlug) {
            report("the file name gives the slug '\(defaultSlug)', which does not match \(Self.slugPattern); rename the file or set \"slug\"", at: "", nil)
        }
        let name = top["name"].flatMap { string($0.value, "/name") }
        let description = top["description"].flatMap { string($0.value, "/description") }

        // Columns first: keys, rules and examples refer to them.
        var columns: [ColumnSpec] = []
        if let node = top["columns"] {
            columns = decodeColumns(node.value)
        } else {
            report("missing required key 'columns'", at: "", root.position)
        }

        let source = top["source"].map { decodeSource($0.value) } ?? SourceSpec()
        var target = TargetSpec(table: "")
        if let node = top["target"] {
            target = decodeTarget(node.value)
        } else {
            report("missing required key 'target'", at: "", root.position)
        }
        if let node = top["target"] {
            checkRoute(target, columns: columns, node.value)
            checkRelationTables(target, columns: columns, node.value)
        }
        let headers = top["headers"].map { decodeHeaders($0.value) } ?? HeaderSpec()
        let transaction = top["transaction"].flatMap { enumeration(TransactionMode.self, $0.value, "/transaction") } ?? .none
        let chunkSize = top["chunk_size"].flatMap { integer($0.value, "/chunk_size", in: 1...100_000) } ?? 1000
        let rowLog = top["row_log"].flatMap { enumeration(RowLogLevel.self, $0.value, "/row_log") } ?? .failed
        let errorBudget = top["error_budget"].flatMap { decodeErrorBudget($0.value) }
        let examples = top["examples"].map { decodeExamples($0.value) } ?? []
        let limits = top["limits"].map { decodeLimits($0.value) } ?? ValueLimits()
        let webhooks = top["webhooks"].map { decodeWebhooks($0.value) } ?? []
        var nests: [NestSpec] = []
        if let node = top["nest"] {
            nests = decodeNests(node.value, columns: columns)
            checkNests(nests, target: target, source: source, columns: columns, node)
        }
        checkEnvironmentNames(root, "")

        guard problems.isEmpty else { return nil }
        return ImporterDefinition(
            slug: slug, name: name, description: description, source: source, target: target,
            columns: columns, headers: headers, transaction: transaction, chunkSize: chunkSize,
            rowLog: rowLog, errorBudget: errorBudget, examples: examples, limits: limits, webhooks: webhooks,
            nests: nests
        )
    }

    private func decodeLimits(_ node: JSONNode) -> ValueLimits {
        var limits = ValueLimits()
        guard let members = object(node, "/limits", allowed: DefinitionKeys.limits) else { return limits }
        let range = 1...Int64(ValueLimits.ceiling)
        if let m = members["max_value_bytes"], let n = integer(m.value, "/limits/max_value_bytes", in: range) { limits.maxValueBytes = n }
        if let m = members["max_row_bytes"], let n = integer(m.value, "/limits/max_row_bytes", in: range) { limits.maxRowBytes = n }
        return limits
    }

    private func decodeHeaders(_ node: JSONNode) -> HeaderSpec {
        var spec = HeaderSpec()
        guard let members = object(node, "/headers", allowed: DefinitionKeys.headers) else { return spec }
        if let m = members["match"], let match = enumeration(HeaderSpec.Match.self, m.value, "/headers/match") { spec.match = match }
        if let m = members["strict"], let strict = bool(m.value, "/headers/strict") { spec.strict = strict }
        return spec
    }

    private func decodeErrorBudget(_ node: JSONNode) -> ErrorBudget? {
        let pointer = "/error_budget"
        guard let members = object(node, pointer, allowed: DefinitionKeys.errorBudget) else { return nil }
        var budget = ErrorBudget()
        if let m = members["max_failed_rows"] {
            budget.maxFailedRows = integer(m.value, pointer + "/max_failed_rows", in: 0...Int64(Int32.max))
        }
        if let m = members["max_failed_ratio"] {
            if let ratio = number(m.value, pointer + "/max_failed_ratio") {
                if ratio >= 0 && ratio <= 1 {
                    budget.maxFailedRatio = ratio
                } else {
                    report("expected a ratio from 0 to 1, got \(Self.format(ratio))", at: pointer + "/max_failed_ratio", m.value.position)
                }
            }
        }
        if members.isEmpty {
            report("set 'max_failed_rows', 'max_failed_ratio' or both", at: pointer, node.position)
        }
        return budget
    }

    // MARK: - Typed readers

    /// The members of an object keyed by name, after reporting unknown keys; nil when `node`
    /// is not an object.
    func object(_ node: JSONNode, _ pointer: String, allowed: [String]) -> [String: JSONMember]? {
        guard case .object(let members) = node.value else {
            report("expected an object, got \(node.kindDescription)", at: pointer, node.position)
            return nil
        }
        var result: [String: JSONMember] = [:]
        for member in members {
            if allowed.contains(member.key) {
                result[member.key] = member
            } else {
                reportUnknownKey(member, pointer, allowed: allowed)
            }
        }
        return result
    }

    func reportUnknownKey(_ member: JSONMember, _ pointer: String, allowed: [String]) {
        let hint = Suggestion.hint(for: member.key, in: allowed)
        let message = hint.isEmpty
            ? "unknown key '\(member.key)' (allowed: \(allowed.joined(separator: ", ")))"
            : "unknown key '\(member.key)'\(hint)"
        report(message, at: JSONPointer.appending(pointer, member.key), member.keyPosition)
    }

    func string(_ node: JSONNode, _ pointer: String, nonEmpty: Bool = false) -> String? {
        guard case .string(let s) = node.value else {
            report("expected a string, got \(node.kindDescription)", at: pointer, node.position)
            return nil
        }
        if nonEmpty && s.isEmpty {
            report("expected a non-empty string", at: pointer, node.position)
            return nil
        }
        return s
    }

    func bool(_ node: JSONNode, _ pointer: String) -> Bool? {
        guard case .bool(let b) = node.value else {
            report("expected true or false, got \(node.kindDescription)", at: pointer, node.position)
            return nil
        }
        return b
    }

    func integer(_ node: JSONNode, _ pointer: String, in range: ClosedRange<Int64>) -> Int? {
        let expectation = range.upperBound >= Int64(Int32.max)
            ? "an integer ≥ \(range.lowerBound)"
            : "an integer from \(range.lowerBound) to \(range.upperBound)"
        switch node.value {
        case .integer(let i) where range.contains(i):
            return Int(i)
        case .integer(let i):
            report("expected \(expectation), got \(i)", at: pointer, node.position)
        case .number(let d):
            report("expected \(expectation), got \(Self.format(d))", at: pointer, node.position)
        default:
            report("expected \(expectation), got \(node.kindDescription)", at: pointer, node.position)
        }
        return nil
    }

    func number(_ node: JSONNode, _ pointer: String) -> Double? {
        switch node.value {
        case .integer(let i): return Double(i)
        case .number(let d): return d
        default:
            report("expected a number, got \(node.kindDescription)", at: pointer, node.position)
            return nil
        }
    }

    func scalar(_ node: JSONNode, _ pointer: String) -> JSONScalar? {
        guard let value = node.scalar else {
            report("expected a JSON scalar (string, number, boolean or null), got \(node.kindDescription)", at: pointer, node.position)
            return nil
        }
        return value
    }

    /// A string from a closed vocabulary; a miss lists the vocabulary and suggests the closest.
    func enumeration<E: RawRepresentable & CaseIterable>(_ type: E.Type, _ node: JSONNode, _ pointer: String) -> E? where E.RawValue == String {
        let names = E.allCases.map(\.rawValue)
        return oneOf(names, node, pointer).flatMap { E(rawValue: $0) }
    }

    /// A string that must be one of `names`.
    func oneOf(_ names: [String], _ node: JSONNode, _ pointer: String) -> String? {
        let expectation = "expected one of \(names.joined(separator: ", "))"
        guard case .string(let s) = node.value else {
            report("\(expectation), got \(node.kindDescription)", at: pointer, node.position)
            return nil
        }
        guard names.contains(s) else {
            report(expectation + Suggestion.hint(for: s, in: names), at: pointer, node.position)
            return nil
        }
        return s
    }

    /// The strings of an array, with each item's node and pointer. Items that are not (non-empty)
    /// strings are reported and left out, so the others can still be checked; nil when `node` is
    /// not an array, or is empty and `allowEmpty` is false.
    func stringList(_ node: JSONNode, _ pointer: String, allowEmpty: Bool = false, nonEmptyItems: Bool = true) -> [(String, JSONNode, String)]? {
        guard case .array(let items) = node.value else {
            report("expected an array of strings, got \(node.kindDescription)", at: pointer, node.position)
            return nil
        }
        if items.isEmpty && !allowEmpty {
            report("expected at least one item", at: pointer, node.position)
            return nil
        }
        var result: [(String, JSONNode, String)] = []
        for (i, item) in items.enumerated() {
            let itemPointer = JSONPointer.appending(pointer, i)
            if let s = string(item, itemPointer, nonEmpty: nonEmptyItems) {
                result.append((s, item, itemPointer))
            }
        }
        return result
    }

    /// Reports `name` unless it is a declared target column; `role` says what referred to it.
    @discardableResult
    func checkColumnReference(_ name: String, _ pointer: String, _ position: SourcePosition?, role: String) -> Bool {
        guard columnNames.contains(name) else {
            report("unknown column '\(name)' in \(role)\(Suggestion.hint(for: name, in: columnNames))", at: pointer, position)
            return false
        }
        return true
    }

    /// Numbers in messages as people write them: `5` rather than `5.0`.
    static func format(_ d: Double) -> String {
        JSONScalar.number(d).text ?? String(d)
    }
}
