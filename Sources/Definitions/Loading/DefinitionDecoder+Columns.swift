import Foundation
import IngestSupport

extension DefinitionDecoder {
    /// The run facts a `value` template may use: `{{run.id}}` and friends.
    static let runFacts = ["run.id", "run.original_filename", "run.started_at"]

    /// `columns`: target column name → how to fill it, in file order.
    /// `at` is the pointer of the object (`/columns`, or `/nest/0/columns` for a child table's).
    func decodeColumns(_ node: JSONNode, at base: String = "/columns") -> [ColumnSpec] {
        guard case .object(let members) = node.value else {
            report("expected an object of target column name → column, got \(node.kindDescription)", at: base, node.position)
            return []
        }
        if members.isEmpty {
            report("expected at least one column", at: base, node.position)
            return []
        }
        columnNames = members.map(\.key)
        var seen: [String: String] = [:]
        var columns: [ColumnSpec] = []
        for member in members {
            let pointer = JSONPointer.appending(base, member.key)
            if !Self.isIdentifier(member.key) {
                report("column name '\(member.key)' is not an SQL identifier (\(Self.identifierPattern))", at: pointer, member.keyPosition)
            } else if let other = seen[member.key.lowercased()] {
                // SQLite compares column names case-insensitively.
                report("column '\(member.key)' clashes with column '\(other)' (SQL names ignore case)", at: pointer, member.keyPosition)
            } else {
                seen[member.key.lowercased()] = member.key
            }
            if let column = decodeColumn(name: member.key, member.value, pointer) {
                columns.append(column)
            }
        }
        return columns
    }

    private func decodeColumn(name: String, _ node: JSONNode, _ pointer: String) -> ColumnSpec? {
        guard let members = object(node, pointer, allowed: DefinitionKeys.column) else { return nil }
        var column = ColumnSpec(name: name, pointer: pointer, input: .from([name]))

        // Exactly one of from / value / template gives the raw value.
        let inputKeys = ["from", "value", "template"].filter { members[$0] != nil }
        if inputKeys.isEmpty {
            report("set exactly one of 'from', 'value', 'template' to give the column its raw value", at: pointer, node.position)
        } else if inputKeys.count > 1 {
            let quoted = inputKeys.map { "'\($0)'" }
            let names = quoted.dropLast().joined(separator: ", ") + " and " + (quoted.last ?? "")
            let second = inputKeys[1]
            report("set exactly one of 'from', 'value', 'template', not \(names)", at: pointer + "/" + second, members[second]?.keyPosition)
        } else if let key = inputKeys.first, let m = members[key] {
            let inputPointer = pointer + "/" + key
            switch key {
            case "from":
                if let sources = decodeFrom(m.value, inputPointer) { column.input = .from(sources) }
            case "value":
                if let value = scalar(m.value, inputPointer) {
                    if case .string(let text) = value { checkRunTemplate(text, m.value, inputPointer) }
                    column.input = .value(value)
                }
            default:
                if let template = string(m.value, inputPointer, nonEmpty: true) {
                    checkTemplate(template, m.value, inputPointer)
                    column.input = .template(template)
                }
            }
        }

        if let m = members["type"], let type = enumeration(ColumnType.self, m.value, pointer + "/type") {
            column.type = type
        }
        let typeKnown = members["type"] == nil || members["type"].flatMap({ ColumnType(rawValue: stringValue($0.value) ?? "") }) != nil

        if let m = members["transform"] {
            (column.transforms, column.transformWhen) = decodeTransforms(m.value, pointer + "/transform")
        }
        if let m = members["default"], let value = scalar(m.value, pointer + "/default") {
            column.defaultValue = value
        }
        if let m = members["formats"] {
            let formatsPointer = pointer + "/formats"
            if typeKnown && column.type != .date && column.type != .datetime {
                report("'formats' applies only to date and datetime columns, not '\(column.type.rawValue)'", at: formatsPointer, m.keyPosition)
            } else if let patterns = stringList(m.value, formatsPointer) {
                for (pattern, item, itemPointer) in patterns {
                    if let problem = Self.formatsPatternProblem(pattern) {
                        report(problem, at: itemPointer, item.position)
                    } else {
                        column.formats.append(pattern)
                    }
                }
            }
        }
        decodeBooleanSpellings(members, &column, pointer, typeKnown: typeKnown)
        decodeSeparators(members, &column, pointer, typeKnown: typeKnown)
        if let m = members["rules"] {
            column.rules = decodeRules(m.value, pointer + "/rules")
        }
        if let m = members["lookup"] {
            column.lookup = decodeLookup(m.value, pointer + "/lookup")
        }
        if let m = members["relate_many"] {
            column.relateMany = decodeRelateMany(m.value, pointer + "/relate_many")
            if column.lookup != nil, let l = members["lookup"] {
                report("a column cannot have both 'lookup' and 'relate_many'", at: pointer + "/lookup", l.keyPosition)
            }
        }
        if let m = members["nullable"], let b = bool(m.value, pointer + "/nullable") { column.nullable = b }
        if let m = members["unique_in_file"], let b = bool(m.value, pointer + "/unique_in_file") { column.uniqueInFile = b }
        if let m = members["sql_type"], let sqlType = string(m.value, pointer + "/sql_type", nonEmpty: true) {
            if Self.isSQLTypeName(sqlType) {
                column.sqlType = sqlType
            } else {
                report("'\(sqlType)' is not an SQL type name (letters, digits, spaces, and an optional (n) or (n,m), e.g. \"VARCHAR(255)\")", at: pointer + "/sql_type", m.value.position)
            }
        }
        if let m = members["when"] {
            column.when = decodeWhen(m.value, pointer + "/when")
        }
        if let m = members["label"], let label = string(m.value, pointer + "/label", nonEmpty: true) {
            if label.count > 200 || label.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                report("a label is at most 200 characters, without control characters", at: pointer + "/label", m.value.position)
            } else {
                column.label = label
            }
        }
        return column
    }

    private func stringValue(_ node: JSONNode) -> String? {
        if case .string(let s) = node.value { return s }
        return nil
    }

    /// `from`: a header name, or a list whose first entry is the name and the rest aliases.
    private func decodeFrom(_ node: JSONNode, _ pointer: String) -> [String]? {
        switch node.value {
        case .string:
            return string(node, pointer, nonEmpty: true).map { [$0] }
        case .array:
            return stringList(node, pointer)?.map(\.0)
        default:
            report("expected a header name or a non-empty array of header names, got \(node.kindDescription)", at: pointer, node.position)
            return nil
        }
    }

    /// `value` strings may embed `{{run.id}}`, `{{run.original_filename}}`, `{{run.started_at}}`.
    private func checkRunTemplate(_ text: String, _ node: JSONNode, _ pointer: String) {
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i + 1 < scalars.count {
            guard scalars[i] == "{" && scalars[i + 1] == "{" else { i += 1; continue }
            var j = i + 2
            while j + 1 < scalars.count && !(scalars[j] == "}" && scalars[j + 1] == "}") { j += 1 }
            guard j + 1 < scalars.count else {
                report("'{{' is not closed by '}}'", at: pointer, node.position(ofScalar: i))
                return
            }
            var inner = String(String.UnicodeScalarView(scalars[(i + 2)..<j]))
            inner = inner.trimmingCharacters(in: .whitespaces)
            if !Self.runFacts.contains(inner) {
                let hint = Suggestion.hint(for: inner, in: Self.runFacts)
                report("unknown run fact '\(inner)'\(hint); use {{run.id}}, {{run.original_filename}} or {{run.started_at}}", at: pointer, node.position(ofScalar: i))
            }
            i = j + 2
        }
    }

    /// `template` references source headers as `{Header}`: braces must pair up around a name.
    private func checkTemplate(_ text: String, _ node: JSONNode, _ pointer: String) {
        let scalars = Array(text.unicodeScalars)
        var open: Int?
        var references = 0
        for (i, c) in scalars.enumerated() {
            if c == "{" {
                if let start = open {
                    report("'{' inside the reference opened at character \(start + 1); references cannot nest", at: pointer, node.position(ofScalar: i))
                    return
                }
                open = i
            } else if c == "}" {
                guard let start = open else {
                    report("'}' without a matching '{'", at: pointer, node.position(ofScalar: i))
                    return
                }
                let name = String(String.UnicodeScalarView(scalars[(start + 1)..<i]))
                if name.trimmingCharacters(in: .whitespaces).isEmpty {
                    report("empty reference '{}': write a source header name between the braces", at: pointer, node.position(ofScalar: start))
                    return
                }
                references += 1
                open = nil
            }
        }
        if let start = open {
            report("'{' is not closed by '}'", at: pointer, node.position(ofScalar: start))
        } else if references == 0 {
            report("the template references no source column ({Header}); use 'value' for a constant", at: pointer, node.position)
        }
    }

    private func decodeBooleanSpellings(_ members: [String: JSONMember], _ column: inout ColumnSpec, _ pointer: String, typeKnown: Bool) {
        var lists: [String: [String]] = [:]
        for key in ["true_values", "false_values"] {
            guard let m = members[key] else { continue }
            let keyPointer = pointer + "/" + key
            if typeKnown && column.type != .boolean {
                report("'\(key)' applies only to boolean columns, not '\(column.type.rawValue)'", at: keyPointer, m.keyPosition)
                continue
            }
            guard let values = stringList(m.value, keyPointer) else { continue }
            lists[key] = values.map(\.0)
            if key == "false_values", let trues = lists["true_values"] {
                let truesLowered = Set(trues.map { $0.lowercased() })
                for (value, item, itemPointer) in values where truesLowered.contains(value.lowercased()) {
                    report("'\(value)' is in both true_values and false_values", at: itemPointer, item.position)
                }
            }
        }
        column.trueValues = lists["true_values"]
        column.falseValues = lists["false_values"]
    }

    private func decodeSeparators(_ members: [String: JSONMember], _ column: inout ColumnSpec, _ pointer: String, typeKnown: Bool) {
        for key in ["decimal_separator", "thousands_separator"] {
            guard let m = members[key] else { continue }
            let keyPointer = pointer + "/" + key
            if typeKnown && column.type != .decimal && column.type != .integer {
                report("'\(key)' applies only to integer and decimal columns, not '\(column.type.rawValue)'", at: keyPointer, m.keyPosition)
                continue
            }
            guard let s = string(m.value, keyPointer) else { continue }
            guard s.count == 1, let c = s.first, !c.isNumber, c != "-", c != "+" else {
                report("expected a single character that is not a digit or a sign, got '\(s)'", at: keyPointer, m.value.position)
                continue
            }
            if key == "decimal_separator" { column.decimalSeparator = s } else { column.thousandsSeparator = s }
        }
        let decimalUsable = members["decimal_separator"] == nil || column.decimalSeparator != nil
        if decimalUsable, let thousands = column.thousandsSeparator, thousands == (column.decimalSeparator ?? "."), let m = members["thousands_separator"] {
            report("the thousands separator '\(thousands)' equals the decimal separator; set a different decimal_separator", at: pointer + "/thousands_separator", m.value.position)
        }
    }

    private func decodeLookup(_ node: JSONNode, _ pointer: String) -> LookupSpec? {
        guard let members = object(node, pointer, allowed: DefinitionKeys.lookup) else { return nil }
        var lookup = LookupSpec(table: "", match: "")
        var ok = true
        if let m = members["table"], let table = tableName(m.value, pointer + "/table") {
            lookup.table = table
        } else {
            ok = false
            if members["table"] == nil { report("missing required key 'table'", at: pointer, node.position) }
        }
        for key in ["match", "select"] {
            guard let m = members[key] else {
                if key == "match" {
                    ok = false
                    report("missing required key 'match'", at: pointer, node.position)
                }
                continue
            }
            guard let name = string(m.value, pointer + "/" + key, nonEmpty: true) else { ok = false; continue }
            guard Self.isIdentifier(name) else {
                report("column name '\(name)' is not an SQL identifier (\(Self.identifierPattern))", at: pointer + "/" + key, m.value.position)
                ok = false
                continue
            }
            if key == "match" { lookup.match = name } else { lookup.select = name }
        }
        var onMissing: LookupSpec.OnMissing?
        if let m = members["on_missing"], let value = enumeration(LookupSpec.OnMissing.self, m.value, pointer + "/on_missing") {
            onMissing = value
            lookup.onMissing = value
        }
        if let m = members["create_missing"], let b = bool(m.value, pointer + "/create_missing") {
            if let onMissing, (onMissing == .create) != b {
                report("'create_missing: \(b)' contradicts 'on_missing: \(onMissing.rawValue)'; keep only 'on_missing'", at: pointer + "/create_missing", m.keyPosition)
                ok = false
            } else if onMissing == nil {
                lookup.createMissing = b
            }
        }
        return ok ? lookup : nil
    }

    /// The prefix that marks a `formats` entry written with PHP's date letters (`php:d.m.Y`).
    package static let phpPatternPrefix = "php:"

    /// A `formats` entry: ICU letters, or PHP letters after `php:`. Nil when fine.
    static func formatsPatternProblem(_ pattern: String) -> String? {
        if pattern.hasPrefix(phpPatternPrefix) { return phpDatePatternProblem(String(pattern.dropFirst(phpPatternPrefix.count))) }
        return datePatternProblem(pattern)
    }

    /// PHP `date()` letters the `date_format:` rule and `php:` formats take, as Laravel's
    /// `date_format` (`DateTime::createFromFormat`) reads them.
    package static let phpDateLetters: Set<Character> = ["d", "j", "m", "n", "M", "F", "Y", "y", "H", "G", "h", "g", "i", "s", "v", "u", "A", "a", "P", "p", "O"]

    /// A PHP date pattern (`Y-m-d`, `d.m.Y H:i`, `\T` for a literal letter). A letter written
    /// twice in a row (`dd`, `yyyy`) is ICU's style, which PHP reads as the field twice: refused
    /// with the PHP spelling, so no pattern is read in a syntax it was not written in.
    static func phpDatePatternProblem(_ pattern: String) -> String? {
        if pattern.isEmpty { return "empty date pattern" }
        var escaped = false
        var previous: Character?
        var usesField = false
        for c in pattern {
            defer { previous = escaped ? nil : c }
            if escaped { escaped = false; continue }
            if c == "\\" { escaped = true; continue }
            guard c.isLetter else { continue }
            guard phpDateLetters.contains(c) else {
                return "'\(c)' is not a PHP date letter in \"\(pattern)\" (date_format takes PHP's letters as Laravel does: d j m n M F Y y H G h g i s v u A a P O; escape a literal letter with a backslash)"
            }
            if c == previous {
                let icu = icuToPHPHint(pattern)
                return "\"\(pattern)\" repeats '\(c)': date_format takes PHP's letters as Laravel does (one letter per field)\(icu.map { ", e.g. \"\($0)\"" } ?? "")"
            }
            usesField = true
        }
        if escaped { return "date pattern \"\(pattern)\" ends with a lone backslash" }
        if !usesField { return "date pattern \"\(pattern)\" has no date or time field" }
        return nil
    }

    /// The PHP spelling of an ICU pattern (`dd.MM.yyyy` → `d.m.Y`), for hints; nil when unsure.
    static func icuToPHPHint(_ pattern: String) -> String? {
        let table: [(String, String)] = [("yyyy", "Y"), ("yy", "y"), ("MMMM", "F"), ("MMM", "M"), ("MM", "m"), ("M", "n"),
                                         ("dd", "d"), ("d", "j"), ("HH", "H"), ("H", "G"), ("hh", "h"), ("h", "g"),
                                         ("mm", "i"), ("ss", "s"), ("a", "A")]
        var out = ""
        var rest = Substring(pattern)
        outer: while let c = rest.first {
            if c.isLetter {
                for (icu, php) in table where rest.hasPrefix(icu) {
                    out += php
                    rest = rest.dropFirst(icu.count)
                    continue outer
                }
                return nil
            }
            out.append(c)
            rest = rest.dropFirst()
        }
        return out
    }

    /// Date patterns use only y M d H h m s S a; other letters must be quoted ('T'), and `''`
    /// is a literal quote. Nil when `pattern` is fine, else what is wrong.
    static func datePatternProblem(_ pattern: String) -> String? {
        let letters: Set<Character> = ["y", "M", "d", "H", "h", "m", "s", "S", "a"]
        if pattern.isEmpty { return "empty date pattern" }
        var inQuote = false
        var usesField = false
        var iterator = Array(pattern).makeIterator()
        var pending: Character? = nil
        while let c = pending ?? iterator.next() {
            pending = nil
            if c == "'" {
                // '' is a literal quote inside or outside quoted text.
                if let next = iterator.next() {
                    if next == "'" { continue }
                    pending = next
                }
                inQuote.toggle()
                continue
            }
            if inQuote { continue }
            if letters.contains(c) {
                usesField = true
            } else if c.isLetter {
                return "'\(c)' is not a date pattern letter in \"\(pattern)\" (use y M d H h m s S a; quote literal text like 'T')"
            }
        }
        if inQuote { return "unterminated quoted text in date pattern \"\(pattern)\"" }
        if !usesField { return "date pattern \"\(pattern)\" has no date or time field (y M d H h m s S a)" }
        return nil
    }

    /// A type name SQLite understands as an affinity: `TEXT`, `VARCHAR(255)`, `NUMERIC(10,2)`.
    static func isSQLTypeName(_ s: String) -> Bool {
        let scalars = Array(s.unicodeScalars)
        var i = 0
        func isLetter(_ c: Unicode.Scalar) -> Bool { (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_" }
        func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }
        guard let first = scalars.first, isLetter(first) else { return false }
        while i < scalars.count, isLetter(scalars[i]) || isDigit(scalars[i]) || scalars[i] == " " { i += 1 }
        if i == scalars.count { return scalars.last != " " }
        guard scalars[i] == "(" else { return false }
        i += 1
        func digits() -> Bool {
            let start = i
            while i < scalars.count, isDigit(scalars[i]) { i += 1 }
            return i > start
        }
        guard digits() else { return false }
        if i < scalars.count, scalars[i] == "," {
            i += 1
            while i < scalars.count, scalars[i] == " " { i += 1 }
            guard digits() else { return false }
        }
        guard i < scalars.count, scalars[i] == ")" else { return false }
        return i == scalars.count - 1
    }
}
