extension DefinitionDecoder {
    /// `relate_many`: `{"table", "parent_column", "related": {"table", "match", "select",
    /// "on_missing"}, "related_column", "separator", "mode"}`.
    func decodeRelateMany(_ node: JSONNode, _ pointer: String) -> RelateManySpec? {
        guard let members = object(node, pointer, allowed: DefinitionKeys.relateMany) else { return nil }
        var ok = true
        func required(_ key: String) -> JSONMember? {
            if let m = members[key] { return m }
            report("missing required key '\(key)'", at: pointer, node.position)
            ok = false
            return nil
        }
        var spec = RelateManySpec(table: "", parentColumn: "", relatedColumn: "", related: LookupSpec(table: "", match: ""))
        if let m = required("table") {
            if let table = tableName(m.value, pointer + "/table") { spec.table = table } else { ok = false }
        }
        for key in ["parent_column", "related_column"] {
            guard let m = required(key), let name = columnName(m.value, pointer + "/" + key) else { ok = false; continue }
            if key == "parent_column" { spec.parentColumn = name } else { spec.relatedColumn = name }
        }
        if !spec.parentColumn.isEmpty, spec.parentColumn.lowercased() == spec.relatedColumn.lowercased(), let m = members["related_column"] {
            report("'related_column' must differ from 'parent_column'", at: pointer + "/related_column", m.value.position)
            ok = false
        }
        if let m = required("related") {
            if let (related, onMissing) = decodeRelated(m.value, pointer + "/related") {
                spec.related = related
                spec.onMissing = onMissing
            } else {
                ok = false
            }
        }
        if let m = members["separator"] {
            if let s = string(m.value, pointer + "/separator", nonEmpty: true) { spec.separator = s } else { ok = false }
        }
        if let m = members["mode"] {
            if let mode = enumeration(RelateManySpec.Mode.self, m.value, pointer + "/mode") { spec.mode = mode } else { ok = false }
        }
        if ok, spec.table.lowercased() == spec.related.table.lowercased(), let m = members["table"] {
            report("the pivot table must differ from the related table", at: pointer + "/table", m.value.position)
            ok = false
        }
        return ok ? spec : nil
    }

    /// `relate_many.related`: the table of the listed values, with its on_missing.
    private func decodeRelated(_ node: JSONNode, _ pointer: String) -> (LookupSpec, RelateManySpec.OnMissing)? {
        guard let members = object(node, pointer, allowed: DefinitionKeys.related) else { return nil }
        var related = LookupSpec(table: "", match: "")
        var onMissing = RelateManySpec.OnMissing.fail
        var ok = true
        if let m = members["table"] {
            if let table = tableName(m.value, pointer + "/table") { related.table = table } else { ok = false }
        } else {
            report("missing required key 'table'", at: pointer, node.position)
            ok = false
        }
        if let m = members["match"] {
            if let name = columnName(m.value, pointer + "/match") { related.match = name } else { ok = false }
        } else {
            report("missing required key 'match'", at: pointer, node.position)
            ok = false
        }
        if let m = members["select"] {
            if let name = columnName(m.value, pointer + "/select") { related.select = name } else { ok = false }
        }
        if let m = members["on_missing"] {
            if let value = enumeration(RelateManySpec.OnMissing.self, m.value, pointer + "/on_missing") { onMissing = value } else { ok = false }
        }
        return ok ? (related, onMissing) : nil
    }

    /// A non-empty SQL identifier naming a column.
    private func columnName(_ node: JSONNode, _ pointer: String) -> String? {
        guard let name = string(node, pointer, nonEmpty: true) else { return nil }
        guard Self.isIdentifier(name) else {
            report("column name '\(name)' is not an SQL identifier (\(Self.identifierPattern))", at: pointer, node.position)
            return nil
        }
        return name
    }
}
