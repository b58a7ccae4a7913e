import Definitions

/// A definition compiled into an executable pipeline: header resolution, transforms, type
/// coercion, validators and messages, all prepared once so each row only executes.
///
/// Immutable and `Sendable`: one compiled importer serves every run of a definition version;
/// per-run state (`distinct`) lives in the `RowProcessor` it makes.
package struct CompiledImporter: Sendable {
    /// The definition as loaded, kept so the engine reads target, chunking and modes from one place.
    package let definition: ImporterDefinition
    /// One per definition column, in definition order; `RowOutcome.values` follows this order.
    package let columns: [CompiledColumn]
    let plans: [ColumnPlan]
    let matcher: HeaderMatcher
    let distinctSlots: Int

    /// Compiles `definition`, reporting every semantic problem (bad regex, unknown date
    /// pattern letter, bad rule argument, unknown column) with its JSON pointer.
    package init(definition: ImporterDefinition) throws(CompileError) {
        var compiler = ColumnCompiler(definition: definition)
        var plans: [ColumnPlan] = []
        var columns: [CompiledColumn] = []
        var seen: Set<String> = []
        if definition.columns.isEmpty { compiler.problem("/columns", "an importer needs at least one column") }
        for spec in definition.columns {
            if !seen.insert(spec.name).inserted { compiler.problem(spec.pointer, "duplicate column '\(spec.name)'") }
            let (plan, column) = compiler.compile(spec)
            plans.append(plan); columns.append(column)
        }
        for (i, key) in definition.target.key.enumerated() where !seen.contains(key) {
            compiler.problem("/target/key/\(i)", "key column '\(key)' is not one of the columns")
        }
        if let newer = definition.target.newerBy, !seen.contains(newer) {
            compiler.problem("/target/newer_by", "newer_by column '\(newer)' is not one of the columns")
        }
        // The decoder refuses these already; a definition built in code must not get past either.
        var tables = [("/target/table", definition.target.table)]
        for spec in definition.columns {
            if let lookup = spec.lookup { tables.append((spec.pointer + "/lookup/table", lookup.table)) }
            for rule in spec.rules where rule.name == "exists" { tables.append((rule.pointer, rule.arguments.first ?? "")) }
        }
        for (pointer, table) in tables {
            if let prefix = TargetSpec.reservedPrefix(of: table) {
                compiler.problem(pointer, "the table '\(table)' is reserved (names starting with '\(prefix)' belong to Ingest or SQLite)")
            }
        }
        guard compiler.problems.isEmpty else { throw CompileError(problems: compiler.problems) }
        self.definition = definition
        self.columns = columns
        self.plans = plans
        self.matcher = compiler.matcher
        self.distinctSlots = compiler.distinctCount
    }

    /// Decides once per file which source column feeds each target column.
    ///
    /// A `from` list is tried in order (name, then aliases) and the first header found wins.
    /// Missing headers leave the column empty (so `default`/`required` apply), unless
    /// `headers.strict` makes them fatal `problems`.
    package func resolve(header: [String]) -> HeaderResolution {
        let index = matcher.index(header)
        var inputs: [ResolvedInput] = []
        var missing: [String] = []
        var problems: [String] = []
        let strict = definition.headers.strict
        func report(_ names: [String]) {
            guard let first = names.first else { return }
            missing.append(first)
            if strict {
                problems.append(names.count > 1
                    ? "Missing required header '\(first)' (expected one of: \(names.joined(separator: ", ")))."
                    : "Missing required header '\(first)'.")
            }
        }
        for plan in plans {
            switch plan.input {
            case .from(let keys, let names):
                let found = keys.lazy.compactMap { index[$0] }.first
                if found == nil { report(names) }
                inputs.append(.cell(found))
            case .template(let template, let keys):
                var pieces: [TemplatePiece] = []
                for (piece, key) in zip(template.pieces, keys) {
                    switch piece {
                    case .literal(let s): pieces.append(.literal(s))
                    case .runFact(let f): pieces.append(.runFact(f))
                    case .header(let name):
                        let found = key.flatMap { index[$0] }
                        if found == nil, !missing.contains(name) { report([name]) }
                        pieces.append(.cell(found))
                    }
                }
                inputs.append(.template(pieces))
            case .constant(let scalar):
                inputs.append(.constant(scalar))
            }
        }
        return HeaderResolution(sourceHeader: header, missing: missing, problems: problems, inputs: inputs)
    }

    /// Whether a source header (a JSON key such as `address.city`) is one the definition reads:
    /// a `from` name or alias, or a header a `template` names, under the definition's header
    /// matching. Readers of keyed formats use it to drop every other key as they read.
    package var readsHeader: @Sendable (String) -> Bool {
        var wanted: Set<String> = []
        for plan in plans {
            switch plan.input {
            case .from(let keys, _): wanted.formUnion(keys)
            case .template(_, let keys): wanted.formUnion(keys.compactMap { $0 })
            case .constant: break
            }
            for t in plan.transforms { if case .concat(let keys, _, _) = t { wanted.formUnion(keys) } }
        }
        let matcher = self.matcher
        return { [wanted] header in wanted.contains(matcher.key(header)) }
    }

    /// A processor for one run: it keeps `distinct` state, so make a new one per run.
    package func makeProcessor(resolution: HeaderResolution, run: RunFacts) -> RowProcessor {
        RowProcessor(plans: plans, inputs: resolution.inputs, run: run, distinctSlots: distinctSlots, limits: definition.limits,
                     headerIndex: matcher.index(resolution.sourceHeader))
    }
}
