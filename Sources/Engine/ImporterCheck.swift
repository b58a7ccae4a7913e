import Foundation
import Definitions
import Outbound
import Rules
import SQLite

/// The result of `ingest check` for one definition file.
package struct ImporterCheck: Sendable {
    package var slug: String
    package var fileName: String
    /// Definition, compile and database problems: any one makes the check fail.
    package var problems: [String]
    /// What the check found fine or will do (e.g. "table 'products' will be created").
    package var notes: [String]
    /// What is allowed but probably not meant (a key column that may be empty); the check passes.
    package var warnings: [String]
    package var examplesPassed: Int
    package var examplesTotal: Int
    package var isOK: Bool { problems.isEmpty }
}

extension IngestEngine {
    /// ``check(_:)`` of the importer `slug` as it is loaded now.
    package func checkImporter(_ slug: String) throws(EngineError) -> ImporterCheck {
        guard let loaded = registry.loaded(slug: slug) else { throw .importerNotFound(slug: slug) }
        return check(loaded)
    }

    /// Compiles `loaded`, checks it against the database without changing it, and runs its examples.
    package func check(_ loaded: LoadedDefinition) -> ImporterCheck {
        var report = ImporterCheck(slug: loaded.slug, fileName: loaded.fileName, problems: loaded.problems.map(\.description),
                                   notes: [], warnings: [], examplesPassed: 0, examplesTotal: 0)
        guard report.problems.isEmpty, let definition = loaded.definition else { return report }
        let compiled: CompiledImporter
        do { compiled = try CompiledImporter(definition: definition) } catch {
            report.problems.append("\(loaded.fileName): \(error)")
            return report
        }
        report.warnings = Self.keyWarnings(definition, fileName: loaded.fileName)
        report.warnings += Self.listWarnings(definition, fileName: loaded.fileName)
        report.warnings += webhookWarnings(definition, fileName: loaded.fileName)
        do {
            // SQLite or PostgreSQL alike: the inspection reads each store's catalogue through the seam.
            let db = try configuration.database.connect(busyTimeout: configuration.busyTimeoutMs)
            let inspection = try TargetTable(importer: compiled).inspect(on: db, definition: definition, alter: definition.target.alter)
            report.notes += inspection.notes
            report.problems += inspection.problems.map { "\(loaded.fileName): \($0)" }
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

    /// `in:`, `not_in:`, `starts_with:` and `ends_with:` compare values exactly as written, and
    /// Laravel's parser (`str_getcsv`) keeps spaces: `in:paid, shipped` lists " shipped", which
    /// a cell `shipped` does not match. Says what will be compared when a value has surrounding
    /// whitespace.
    static func listWarnings(_ definition: ImporterDefinition, fileName: String) -> [String] {
        var warnings: [String] = []
        for column in definition.columns {
            for rule in column.rules where ["in", "not_in", "starts_with", "ends_with"].contains(rule.name) {
                let spaced = rule.arguments.filter { $0 != $0.trimmingCharacters(in: .whitespacesAndNewlines) }
                guard !spaced.isEmpty else { continue }
                let compared = rule.arguments.map { "\"\($0)\"" }.joined(separator: ", ")
                let trimmed = rule.arguments.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.joined(separator: ",")
                let pointer = rule.pointer.isEmpty ? column.pointer + "/rules" : rule.pointer
                warnings.append("\(fileName): \(pointer): \(rule.name) compares the values exactly as written, spaces included (as Laravel's str_getcsv parses them): \(compared); "
                    + "\(spaced.map { "\"\($0)\"" }.joined(separator: ", ")) will not match a cell without the spaces. Write \(rule.name):\(trimmed) if the spaces are not meant.")
            }
        }
        return warnings
    }

    /// A webhook whose secret variable is not set where `check` runs (deliveries from such a
    /// process fail, never unsigned), or whose host the URL allow-list refuses.
    func webhookWarnings(_ definition: ImporterDefinition, fileName: String) -> [String] {
        var warnings: [String] = []
        let policy = AddressPolicy(allowedHosts: configuration.allowedURLHosts, allowInternal: configuration.allowPrivateURLs)
        for hook in definition.webhooks {
            if (configuration.secrets(hook.secretEnv) ?? "").isEmpty {
                warnings.append("\(fileName): \(hook.pointer)/secret_env: \(hook.secretEnv) is not set (or is empty) in this environment; "
                    + "a process without it records its deliveries as failed attempts and sends nothing unsigned")
            }
            do throws(OutboundError) { try policy.checkName(try OutboundURL(hook.url)) } catch {
                warnings.append("\(fileName): \(hook.pointer)/url: \(error.description) Deliveries will fail.")
            }
        }
        return warnings
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
