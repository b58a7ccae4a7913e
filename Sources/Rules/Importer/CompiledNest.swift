import Definitions

/// A `nest` entry compiled: the child table's columns as an importer of their own, and the
/// fixed header its rows are read against (the keys the child columns read, once each), so the
/// header is resolved once per run and each array element only fills cells.
package struct CompiledNest: Sendable {
    package let spec: NestSpec
    /// The child columns compiled as an importer whose target is the child table (its key
    /// without `parent_column`, which Ingest fills).
    package let importer: CompiledImporter
    /// The element keys the child columns read, in first-mentioned order.
    package let header: [String]
    /// Header matching key → the cells of ``header`` it fills, with its rank: 0 for its own
    /// cell, n for the cell of a `from` list where it is the n-th alias (used when the element
    /// lacks the list's earlier names, since the header lists every name).
    private let index: [String: [(cell: Int, rank: Int)]]
    private let matcher: HeaderMatcher
    /// The SQL type of `parent_column` when Ingest creates the child table: the parent key's
    /// type for a single-column key, else INTEGER (the parent's id).
    package let parentColumnSQLType: String

    init(spec: NestSpec, parent: ImporterDefinition, parentColumns: [CompiledColumn]) throws(CompileError) {
        self.spec = spec
        var target = TargetSpec(table: spec.table, key: spec.key.filter { $0 != spec.parentColumn },
                                onDuplicate: spec.onDuplicate, createTable: spec.createTable)
        target.route = nil
        let child = ImporterDefinition(slug: parent.slug, source: parent.source, target: target, columns: spec.columns,
                                       headers: parent.headers, limits: parent.limits)
        importer = try CompiledImporter(definition: child)
        header = importer.wantedHeaders
        matcher = importer.matcher
        let matcher = importer.matcher
        var index: [String: [(cell: Int, rank: Int)]] = [:]
        for (i, name) in header.enumerated() where index[matcher.key(name)] == nil { index[matcher.key(name)] = [(i, 0)] }
        for column in spec.columns {
            guard case .from(let names) = column.input, names.count > 1, let first = index[matcher.key(names[0])]?.first?.cell else { continue }
            for (rank, alias) in names.enumerated().dropFirst() { index[matcher.key(alias)]?.append((first, rank)) }
        }
        self.index = index
        if parent.target.key.count == 1, let key = parentColumns.first(where: { $0.name == parent.target.key[0] }) {
            parentColumnSQLType = key.sqlType
        } else {
            parentColumnSQLType = "INTEGER"
        }
    }

    /// Whether the parent's single-column key (rather than its id) is what children hold.
    package func holdsParentKey(_ parent: ImporterDefinition) -> Bool { parent.target.key.count == 1 }

    /// The cells of ``header`` an element's key fills, with their rank: 0 for the key's own
    /// cell, n for a `from` list's first cell where the key is the n-th alias (taken when the
    /// element lacks the list's earlier names). Empty for a key no child column reads.
    package func targets(of key: String) -> [(cell: Int, rank: Int)] {
        index[matcher.key(key)] ?? []
    }

    /// One array element's flattened pairs as cells of ``header`` (keys it does not read dropped,
    /// missing keys empty). A `from` list's first cell gets the value of the first of its names
    /// the element has, so aliases work per element as they do per file. `targets` answers
    /// ``targets(of:)`` (a caller may remember its answers per key).
    package func cells(of pairs: [(key: String, value: String)],
                       targets: (String) -> [(cell: Int, rank: Int)]) -> [String] {
        var cells = [String](repeating: "", count: header.count)
        var ranks = [Int](repeating: Int.max, count: header.count)
        for (key, value) in pairs {
            for (cell, rank) in targets(key) where rank < ranks[cell] {
                cells[cell] = value
                ranks[cell] = rank
            }
        }
        return cells
    }

    /// ``cells(of:targets:)`` asking ``targets(of:)`` for every key.
    package func cells(of pairs: [(key: String, value: String)]) -> [String] {
        cells(of: pairs, targets: targets(of:))
    }
}

extension CompiledImporter {
    /// The source headers this importer reads: `from` names and aliases, the headers templates
    /// and `concat` name, and those `when` conditions read, once each, in first-mentioned order.
    package var wantedHeaders: [String] {
        var names: [String] = []
        var seen: Set<String> = []
        func add(_ name: String) { if seen.insert(matcher.key(name)).inserted { names.append(name) } }
        for (spec, plan) in zip(definition.columns, plans) {
            switch plan.input {
            case .from(_, let from): from.forEach(add)
            case .template(let template, _):
                for piece in template.pieces { if case .header(let name) = piece { add(name) } }
            case .constant: break
            }
            for step in spec.transforms { if case .concat(let columns, _) = step { columns.forEach(add) } }
        }
        for condition in conditions { add(condition.name) }
        return names
    }
}
