import IngestSupport

extension DefinitionDecoder {
    /// `nest`: an array of `{"path", "table", "parent_column", "columns", "key", "on_duplicate",
    /// "create_table"}`, each an array field of the source objects imported into a child table.
    func decodeNests(_ node: JSONNode, columns: [ColumnSpec]) -> [NestSpec] {
        guard case .array(let items) = node.value else {
            report("expected an array of nested tables, got \(node.kindDescription)", at: "/nest", node.position)
            return []
        }
        if items.isEmpty { report("expected at least one nested table", at: "/nest", node.position) }
        var nests: [NestSpec] = []
        for (i, item) in items.enumerated() {
            if let nest = decodeNest(item, JSONPointer.appending("/nest", i)) { nests.append(nest) }
        }
        return nests
    }

    private func decodeNest(_ node: JSONNode, _ pointer: String) -> NestSpec? {
        guard let members = object(node, pointer, allowed: DefinitionKeys.nest) else { return nil }
        var ok = true
        func required(_ key: String, _ what: String) -> JSONMember? {
            if let m = members[key] { return m }
            report("missing required key '\(key)' (\(what))", at: pointer, node.position)
            ok = false
            return nil
        }
        var spec = NestSpec(path: "", table: "", parentColumn: "", columns: [], pointer: pointer)
        if let m = required("path", "the source key of the array, e.g. \"lines\"") {
            if let path = string(m.value, pointer + "/path", nonEmpty: true) {
                if path.split(separator: ".", omittingEmptySubsequences: false).contains(where: \.isEmpty) {
                    report("'\(path)' is not a key path: its dot-separated parts must not be empty", at: pointer + "/path", m.value.position)
                    ok = false
                } else {
                    spec.path = path
                }
            } else { ok = false }
        }
        if let m = required("table", "the child table") {
            if let table = tableName(m.value, pointer + "/table") { spec.table = table } else { ok = false }
        }
        if let m = required("parent_column", "the child column holding the parent's key") {
            if let name = string(m.value, pointer + "/parent_column", nonEmpty: true) {
                if Self.isIdentifier(name) {
                    spec.parentColumn = name
                } else {
                    report("column name '\(name)' is not an SQL identifier (\(Self.identifierPattern))", at: pointer + "/parent_column", m.value.position)
                    ok = false
                }
            } else { ok = false }
        }
        // The child's columns are decoded against their own names: rules, keys and conditions
        // refer to the child's columns, not to the parent's.
        let parentNames = columnNames
        defer { columnNames = parentNames }
        if let m = required("columns", "the child table's columns, keyed by name") {
            let before = problems.count
            spec.columns = decodeColumns(m.value, at: pointer + "/columns")
            if problems.count > before { ok = false }
            checkChildColumns(spec, m.value)
            if let clash = spec.columns.first(where: { $0.name.lowercased() == spec.parentColumn.lowercased() }), !spec.parentColumn.isEmpty {
                report("the child column '\(clash.name)' clashes with parent_column '\(spec.parentColumn)', which Ingest fills with the parent's key",
                       at: JSONPointer.appending(pointer + "/columns", clash.name), m.value.position)
                ok = false
            }
        }
        columnNames = spec.columns.map(\.name) + (spec.parentColumn.isEmpty ? [] : [spec.parentColumn])
        if let m = members["key"] {
            let before = problems.count
            spec.key = decodeKey(m.value, pointer + "/key")
            if problems.count > before { ok = false }
        }
        if let m = members["on_duplicate"] {
            if let strategy = enumeration(DuplicateStrategy.self, m.value, pointer + "/on_duplicate") {
                if strategy == .updateIfNewer {
                    report("on_duplicate 'update_if_newer' is not offered for child tables; use skip, update, upsert or fail",
                           at: pointer + "/on_duplicate", m.value.position)
                    ok = false
                } else {
                    spec.onDuplicate = strategy
                    if strategy != .skip && members["key"] == nil {
                        report("on_duplicate '\(strategy.rawValue)' needs a 'key' to recognise duplicate child rows", at: pointer, node.position)
                        ok = false
                    }
                }
            } else { ok = false }
        }
        if let m = members["create_table"] {
            if let create = bool(m.value, pointer + "/create_table") { spec.createTable = create } else { ok = false }
        }
        return ok ? spec : nil
    }

    /// What a child column may not use yet: database-backed checks (`lookup`, `relate_many`,
    /// `unique`, `exists`), which are judged per batch against one table.
    private func checkChildColumns(_ spec: NestSpec, _ node: JSONNode) {
        for column in spec.columns {
            if column.lookup != nil {
                report("a child column cannot have a 'lookup' yet (column '\(column.name)')", at: column.pointer + "/lookup", node.position)
            }
            if column.relateMany != nil {
                report("a child column cannot have 'relate_many' (column '\(column.name)')", at: column.pointer + "/relate_many", node.position)
            }
            for rule in column.rules where rule.name == "unique" || rule.name == "exists" {
                report("the \(rule.name) rule is not offered on child columns yet (column '\(column.name)')", at: rule.pointer, node.position)
            }
        }
    }

    /// What `nest` needs of the rest of the definition: JSON sources only, one parent table, a
    /// parent key Ingest can hand to children, and child tables distinct from every other table.
    func checkNests(_ nests: [NestSpec], target: TargetSpec, source: SourceSpec, columns: [ColumnSpec], _ member: JSONMember) {
        let allowed = NestSpec.formats.map(\.rawValue).joined(separator: " and ")
        let nonJSON = source.formats.filter { !NestSpec.formats.contains($0) }
        if source.formats.isEmpty {
            report("'nest' reads arrays inside JSON objects, so the importer must accept only \(allowed) files: set source.formats to [\"json\"], [\"ndjson\"] or both",
                   at: "/nest", member.keyPosition)
        } else if !nonJSON.isEmpty {
            report("'nest' reads arrays inside JSON objects, so the importer must accept only \(allowed) files; source.formats allows \(nonJSON.map(\.rawValue).joined(separator: ", "))",
                   at: "/source/formats", member.keyPosition)
        }
        if let format = source.format, !NestSpec.formats.contains(format) {
            report("'nest' reads arrays inside JSON objects, but source.format is '\(format.rawValue)'", at: "/source/format", member.keyPosition)
        }
        if target.route != nil {
            report("'nest' cannot be combined with target.route yet: the parent table would depend on the row", at: "/nest", member.keyPosition)
        }
        if target.allowEmptyKey {
            report("'nest' cannot be combined with target.allow_empty_key: children need their parent's key", at: "/nest", member.keyPosition)
        }
        if target.withoutRowID && target.key.count > 1 {
            report("'nest' needs the parent's single-column key or its id, but a WITHOUT ROWID table keyed by (\(target.key.joined(separator: ", "))) has neither",
                   at: "/nest", member.keyPosition)
        }
        var seen: [String: String] = [target.table.lowercased(): "the target table"]
        for column in columns {
            if let relate = column.relateMany {
                seen[relate.table.lowercased()] = "the pivot table of relate_many (column '\(column.name)')"
                seen[relate.related.table.lowercased()] = "the related table of relate_many (column '\(column.name)')"
            }
            if let lookup = column.lookup { seen[lookup.table.lowercased()] = "the lookup table of column '\(column.name)'" }
        }
        var paths: Set<String> = []
        for nest in nests {
            if let other = seen[nest.table.lowercased()] {
                report("the child table '\(nest.table)' cannot also be \(other)", at: nest.pointer + "/table", member.keyPosition)
            }
            seen[nest.table.lowercased()] = "the child table of \(nest.pointer)"
            if !paths.insert(nest.path).inserted {
                report("the path '\(nest.path)' is nested twice", at: nest.pointer + "/path", member.keyPosition)
            }
        }
    }
}
