import Definitions
import Rules
import SQLite

/// The target table of a run: created from the declared column types, or verified before the
/// first row so a mismatch fails fast instead of failing every row.
struct TargetTable {
    let name: String
    let columns: [CompiledColumn]
    let key: [String]
    let keyIndexes: [Int]

    init(importer: CompiledImporter) {
        let definition = importer.definition
        name = definition.target.table
        columns = importer.columns
        key = definition.target.key
        keyIndexes = key.compactMap { k in importer.columns.firstIndex { $0.name == k } }
    }

    var quotedName: String { quoteIdentifier(name) }
    var keyDescription: String { key.joined(separator: ", ") }

    /// Creates or verifies the target table and every table the importer reads (lookups, `exists`).
    func prepare(on db: Connection, definition: ImporterDefinition) throws(RunFailure) {
        do {
            if try db.tableExists(name) {
                try verify(on: db)
            } else if definition.target.createTable {
                try create(on: db)
            } else {
                throw RunFailure("The target table '\(name)' does not exist and the importer does not create it (target.create_table is false).")
            }
            for column in columns {
                if let lookup = column.lookup { try prepareLookupTable(lookup, column: column.name, on: db) }
                if let exists = column.exists {
                    guard try db.tableExists(exists.table) else {
                        throw RunFailure("The table '\(exists.table)' named by the exists rule of column '\(column.name)' does not exist.")
                    }
                    try requireColumns([exists.column], in: exists.table, on: db)
                }
            }
        } catch let error as SQLiteError {
            throw RunFailure("Could not prepare the target table '\(name)': \(error.message)")
        } catch let error as RunFailure {
            throw error
        } catch {
            throw RunFailure("Could not prepare the target table '\(name)'.")
        }
    }

    func create(on db: Connection) throws {
        var defs: [String] = []
        if !columns.contains(where: { $0.name.lowercased() == "id" }) {
            defs.append("\"id\" INTEGER PRIMARY KEY")
        }
        for column in columns {
            defs.append("\(quoteIdentifier(column.name)) \(column.sqlType)")
        }
        try db.execute("CREATE TABLE \(quotedName) (\n  \(defs.joined(separator: ",\n  "))\n)")
        if !key.isEmpty {
            let indexName = quoteIdentifier("\(name)_\(key.joined(separator: "_"))_unique")
            try db.execute("CREATE UNIQUE INDEX \(indexName) ON \(quotedName) (\(key.map(quoteIdentifier).joined(separator: ", ")))")
        }
    }

    func verify(on db: Connection) throws {
        try requireColumns(columns.map(\.name), in: name, on: db)
        guard !key.isEmpty else { return }
        let wanted = Set(key.map { $0.lowercased() })
        var found = false
        let primaryKey = try db.query("SELECT name FROM pragma_table_info(?) WHERE pk > 0", [.text(name)]).compactMap { $0[0].textValue?.lowercased() }
        if Set(primaryKey) == wanted { found = true }
        if !found {
            for index in try db.query("SELECT name FROM pragma_index_list(?) WHERE \"unique\" = 1 AND partial = 0", [.text(name)]) {
                guard let indexName = index[0].textValue else { continue }
                let cols = try db.query("SELECT name FROM pragma_index_info(?)", [.text(indexName)]).compactMap { $0[0].textValue?.lowercased() }
                if Set(cols) == wanted && cols.count == wanted.count { found = true; break }
            }
        }
        guard found else {
            let index = quoteIdentifier("\(name)_\(key.joined(separator: "_"))_unique")
            throw RunFailure("The target table '\(name)' has no UNIQUE index on (\(keyDescription)), which duplicate detection needs. Create one: CREATE UNIQUE INDEX \(index) ON \(quotedName) (\(key.map(quoteIdentifier).joined(separator: ", "))).")
        }
    }

    func requireColumns(_ wanted: [String], in table: String, on db: Connection) throws {
        let existing = Set(try db.columns(of: table).map { $0.name.lowercased() })
        let missing = wanted.filter { !existing.contains($0.lowercased()) }
        guard missing.isEmpty else {
            let list = missing.map { "'\($0)'" }.joined(separator: ", ")
            throw RunFailure("The table '\(table)' has no column \(list). Add \(missing.count == 1 ? "it" : "them") or change the importer.")
        }
    }

    func prepareLookupTable(_ lookup: LookupSpec, column: String, on db: Connection) throws {
        if try db.tableExists(lookup.table) {
            try requireColumns([lookup.match, lookup.select], in: lookup.table, on: db)
            return
        }
        guard lookup.createMissing, lookup.select.lowercased() == "id" else {
            throw RunFailure("The lookup table '\(lookup.table)' of column '\(column)' does not exist.")
        }
        // create_missing with the conventional `id` key: a minimal table the lookup can grow.
        try db.execute("CREATE TABLE \(quoteIdentifier(lookup.table)) (\"id\" INTEGER PRIMARY KEY, \(quoteIdentifier(lookup.match)) TEXT NOT NULL UNIQUE)")
    }
}
