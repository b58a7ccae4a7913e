import Definitions

extension CompiledImporter {
    /// Why the file cannot be imported by key: a key column (of a composite key too, and one
    /// resolved through a lookup) whose source header the file lacks. Without it every row
    /// would have an empty key, so the run fails before any row, with Laravel Ingest's
    /// meaning: "The key column 'user_email' or one of its aliases was not found…".
    package func missingKeyHeaders(_ resolution: HeaderResolution) -> [String] {
        let key = Set(definition.target.key)
        guard !key.isEmpty else { return [] }
        var problems: [String] = []
        for (plan, input) in zip(plans, resolution.inputs) where key.contains(plan.name) {
            switch (plan.input, input) {
            case (.from(_, let names), .cell(nil)):
                let looked = names.map { "'\($0)'" }.joined(separator: ", ")
                problems.append("The key column '\(plan.name)' or one of its aliases was not found in the source file headers (looked for \(looked)).")
            case (.template(let template, _), .template(let pieces)):
                var lacking: [String] = []
                for (piece, resolved) in zip(template.pieces, pieces) {
                    if case .header(let name) = piece, case .cell(nil) = resolved, !lacking.contains(name) { lacking.append(name) }
                }
                if !lacking.isEmpty {
                    let list = lacking.map { "'\($0)'" }.joined(separator: ", ")
                    problems.append("The key column '\(plan.name)' or one of its aliases was not found in the source file headers (its template reads \(list)).")
                }
            default:
                continue
            }
        }
        return problems
    }
}
