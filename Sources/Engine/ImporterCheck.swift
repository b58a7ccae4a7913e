import Definitions
import Rules
import SQLite

/// The result of `ingest check` for one definition file.
public struct ImporterCheck: Sendable {
    public var slug: String
    public var fileName: String
    /// Definition, compile and database problems: any one makes the check fail.
    public var problems: [String]
    /// What the check found fine or will do (e.g. "table 'products' will be created").
    public var notes: [String]
    /// What is allowed but probably not meant (a key column that may be empty); the check passes.
    package var warnings: [String]
    public var examplesPassed: Int
    public var examplesTotal: Int
    public var isOK: Bool { problems.isEmpty }
}

extension IngestEngine {
    /// Compiles `loaded`, checks it against the database without changing it, and runs its examples.
    public func check(_ loaded: LoadedDefinition) -> ImporterCheck {
        var report = ImporterCheck(slug: loaded.slug, fileName: loaded.fileName, problems: loaded.problems.map(\.description),
                                   notes: [], warnings: [], examplesPassed: 0, examplesTotal: 0)
        guard report.problems.isEmpty, let definition = loaded.definition else { return report }
        let compiled: CompiledImporter
        do { compiled = try CompiledImporter(definition: definition) } catch {
            report.problems.append("\(loaded.fileName): \(error)")
            return report
        }
        report.warnings = Self.keyWarnings(definition, fileName: loaded.fileName)
        do {
            let db = try Connection(path: configuration.databasePath)
            let table = TargetTable(importer: compiled)
            if try db.tableExists(definition.target.table) {
                do {
                    try table.verify(on: db)
                    report.notes.append("table '\(definition.target.table)' matches the columns")
                } catch let failure as RunFailure {
                    report.problems.append("\(loaded.fileName): \(failure.reason)")
                }
            } else if definition.target.createTable {
                report.notes.append("table '\(definition.target.table)' will be created on the first run")
            } else {
                report.problems.append("\(loaded.fileName): the target table '\(definition.target.table)' does not exist and target.create_table is false.")
            }
            for column in compiled.columns {
                if let lookup = column.lookup, try !db.tableExists(lookup.table) {
                    if lookup.createMissing && lookup.select.lowercased() == "id" {
                        report.notes.append("lookup table '\(lookup.table)' will be created on the first run")
                    } else {
                        report.problems.append("\(loaded.fileName): the lookup table '\(lookup.table)' of column '\(column.name)' does not exist.")
                    }
                }
                if let exists = column.exists, try !db.tableExists(exists.table) {
                    report.problems.append("\(loaded.fileName): the table '\(exists.table)' of the exists rule of column '\(column.name)' does not exist.")
                }
            }
        } catch {
            report.problems.append("\(loaded.fileName): cannot check the database: \(error)")
        }
        let facts = RunFacts(id: 0, originalFilename: "example.csv", startedAt: Timestamp.now())
        for (i, example) in definition.examples.enumerated() {
            report.examplesTotal += 1
            let result = compiled.check(example: example, run: facts)
            if result.passed {
                report.examplesPassed += 1
            } else {
                let pointer = example.pointer.isEmpty ? "/examples/\(i)" : example.pointer
                for m in result.mismatches { report.problems.append("\(loaded.fileName): \(pointer): \(m)") }
            }
        }
        return report
    }

    /// A key column that is not `required` (and has no `default`) lets empty keys through to the
    /// row: they fail there (or, with `allow_empty_key`, insert again on every import).
    static func keyWarnings(_ definition: ImporterDefinition, fileName: String) -> [String] {
        var warnings: [String] = []
        for column in definition.columns where definition.target.key.contains(column.name) {
            guard !column.rules.contains(where: { $0.name == "required" }), column.defaultValue?.text == nil else { continue }
            let consequence = definition.target.allowEmptyKey
                ? "target.allow_empty_key is set, so a row with an empty \(column.name) inserts again on every import"
                : "a row with an empty \(column.name) fails as an empty key; add 'required' to say so, or a 'default'"
            warnings.append("\(fileName): \(column.pointer): key column '\(column.name)' is not 'required': \(consequence)")
        }
        return warnings
    }
}
