import Definitions
import Rules
import SQLite
import SQLStore

/// The tables of `relate_many` columns: each pivot table (its two columns and the UNIQUE index
/// on them) and each related table (its `match` and `select` columns).
extension TargetTable {
    /// The `relate_many` columns with their index into `columns` (and into a row's values).
    var relations: [(index: Int, column: CompiledColumn, spec: RelateManySpec)] {
        columns.enumerated().compactMap { i, c in c.relateMany.map { (i, c, $0) } }
    }

    /// `CREATE TABLE` for a missing pivot table.
    static func pivotTableSQL(_ spec: RelateManySpec) -> String {
        "CREATE TABLE \(quoteIdentifier(spec.table)) (\(quoteIdentifier(spec.parentColumn)) INTEGER NOT NULL, \(quoteIdentifier(spec.relatedColumn)) INTEGER NOT NULL);"
    }

    /// The UNIQUE index `sync_without_detaching` and `sync` insert against.
    static func pivotIndexSQL(_ spec: RelateManySpec) -> String {
        let index = quoteIdentifier("\(spec.table)_\(spec.parentColumn)_\(spec.relatedColumn)_unique")
        return "CREATE UNIQUE INDEX \(index) ON \(quoteIdentifier(spec.table)) (\(quoteIdentifier(spec.parentColumn)), \(quoteIdentifier(spec.relatedColumn)));"
    }

    /// Compares each pivot and related table with the definition, adding problems with the SQL that fixes them.
    func inspectRelations(on db: any SQLDatabase, definition: ImporterDefinition, into report: inout Inspection) throws(SQLiteError) {
        for (_, column, spec) in relations {
            let role = "the relate_many of column '\(column.name)'"
            if try db.tableExists(spec.table) {
                if let problem = try missingColumns([spec.parentColumn, spec.relatedColumn], in: spec.table, on: db, role: role + " (parent_column, related_column)") {
                    report.problems.append(problem)
                } else if try !TargetTable.hasUniqueIndex(on: [spec.parentColumn, spec.relatedColumn], of: spec.table, db) {
                    report.problems.append("The pivot table '\(spec.table)' has no UNIQUE index on (\(spec.parentColumn), \(spec.relatedColumn)), which \(role) needs to insert each pair once. Create one: \(TargetTable.pivotIndexSQL(spec))")
                } else {
                    report.notes.append("pivot table '\(spec.table)' matches \(role)")
                }
            } else if definition.target.createTable {
                report.notes.append("pivot table '\(spec.table)' will be created on the first run")
            } else {
                report.problems.append("The pivot table '\(spec.table)' of column '\(column.name)' does not exist and the importer does not create it (target.create_table is false). Create it: \(TargetTable.pivotTableSQL(spec)) \(TargetTable.pivotIndexSQL(spec))")
            }
            let related = spec.related
            if try db.tableExists(related.table) {
                if let problem = try missingColumns([related.match, related.select], in: related.table, on: db, role: role + " (related.match, related.select)") {
                    report.problems.append(problem)
                }
            } else if spec.onMissing == .create && related.select.lowercased() == "id" {
                report.notes.append("related table '\(related.table)' will be created on the first run")
            } else {
                report.problems.append("The related table '\(related.table)' of column '\(column.name)' does not exist.")
            }
        }
    }

    /// Creates missing pivot tables (with their UNIQUE index) and missing related tables that
    /// `on_missing: create` may grow; ``inspectRelations`` has allowed it.
    func prepareRelations(on db: any SQLDatabase, definition: ImporterDefinition) throws(SQLiteError) {
        for (_, _, spec) in relations {
            if try !db.tableExists(spec.table) {
                try db.execute(TargetTable.pivotTableSQL(spec))
                try db.execute(TargetTable.pivotIndexSQL(spec))
            }
            if try !db.tableExists(spec.related.table) {
                try db.execute("CREATE TABLE \(quoteIdentifier(spec.related.table)) (\"id\" INTEGER PRIMARY KEY, \(quoteIdentifier(spec.related.match)) TEXT NOT NULL UNIQUE)")
            }
        }
    }
}
