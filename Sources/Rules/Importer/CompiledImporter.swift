import Definitions
import IngestSupport

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
    /// Every distinct `when` condition; plans refer to them by index.
    let conditions: [Condition]
    /// The `nest` entries: arrays of each source object imported into child tables.
    package let nests: [CompiledNest]

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
            if let relate = spec.relateMany {
                tables.append((spec.pointer + "/relate_many/table", relate.table))
                tables.append((spec.pointer + "/relate_many/related/table", relate.related.table))
            }
            for rule in spec.rules where rule.name == "exists" { tables.append((rule.pointer, rule.arguments.first ?? "")) }
        }
        var nests: [CompiledNest] = []
        for nest in definition.nests {
            tables.append((nest.pointer + "/table", nest.table))
            do {
                nests.append(try CompiledNest(spec: nest, parent: definition, parentColumns: columns))
            } catch {
                for p in error.problems { compiler.problem(p.pointer, p.message) }
            }
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
        self.conditions = compiler.conditions
        self.nests = nests
    }

    /// Decides once per file which source column feeds each target column.
    ///
    /// A `from` list is tried in order (name, then aliases) and the first header found wins.
    /// Under `normalized` matching, when several headers of the file normalise to the name
    /// (`email`, `E-Mail`), the one written exactly as the name wins; if none is, the name is
    /// ambiguous and that is a problem naming them, whatever `headers.strict` says (taking one
    /// would silently drop the other's data). Missing headers leave the column empty (so
    /// `default`/`required` apply), unless `headers.strict` makes them fatal `problems`; either
    /// way the headers found and the nearest one are named.
    package func resolve(header: [String]) -> HeaderResolution {
        let index = matcher.indexes(header)
        var inputs: [ResolvedInput] = []
        var missing: [(names: [String], hint: String?)] = []
        var ambiguous: [String] = []
        let normalize = { (s: String) in HeaderMatcher.normalize(s) }
        func find(_ name: String, key: String) -> Int? {
            guard let found = index[key], let first = found.first else { return nil }
            guard found.count > 1, matcher.match == .normalized else { return first }
            let exact = found.filter { HeaderMatcher.exactKey(header[$0]) == HeaderMatcher.exactKey(name) }
            if let e = exact.first { return e }
            let problem = "The header '\(name)' is ambiguous: the file has "
                + Self.list(found.map { "'\(header[$0])'" }, conjunction: "and")
                + ", which all match it once case, accents, spaces and punctuation are ignored. "
                + "Rename one of them in the file, or write the header exactly as in the file."
            if !ambiguous.contains(problem) { ambiguous.append(problem) }
            return first
        }
        func report(_ names: [String]) {
            guard let first = names.first, !missing.contains(where: { $0.names.first == first }) else { return }
            missing.append((names, Suggestion.nearest(to: first, in: header, normalize: normalize)))
        }
        for plan in plans {
            switch plan.input {
            case .from(let keys, let names):
                let found = zip(names, keys).lazy.compactMap { find($0, key: $1) }.first
                if found == nil { report(names) }
                inputs.append(.cell(found))
            case .template(let template, let keys):
                var pieces: [TemplatePiece] = []
                for (piece, key) in zip(template.pieces, keys) {
                    switch piece {
                    case .literal(let s): pieces.append(.literal(s))
                    case .runFact(let f): pieces.append(.runFact(f))
                    case .header(let name):
                        let found = key.flatMap { find(name, key: $0) }
                        if found == nil { report([name]) }
                        pieces.append(.cell(found))
                    }
                }
                inputs.append(.template(pieces))
            case .constant(let scalar):
                inputs.append(.constant(scalar))
            }
        }
        var problems = ambiguous
        if definition.headers.strict && !missing.isEmpty {
            problems.append(Self.missingMessage(missing, header: header))
        }
        // A condition cannot be judged without its column: always fatal, whatever `strict` says.
        var conditionCells: [Int] = []
        var unread: [(name: String, pointers: [String])] = []
        for condition in conditions {
            if let found = find(condition.name, key: condition.key) { conditionCells.append(found); continue }
            conditionCells.append(-1)
            if let i = unread.firstIndex(where: { $0.name == condition.name }) {
                unread[i].pointers.append(condition.pointer)
            } else {
                unread.append((condition.name, [condition.pointer]))
            }
        }
        let shown = header.prefix(20).map { $0.isEmpty ? "(empty)" : $0 }
        for (name, pointers) in unread {
            let hint = Suggestion.nearest(to: name, in: header, normalize: normalize).map { " Did you mean '\($0)'?" } ?? ""
            problems.append("Missing header '\(name)', which the 'when' at \(Self.list(pointers, conjunction: "and")) reads. Found: "
                + (shown.isEmpty ? "no headers" : shown.joined(separator: ", ")) + (header.count > 20 ? ", …" : "") + "." + hint)
        }
        return HeaderResolution(sourceHeader: header, missing: missing.map { $0.names[0] },
                                hints: missing.map { m in m.hint.map { " Did you mean '\($0)'?" } ?? "" },
                                problems: problems, inputs: inputs, conditionCells: conditionCells)
    }

    /// "Missing required header 'Order No'. Found: Order Number, Customer. Did you mean 'Order Number'?"
    static func missingMessage(_ missing: [(names: [String], hint: String?)], header: [String]) -> String {
        func named(_ m: (names: [String], hint: String?)) -> String {
            m.names.count > 1 ? "'\(m.names[0])' (expected one of: \(m.names.joined(separator: ", ")))" : "'\(m.names[0])'"
        }
        var text = missing.count == 1
            ? "Missing required header \(named(missing[0]))."
            : "Missing required headers " + list(missing.map(named), conjunction: "and") + "."
        let shown = header.prefix(20).map { $0.isEmpty ? "(empty)" : $0 }
        text += " Found: " + (shown.isEmpty ? "no headers" : shown.joined(separator: ", ")) + (header.count > 20 ? ", … (\(header.count - 20) more)" : "") + "."
        let hints = missing.compactMap { m in m.hint.map { (m.names[0], $0) } }
        if missing.count == 1, let (_, hint) = hints.first {
            text += " Did you mean '\(hint)'?"
        } else if !hints.isEmpty {
            text += " Did you mean " + list(hints.map { "'\($0.1)' for '\($0.0)'" }, conjunction: "and") + "?"
        }
        return text
    }

    /// "a", "a and b", "a, b and c".
    static func list(_ items: [String], conjunction: String) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " \(conjunction) " + items[items.count - 1]
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
        wanted.formUnion(conditions.map(\.key))
        let matcher = self.matcher
        // A nested array's key is read exactly (its value kept as raw JSON, see `nestPaths`).
        let nested = Set(nests.map(\.spec.path))
        return { [wanted] header in nested.contains(header) || wanted.contains(matcher.key(header)) }
    }

    /// The source keys of the nested arrays, whose values readers keep as raw JSON text.
    package var nestPaths: Set<String> { Set(nests.map(\.spec.path)) }

    /// A processor for one run: it keeps `distinct` state, so make a new one per run.
    package func makeProcessor(resolution: HeaderResolution, run: RunFacts) -> RowProcessor {
        RowProcessor(plans: plans, inputs: resolution.inputs, run: run, distinctSlots: distinctSlots, limits: definition.limits,
                     headerIndex: matcher.index(resolution.sourceHeader),
                     conditions: conditions, conditionCells: resolution.conditionCells)
    }
}
