import Definitions
import Rules
import SQLite
import SQLStore

/// The child tables of `nest` entries: each holds the child columns plus `parent_column` (the
/// parent's single-column key value, with a foreign key to it, else the parent's id), a UNIQUE
/// index on the child key, and an index on `parent_column`.
extension TargetTable {
    /// `CREATE TABLE` (and its indexes) for a missing child table, one statement per element.
    func childTableSQL(_ nest: CompiledNest, _ dialect: SQLDialect) -> [String] {
        let spec = nest.spec
        let table = quoteIdentifier(spec.table)
        var defs: [String] = []
        if !nest.importer.columns.contains(where: { $0.name.lowercased() == "id" }) && spec.parentColumn.lowercased() != "id" {
            defs.append("\"id\" \(TargetTable.idColumnType(dialect))")
        }
        for column in nest.importer.columns {
            defs.append("\(quoteIdentifier(column.name)) \(TargetTable.columnType(column, dialect))")
        }
        var parent = "\(quoteIdentifier(spec.parentColumn)) \(nest.parentColumnSQLType) NOT NULL"
        if key.count == 1 { parent += " REFERENCES \(quotedName) (\(quoteIdentifier(key[0])))" }
        defs.append(parent)
        var sql = ["CREATE TABLE \(table) (\n  \(defs.joined(separator: ",\n  "))\n)"]
        if !spec.key.isEmpty {
            let index = quoteIdentifier("\(spec.table)_\(spec.key.joined(separator: "_"))_unique")
            sql.append("CREATE UNIQUE INDEX \(index) ON \(table) (\(spec.key.map(quoteIdentifier).joined(separator: ", ")))")
        }
        if spec.key.first?.lowercased() != spec.parentColumn.lowercased() {
            sql.append("CREATE INDEX \(quoteIdentifier("\(spec.table)_\(spec.parentColumn)_index")) ON \(table) (\(quoteIdentifier(spec.parentColumn)))")
        }
        return sql
    }

    /// Compares each child table with its `nest` entry, adding problems with the SQL that fixes them.
    func inspectNests(on db: any SQLDatabase, parentExists: Bool, into report: inout Inspection) throws(SQLiteError) {
        for nest in nests {
            let spec = nest.spec
            guard try db.tableExists(spec.table) else {
                if spec.createTable {
                    report.notes.append("child table '\(spec.table)' (\(spec.pointer)) will be created on the first run")
                } else {
                    let create = childTableSQL(nest, db.dialect).map { $0.replacingOccurrences(of: "\n  ", with: " ").replacingOccurrences(of: "\n", with: " ") + ";" }
                    report.problems.append("The child table '\(spec.table)' does not exist and the importer does not create it (\(spec.pointer)/create_table is false). "
                        + "Create it: \(create.joined(separator: " "))")
                }
                continue
            }
            let existing = try db.columns(of: spec.table)
            var byName: [String: String] = [:]
            for c in existing { byName[c.name.lowercased()] = c.type }
            var problems: [String] = []
            var missing: [String] = []
            let child = TargetTable(importer: nest.importer)
            for column in nest.importer.columns {
                guard let declared = byName[column.name.lowercased()] else { missing.append(column.name); continue }
                let problem = db.dialect == .postgres ? PostgresTypes.problem(column, declared: declared, table: spec.table) : child.affinityProblem(column, declared: declared)
                if let problem { problems.append(problem) }
            }
            if byName[spec.parentColumn.lowercased()] == nil { missing.append(spec.parentColumn) }
            if !missing.isEmpty {
                let list = missing.map { "'\($0)'" }.joined(separator: ", ")
                problems.append("The child table '\(spec.table)' has no column \(list), which \(spec.pointer) declares (parent_column included). Add \(missing.count == 1 ? "it" : "them") or change the importer.")
            }
            if !spec.key.isEmpty, missing.isEmpty, try !TargetTable.hasUniqueIndex(on: spec.key, of: spec.table, db) {
                let index = quoteIdentifier("\(spec.table)_\(spec.key.joined(separator: "_"))_unique")
                problems.append("The child table '\(spec.table)' has no UNIQUE index on (\(spec.key.joined(separator: ", "))), which duplicate detection of its rows needs. "
                    + "Create one: CREATE UNIQUE INDEX \(index) ON \(quoteIdentifier(spec.table)) (\(spec.key.map(quoteIdentifier).joined(separator: ", "))).")
            }
            if problems.isEmpty { report.notes.append("child table '\(spec.table)' matches \(spec.pointer)") }
            report.problems += problems
        }
    }

    /// Creates the missing child tables; ``inspectNests`` has allowed it.
    func prepareNests(on db: any SQLDatabase) throws(SQLiteError) {
        for nest in nests where try !db.tableExists(nest.spec.table) {
            for statement in childTableSQL(nest, db.dialect) { try db.execute(statement) }
        }
    }
}
