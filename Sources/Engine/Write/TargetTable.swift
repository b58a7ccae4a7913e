import Definitions
import Foundation
import Rules
import SQLite
import SQLStore

/// The target table of a run: created from the declared column types, or compared with the
/// definition before the first row so a mismatch fails fast instead of failing (or silently
/// changing) every row.
struct TargetTable {
    let name: String
    let columns: [CompiledColumn]
    let key: [String]
    let keyIndexes: [Int]
    /// The columns of the table itself: every column but the `relate_many` lists.
    var stored: [CompiledColumn] { columns.filter(\.isStored) }

    /// `target.route`: the other tables rows may be routed to, each with these columns and key.
    let routeTables: [TargetTable]
    /// `nest`: the child tables each row's arrays are written to.
    let nests: [CompiledNest]

    init(importer: CompiledImporter) {
        let definition = importer.definition
        name = definition.target.table
        columns = importer.columns
        key = definition.target.key
        let keyIndexes = definition.target.key.compactMap { k in importer.columns.firstIndex { $0.name == k } }
        self.keyIndexes = keyIndexes
        let main = definition.target.table.lowercased()
        nests = importer.nests
        routeTables = (definition.target.route?.tableNames ?? []).filter { $0.lowercased() != main }.map {
            TargetTable(name: $0, columns: importer.columns, key: definition.target.key, keyIndexes: keyIndexes)
        }
    }

    private init(name: String, columns: [CompiledColumn], key: [String], keyIndexes: [Int]) {
        self.name = name; self.columns = columns; self.key = key; self.keyIndexes = keyIndexes
        routeTables = []
        nests = []
    }

    /// The target table and its routed tables: where rows may land, the target first.
    var allTables: [TargetTable] { [self] + routeTables }

    var quotedName: String { quoteIdentifier(name) }
    var keyDescription: String { key.joined(separator: ", ") }

    /// What comparing the database with the definition found: `ingest check` prints it, a run
    /// fails on its problems before any row.
    struct Inspection {
        /// Each one fails a run (and `ingest check`), with how to fix it.
        var problems: [String] = []
        /// What is fine or will be done (a table or column to create).
        var notes: [String] = []
        /// Declared columns the existing table lacks, to add with `ALTER TABLE … ADD COLUMN` (alter on).
        var columnsToAdd: [CompiledColumn] = []
        /// Whether the target table exists.
        var exists = false
    }

    /// Compares the target table, the lookup tables and the `exists` tables with the
    /// definition, without changing anything.
    func inspect(on db: any SQLDatabase, definition: ImporterDefinition, alter: Bool) throws(SQLiteError) -> Inspection {
        var report = try inspectOwn(on: db, definition: definition, alter: alter)
        if db.dialect == .postgres, let problem = PostgresTypes.unsupported(definition) { report.problems.append(problem) }
        for routed in routeTables {
            let own = try routed.inspectOwn(on: db, definition: definition, alter: alter)
            report.problems += own.problems
            report.notes += own.notes
        }
        try inspectRead(on: db, definition: definition, into: &report)
        try inspectNests(on: db, parentExists: report.exists, into: &report)
        return report
    }

    /// Compares this table alone (columns, key index) with the definition.
    func inspectOwn(on db: any SQLDatabase, definition: ImporterDefinition, alter: Bool) throws(SQLiteError) -> Inspection {
        var report = Inspection()
        if try db.tableExists(name) {
            report.exists = true
            let existing = try db.columns(of: name)
            var byName: [String: String] = [:]
            for c in existing { byName[TargetTable.nameKey(c.name, db.dialect)] = c.type }
            var missing: [CompiledColumn] = []
            for column in stored {
                guard let declared = byName[TargetTable.nameKey(column.name, db.dialect)] else {
                    if let other = existing.first(where: { $0.name.lowercased() == column.name.lowercased() }) {
                        report.problems.append(caseProblem(column.name, named: other.name))
                    } else {
                        missing.append(column)
                    }
                    continue
                }
                if let problem = db.dialect == .postgres ? PostgresTypes.problem(column, declared: declared, table: name) : affinityProblem(column, declared: declared) {
                    report.problems.append(problem)
                }
            }
            if !missing.isEmpty {
                let list = missing.map { "'\($0.name)'" }.joined(separator: ", ")
                if alter {
                    report.columnsToAdd = missing
                    report.notes.append("table '\(name)': column\(missing.count == 1 ? "" : "s") \(list) will be added (alter)")
                } else {
                    let statements = missing.map { "ALTER TABLE \(quotedName) ADD COLUMN \(quoteIdentifier($0.name)) \(TargetTable.columnType($0, db.dialect));" }.joined(separator: " ")
                    report.problems.append("The table '\(name)' has no column \(list), which the importer declares. "
                        + "Add \(missing.count == 1 ? "it" : "them") (\(statements)), or run with --alter (or set target.alter: true) to add missing columns automatically.")
                }
            }
            if let problem = try keyIndexProblem(on: db, adding: report.columnsToAdd) { report.problems.append(problem) }
            if report.problems.isEmpty && missing.isEmpty { report.notes.append("table '\(name)' matches the columns") }
        } else if definition.target.createTable {
            report.notes.append("table '\(name)' will be created on the first run")
        } else {
            report.problems.append("The target table '\(name)' does not exist and the importer does not create it (target.create_table is false).")
        }
        return report
    }

    /// Compares the tables the importer reads or syncs (pivots, lookups, `exists`) with the definition.
    private func inspectRead(on db: any SQLDatabase, definition: ImporterDefinition, into report: inout Inspection) throws(SQLiteError) {
        try inspectRelations(on: db, definition: definition, into: &report)
        for column in columns {
            if let lookup = column.lookup {
                if try db.tableExists(lookup.table) {
                    if let problem = try missingColumns([lookup.match, lookup.select], in: lookup.table, on: db,
                                                        role: "the lookup of column '\(column.name)' (lookup.match, lookup.select)") {
                        report.problems.append(problem)
                    }
                } else if lookup.onMissing == .create && lookup.select.lowercased() == "id" {
                    report.notes.append("lookup table '\(lookup.table)' will be created on the first run")
                } else {
                    report.problems.append("The lookup table '\(lookup.table)' of column '\(column.name)' does not exist.")
                }
            }
            if let exists = column.exists {
                if try db.tableExists(exists.table) {
                    if let problem = try missingColumns([exists.column], in: exists.table, on: db, role: "the exists rule of column '\(column.name)'") {
                        report.problems.append(problem)
                    }
                } else {
                    report.problems.append("The table '\(exists.table)' named by the exists rule of column '\(column.name)' does not exist.")
                }
            }
        }
    }

    /// Creates or checks the target table (adding missing columns when `alter` is on) and
    /// every table the importer reads (lookups, `exists`). Returns the columns it added.
    func prepare(on db: any SQLDatabase, definition: ImporterDefinition, alter: Bool) throws(RunFailure) -> [(table: String, column: CompiledColumn)] {
        do {
            try takeTurnsToCreate(on: db, alter: alter)
            let report = try inspect(on: db, definition: definition, alter: alter)
            guard report.problems.isEmpty else { throw RunFailure(report.problems.joined(separator: " ")) }
            var added: [(table: String, column: CompiledColumn)] = []
            for table in allTables {
                let own = try table.inspectOwn(on: db, definition: definition, alter: alter)
                if !own.exists { try table.create(on: db, withoutRowID: definition.target.withoutRowID) }
                for column in own.columnsToAdd {
                    try db.execute("ALTER TABLE \(table.quotedName) ADD COLUMN \(quoteIdentifier(column.name)) \(TargetTable.columnType(column, db.dialect))")
                    added.append((table.name, column))
                }
            }
            for column in columns {
                if let lookup = column.lookup, try !db.tableExists(lookup.table) {
                    // on_missing create with the conventional `id` key: a minimal table the lookup can grow.
                    try db.execute("CREATE TABLE \(quoteIdentifier(lookup.table)) (\"id\" \(TargetTable.idColumnType(db.dialect)), \(quoteIdentifier(lookup.match)) TEXT NOT NULL UNIQUE)")
                }
            }
            try prepareRelations(on: db, definition: definition)
            try prepareNests(on: db)
            return added
        } catch let error as SQLiteError {
            throw RunFailure("Could not prepare the target table '\(name)': \(error.message)")
        } catch let error as RunFailure {
            throw error
        } catch {
            throw RunFailure("Could not prepare the target table '\(name)'.")
        }
    }

    /// PostgreSQL: runs (of any node) that may create or alter the same tables take turns, through
    /// a transaction-scoped advisory lock per table taken in name order, so two creating one table
    /// at once never race to a duplicate-key error in the catalog. Runs whose tables all exist,
    /// without `alter`, take no lock. (SQLite's write lock already serializes them.)
    private func takeTurnsToCreate(on db: any SQLDatabase, alter: Bool) throws {
        guard db.dialect == .postgres else { return }
        let names = Set(allTables.map(\.name) + columns.compactMap { $0.lookup?.table }).sorted()
        var needed = alter
        for name in names where !needed { needed = try !db.tableExists(name) }
        guard needed else { return }
        for name in names {
            try db.execute("SELECT 1 FROM pg_advisory_xact_lock(hashtext(?))", [.text("ingest.table." + name)])
        }
    }

    /// Creates the table: an `id INTEGER PRIMARY KEY`, the columns and a UNIQUE index on the key;
    /// with `target.without_rowid`, the key as the primary key of a WITHOUT ROWID table instead.
    func create(on db: any SQLDatabase, withoutRowID: Bool = false) throws {
        var defs: [String] = []
        let keyed = withoutRowID && !key.isEmpty && db.dialect == .sqlite
        if !keyed && !stored.contains(where: { $0.name.lowercased() == "id" }) {
            defs.append("\"id\" \(TargetTable.idColumnType(db.dialect))")
        }
        for column in stored {
            defs.append("\(quoteIdentifier(column.name)) \(TargetTable.columnType(column, db.dialect))")
        }
        let keyList = key.map(quoteIdentifier).joined(separator: ", ")
        if keyed {
            defs.append("PRIMARY KEY (\(keyList))")
            try db.execute("CREATE TABLE \(quotedName) (\n  \(defs.joined(separator: ",\n  "))\n) WITHOUT ROWID")
            return
        }
        try db.execute("CREATE TABLE \(quotedName) (\n  \(defs.joined(separator: ",\n  "))\n)")
        if !key.isEmpty {
            let indexName = quoteIdentifier("\(name)_\(key.joined(separator: "_"))_unique")
            try db.execute("CREATE UNIQUE INDEX \(indexName) ON \(quotedName) (\(keyList))")
        }
    }

    /// Why duplicate detection cannot work on the existing table: no UNIQUE index or primary
    /// key on exactly the key columns (nil when there is one, or no key).
    private func keyIndexProblem(on db: any SQLDatabase, adding: [CompiledColumn]) throws(SQLiteError) -> String? {
        guard !key.isEmpty else { return nil }
        let wanted = Set(key.map { $0.lowercased() })
        if try TargetTable.hasUniqueIndex(on: key, of: name, db) { return nil }
        let index = quoteIdentifier("\(name)_\(key.joined(separator: "_"))_unique")
        let added = adding.contains { wanted.contains($0.name.lowercased()) } ? " (after the key column is added)" : ""
        return "The target table '\(name)' has no UNIQUE index on (\(keyDescription)), which duplicate detection needs. Create one\(added): CREATE UNIQUE INDEX \(index) ON \(quotedName) (\(key.map(quoteIdentifier).joined(separator: ", ")))."
    }

    /// Whether `table` has a primary key or a full UNIQUE index on exactly `columns`.
    static func hasUniqueIndex(on columns: [String], of table: String, _ db: any SQLDatabase) throws(SQLiteError) -> Bool {
        if db.dialect == .postgres { return try PostgresTypes.hasUniqueIndex(on: columns, of: table, db) }
        let wanted = Set(columns.map { $0.lowercased() })
        let primaryKey = try db.query("SELECT name FROM pragma_table_info(?) WHERE pk > 0", [.text(table)]).compactMap { $0[0].textValue?.lowercased() }
        if Set(primaryKey) == wanted { return true }
        for index in try db.query("SELECT name FROM pragma_index_list(?) WHERE \"unique\" = 1 AND partial = 0", [.text(table)]) {
            guard let indexName = index[0].textValue else { continue }
            let cols = try db.query("SELECT name FROM pragma_index_info(?)", [.text(indexName)]).compactMap { $0[0].textValue?.lowercased() }
            if Set(cols) == wanted && cols.count == wanted.count { return true }
        }
        return false
    }

    /// The type a created column gets: the declared SQL type on SQLite, its PostgreSQL
    /// counterpart there (``PostgresTypes``).
    static func columnType(_ column: CompiledColumn, _ dialect: SQLDialect) -> String {
        dialect == .postgres ? PostgresTypes.columnType(column) : column.sqlType
    }

    /// The generated `id` key of a created table.
    static func idColumnType(_ dialect: SQLDialect) -> String {
        dialect == .postgres ? "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY" : "INTEGER PRIMARY KEY"
    }

    /// How a declared name finds an existing column: ignoring case on SQLite, exactly on
    /// PostgreSQL, where Ingest's quoted names are case-sensitive (`"Price"` is not `price`).
    static func nameKey(_ name: String, _ dialect: SQLDialect) -> String {
        dialect == .postgres ? name : name.lowercased()
    }

    /// A PostgreSQL column that differs from the declared one only in case: the importer's
    /// quoted name would not find it.
    func caseProblem(_ declared: String, named existing: String, in table: String? = nil) -> String {
        let table = table ?? name
        return "The column '\(declared)' of table '\(table)' is named '\(existing)' in the database, and PostgreSQL's quoted names are case-sensitive, "
            + "so the importer would not find it. Rename it (ALTER TABLE \(quoteIdentifier(table)) RENAME COLUMN \(quoteIdentifier(existing)) TO \(quoteIdentifier(declared));) "
            + "or write '\(existing)' in the definition."
    }

    func missingColumns(_ wanted: [String], in table: String, on db: any SQLDatabase, role: String) throws(SQLiteError) -> String? {
        let names = try db.columns(of: table).map(\.name)
        let existing = Set(names.map { TargetTable.nameKey($0, db.dialect) })
        var missing: [String] = []
        for w in wanted where !existing.contains(TargetTable.nameKey(w, db.dialect)) && !missing.contains(w) && w.lowercased() != "rowid" {
            if let other = names.first(where: { $0.lowercased() == w.lowercased() }) { return caseProblem(w, named: other, in: table) }
            missing.append(w)
        }
        guard !missing.isEmpty else { return nil }
        let list = missing.map { "'\($0)'" }.joined(separator: ", ")
        return "The table '\(table)' has no column \(list), which \(role) reads. Add \(missing.count == 1 ? "it" : "them") or change the importer."
    }

    /// When the existing column's affinity would change what the importer writes (text over an
    /// INTEGER column loses leading zeros), the problem with how to migrate; nil when it fits.
    func affinityProblem(_ column: CompiledColumn, declared: String) -> String? {
        let existing = SQLAffinity(declaredType: declared)
        let wanted = SQLAffinity(declaredType: column.sqlType)
        guard !existing.accepts(wanted) else { return nil }
        let consequence: String
        switch (wanted, existing) {
        case (.text, _):
            consequence = "SQLite would store numeric-looking text as a number, so '01400' would become 1400 and '2.50' 2.5"
        case (.integer, .text), (.real, .text), (.numeric, .text):
            consequence = "numbers would be stored as text, so they compare and sort as text ('10' before '9')"
        case (.integer, .real):
            consequence = "integers would be stored as reals (1 as 1.0)"
        default:
            consequence = "SQLite would convert the values to the column's \(existing.rawValue) affinity"
        }
        let shownDeclared = declared.isEmpty ? "no type" : declared
        let t = quotedName, c = quoteIdentifier(column.name), tmp = quoteIdentifier(column.name + "_migrated")
        return "The column '\(column.name)' of table '\(name)' is \(shownDeclared) (\(existing.rawValue) affinity), but the importer writes "
            + "\(column.type.rawValue) values as \(column.sqlType) (\(wanted.rawValue) affinity): \(consequence). "
            + "Migrate the column (back up the database first): ALTER TABLE \(t) ADD COLUMN \(tmp) \(column.sqlType); "
            + "UPDATE \(t) SET \(tmp) = \(c); ALTER TABLE \(t) DROP COLUMN \(c); ALTER TABLE \(t) RENAME COLUMN \(tmp) TO \(c); "
            + "(an indexed or key column needs the table rebuilt instead, and values already converted must be imported again), "
            + "or change the column's type or sql_type in the definition to match."
    }
}

/// SQLite's type affinity of a declared column type (the rules of "Datatypes In SQLite" §3.1).
enum SQLAffinity: String {
    case text = "TEXT", integer = "INTEGER", real = "REAL", numeric = "NUMERIC", blob = "BLOB"

    init(declaredType: String) {
        let t = declaredType.uppercased()
        if t.contains("INT") { self = .integer }
        else if t.contains("CHAR") || t.contains("CLOB") || t.contains("TEXT") { self = .text }
        else if t.contains("BLOB") || t.trimmingCharacters(in: .whitespaces).isEmpty { self = .blob }
        else if t.contains("REAL") || t.contains("FLOA") || t.contains("DOUB") { self = .real }
        else { self = .numeric }
    }

    /// Whether a column of this affinity stores what a column of `wanted` affinity would,
    /// unchanged: the same affinity, a column without a type (BLOB: values kept as given), or
    /// numbers into NUMERIC and back.
    func accepts(_ wanted: SQLAffinity) -> Bool {
        if self == wanted || self == .blob { return true }
        if self == .numeric { return wanted == .integer || wanted == .real }
        if wanted == .numeric { return self == .integer || self == .real }
        return false
    }
}
