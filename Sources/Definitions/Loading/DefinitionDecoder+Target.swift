import IngestSupport

extension DefinitionDecoder {
    /// `target`: table, key columns, duplicate strategy and its `newer_by` column.
    func decodeTarget(_ node: JSONNode) -> TargetSpec {
        let pointer = "/target"
        var spec = TargetSpec(table: "")
        guard let members = object(node, pointer, allowed: DefinitionKeys.target) else { return spec }
        if let m = members["table"] {
            if let table = tableName(m.value, pointer + "/table") { spec.table = table }
        } else {
            report("missing required key 'table'", at: pointer, node.position)
        }
        if let m = members["key"] {
            spec.key = decodeKey(m.value, pointer + "/key")
        }
        var strategyKnown = members["on_duplicate"] == nil
        if let m = members["on_duplicate"], let strategy = enumeration(DuplicateStrategy.self, m.value, pointer + "/on_duplicate") {
            spec.onDuplicate = strategy
            strategyKnown = true
        }
        if let m = members["newer_by"] {
            if let column = string(m.value, pointer + "/newer_by", nonEmpty: true) {
                if strategyKnown && spec.onDuplicate != .updateIfNewer {
                    report("'newer_by' applies only to on_duplicate 'update_if_newer'", at: pointer + "/newer_by", m.keyPosition)
                } else if checkColumnReference(column, pointer + "/newer_by", m.value.position, role: "newer_by") {
                    spec.newerBy = column
                }
            }
        } else if spec.onDuplicate == .updateIfNewer {
            report("missing required key 'newer_by' for on_duplicate 'update_if_newer'", at: pointer, node.position)
        }
        if spec.onDuplicate != .skip && members["key"] == nil {
            report("on_duplicate '\(spec.onDuplicate.rawValue)' needs a 'key' to recognise duplicates", at: pointer, node.position)
        }
        if let m = members["allow_empty_key"], let allow = bool(m.value, pointer + "/allow_empty_key") {
            if allow && members["key"] == nil {
                report("'allow_empty_key' needs a 'key'", at: pointer + "/allow_empty_key", m.keyPosition)
            }
            spec.allowEmptyKey = allow
        }
        if let m = members["create_table"], let create = bool(m.value, pointer + "/create_table") {
            spec.createTable = create
        }
        if let m = members["alter"], let alter = bool(m.value, pointer + "/alter") {
            spec.alter = alter
        }
        if let m = members["without_rowid"], let without = bool(m.value, pointer + "/without_rowid") {
            if without && members["key"] == nil {
                report("'without_rowid' needs a 'key' (it becomes the table's primary key)", at: pointer + "/without_rowid", m.keyPosition)
            } else if without && spec.allowEmptyKey {
                report("'without_rowid' and 'allow_empty_key' exclude each other: a WITHOUT ROWID table's key columns may not be NULL",
                       at: pointer + "/without_rowid", m.keyPosition)
            }
            spec.withoutRowID = without
        }
        if let m = members["route"] {
            spec.route = decodeRoute(m.value, pointer + "/route", main: spec.table)
        }
        return spec
    }

    /// `target.route`: `{"column": "Role", "tables": {"admin": "admin_users", …}}`.
    private func decodeRoute(_ node: JSONNode, _ pointer: String, main: String) -> RouteSpec? {
        guard let members = object(node, pointer, allowed: DefinitionKeys.route) else { return nil }
        var column: String?
        if let m = members["column"] {
            column = string(m.value, pointer + "/column", nonEmpty: true)
        } else {
            report("missing required key 'column' (the source header whose value picks the table)", at: pointer, node.position)
        }
        var tables: [(value: String, table: String)] = []
        if let m = members["tables"] {
            let tablesPointer = pointer + "/tables"
            if case .object(let entries) = m.value.value {
                if entries.isEmpty { report("expected at least one value → table entry", at: tablesPointer, m.value.position) }
                for entry in entries {
                    if let table = tableName(entry.value, JSONPointer.appending(tablesPointer, entry.key)) {
                        tables.append((entry.key, table))
                    }
                }
            } else {
                report("expected an object of value → table, got \(m.value.kindDescription)", at: tablesPointer, m.value.position)
            }
        } else {
            report("missing required key 'tables' (value → table)", at: pointer, node.position)
        }
        guard let column, !tables.isEmpty else { return nil }
        return RouteSpec(column: column, tables: tables)
    }

    /// A table name: an SQL identifier outside the reserved `ingest_`, `sqlite_` and `pg_`
    /// namespaces, and not `information_schema`.
    func tableName(_ node: JSONNode, _ pointer: String) -> String? {
        guard let table = string(node, pointer, nonEmpty: true) else { return nil }
        guard Self.isIdentifier(table) else {
            report("table name '\(table)' is not an SQL identifier (\(Self.identifierPattern))", at: pointer, node.position)
            return nil
        }
        if let problem = Self.reservedTableProblem(table) {
            report(problem, at: pointer, node.position)
            return nil
        }
        return table
    }

    /// Why `table` may not be named by a definition (target, lookup, `exists`), or nil.
    static func reservedTableProblem(_ table: String) -> String? {
        switch TargetSpec.reservedPrefix(of: table) {
        case "ingest_": return "table names starting with 'ingest_' are reserved for Ingest's own bookkeeping"
        case "sqlite_": return "table names starting with 'sqlite_' are reserved for SQLite's internal tables"
        case "pg_": return "table names starting with 'pg_' are reserved for PostgreSQL's catalogs"
        case let name?: return "the table name '\(name)' is reserved for PostgreSQL's catalogs"
        case nil: return nil
        }
    }

    /// `key`: one column name or a list of them (a composite key), each a declared column.
    func decodeKey(_ node: JSONNode, _ pointer: String) -> [String] {
        var entries: [(String, JSONNode, String)] = []
        switch node.value {
        case .string:
            if let s = string(node, pointer, nonEmpty: true) { entries = [(s, node, pointer)] }
        case .array:
            entries = stringList(node, pointer) ?? []
        default:
            report("expected a column name or an array of column names, got \(node.kindDescription)", at: pointer, node.position)
        }
        var key: [String] = []
        for (name, item, itemPointer) in entries {
            if key.contains(name) {
                report("column '\(name)' is listed twice in the key", at: itemPointer, item.position)
            } else if checkColumnReference(name, itemPointer, item.position, role: "key") {
                key.append(name)
            }
        }
        return key
    }
}

extension DefinitionDecoder {
    /// What `target.route` cannot be combined with yet: `relate_many` (a pivot's parent table
    /// would depend on the row) and `unique` rules (checked against one table).
    func checkRoute(_ target: TargetSpec, columns: [ColumnSpec], _ targetNode: JSONNode) {
        guard target.route != nil, case .object(let members) = targetNode.value,
              let member = members.first(where: { $0.key == "route" }) else { return }
        for column in columns where column.relateMany != nil {
            report("'route' cannot be combined with relate_many (column '\(column.name)') yet: a pivot's parent table would depend on the row",
                   at: "/target/route", member.keyPosition)
        }
        for column in columns where column.rules.contains(where: { $0.name == "unique" }) {
            report("'route' cannot be combined with the unique rule (column '\(column.name)') yet: rows land in more than one table",
                   at: "/target/route", member.keyPosition)
        }
    }
}

extension DefinitionDecoder {
    /// A `relate_many` pivot or related table may not be the target table itself (its rows would
    /// be deleted by `sync`, or the pivot never created).
    func checkRelationTables(_ target: TargetSpec, columns: [ColumnSpec], _ targetNode: JSONNode) {
        guard case .object(let members) = targetNode.value, let member = members.first(where: { $0.key == "table" }) else { return }
        let table = target.table.lowercased()
        for column in columns {
            guard let relation = column.relateMany else { continue }
            for (role, name) in [("pivot", relation.table), ("related", relation.related.table)] where name.lowercased() == table {
                report("the target table '\(target.table)' cannot also be the \(role) table of relate_many (column '\(column.name)')",
                       at: "/target/table", member.value.position)
            }
        }
    }
}
