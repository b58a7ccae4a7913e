import Definitions
import Postgres
import Rules
import SQLStore

/// The database-backed checks of the PostgreSQL writer: lookups, `unique` and `exists`, each
/// prefetched with one `= ANY(?)` query per column and batch (the values as one array literal).
extension PostgresChunkWriter {
    /// Which values are taken (`unique`) or present (`exists`), as texts.
    struct Facts {
        var uniqueTaken: [Int: Set<String>] = [:]
        var existsFound: [Int: Set<String>] = [:]
    }

    func prefetch(_ batch: RowBatch) throws(DatabaseError) -> Facts {
        var facts = Facts()
        guard !checked.isEmpty else { return facts }
        let arena = batch.arena
        let valid = arena.rows.indices.filter { arena.rows[$0].values >= 0 }
        for i in checked {
            let column = table.columns[i]
            var texts: [String] = []
            var seen: Set<String> = []
            for r in valid {
                let v = arena.value(row: r, column: i)
                guard v != .null else { continue }
                let t = ChunkWriter.text(of: v)
                if column.lookup != nil, column.unique == nil, column.exists == nil, lookupCache[i][t] != nil { continue }
                if seen.insert(t).inserted { texts.append(t) }
            }
            if let lookup = column.lookup { try prefetchLookup(i, lookup, texts) }
            if column.unique != nil { facts.uniqueTaken[i] = try existing(texts, table: table.name, column: column.name) }
            if let rule = column.exists { facts.existsFound[i] = try existing(texts, table: rule.table, column: rule.column) }
        }
        return facts
    }

    private func prefetchLookup(_ i: Int, _ lookup: LookupSpec, _ texts: [String]) throws(DatabaseError) {
        if lookupCache[i].count > PostgresChunkWriter.lookupCacheLimit { lookupCache[i].removeAll() }
        let (compared, wanted) = try comparison(table: lookup.table, column: lookup.match, texts.filter { lookupCache[i][$0] == nil })
        guard !wanted.isEmpty else { return }
        let sql = "SELECT \(quoteIdentifier(lookup.match))::text, \(quoteIdentifier(lookup.select)) FROM \(quoteIdentifier(lookup.table)) WHERE \(compared)"
        for row in try db.query(sql, [.text(PostgresArray.literal(wanted))]) {
            if let match = row[0].textValue, let id = row[1].integerValue { lookupCache[i][match] = id }
        }
    }

    /// Which of `texts` are values of `table.column`.
    private func existing(_ texts: [String], table: String, column: String) throws(DatabaseError) -> Set<String> {
        let (compared, wanted) = try comparison(table: table, column: column, texts)
        guard !wanted.isEmpty else { return [] }
        let sql = "SELECT DISTINCT \(quoteIdentifier(column))::text FROM \(quoteIdentifier(table)) WHERE \(compared)"
        return Set(try db.query(sql, [.text(PostgresArray.literal(wanted))]).compactMap { $0[0].textValue })
    }

    /// How to compare `table.column` with the values `texts` (a predicate with one `?`, the
    /// array), and which of them to send.
    ///
    /// PostgreSQL reads the array in the column's type, and one value that type cannot read
    /// ("abc" for a BIGINT column, 3000000000 for an INTEGER one) would fail the statement, and
    /// with it the run, where SQLite simply finds no row. So a number or boolean column is
    /// compared with a `bigint`, `numeric`, `double precision` or `boolean` array (its index
    /// serves) holding only the values that type reads; the others cannot match and are not
    /// sent. A text column takes every value; any other type (dates, JSON, domains) is compared
    /// as text, which cannot fail.
    func comparison(table: String, column: String, _ texts: [String]) throws(DatabaseError) -> (predicate: String, texts: [String]) {
        let key = table + "\u{0}" + column
        let declared: String
        if let known = comparedTypes[key] {
            declared = known
        } else {
            declared = try db.columns(of: table).first { $0.name == column }?.type ?? "text"
            comparedTypes[key] = declared
        }
        let c = quoteIdentifier(column)
        let trimmed = { (t: String) in t.trimmingCharacters(in: .whitespaces) }
        switch PostgresTypes.Family(declared) {
        case .text:
            return ("\(c) = ANY(?)", texts)
        case .integer:
            return ("\(c) = ANY(?::bigint[])", texts.filter { Int64(trimmed($0)) != nil })
        case .number:
            let array = declared.lowercased().hasPrefix("real") || declared.lowercased().hasPrefix("double") ? "double precision" : "numeric"
            return ("\(c) = ANY(?::\(array)[])", texts.filter { Double(trimmed($0))?.isFinite == true })
        case .boolean:
            return ("\(c) = ANY(?::boolean[])", texts.filter { PostgresTypes.booleanSpellings.contains(trimmed($0).lowercased()) })
        case .temporal, .json, .other:
            return ("\(c)::text = ANY(?)", texts)
        }
    }

    /// Each row's values as written (lookup ids in place) or its errors, judged in file order.
    func plan(_ batch: RowBatch, _ facts: Facts) -> [Pending] {
        let arena = batch.arena
        var facts = facts
        var rows: [Pending] = []
        rows.reserveCapacity(arena.rows.count)
        for r in 0..<arena.rows.count {
            var row = Pending(errors: batch.errors(of: r))
            if row.errors == nil {
                row.values = stored.map { arena.value(row: r, column: $0) }
                check(&row, r, arena, &facts)
            }
            rows.append(row)
        }
        return rows
    }

    /// Judges `unique`, `exists` and lookups for one row; values a passing row writes count as
    /// taken for the rest of the batch.
    private func check(_ row: inout Pending, _ r: Int, _ arena: RowArena, _ facts: inout Facts) {
        var validation: [(column: String, messages: [String])] = []
        for i in checked {
            let column = table.columns[i]
            let value = arena.value(row: r, column: i)
            if value == .null { continue }
            let text = ChunkWriter.text(of: value)
            var messages: [String] = []
            if let rule = column.unique, facts.uniqueTaken[i, default: []].contains(text) { messages.append(rule.message) }
            if let rule = column.exists, !facts.existsFound[i, default: []].contains(text) { messages.append(rule.message) }
            if let lookup = column.lookup, let position = stored.firstIndex(of: i) {
                if let id = lookupCache[i][text] {
                    row.values[position] = .integer(id)
                } else {
                    switch lookup.onMissing {
                    case .create: row.toCreate.append((i, value))
                    case .null: row.values[position] = .null
                    case .fail: messages.append(column.lookupMissingMessage(value: text))
                    }
                }
            }
            if !messages.isEmpty { validation.append((column.name, messages)) }
        }
        if !validation.isEmpty {
            row.errors = RowErrors(message: RowErrors.invalidData, validation: validation)
            return
        }
        for i in checked where table.columns[i].unique != nil {
            let value = arena.value(row: r, column: i)
            if value != .null { facts.uniqueTaken[i, default: []].insert(ChunkWriter.text(of: value)) }
        }
    }

    /// Inserts a missing lookup value (`on_missing: create`) and returns its id; a value an
    /// earlier row of the batch created is found in the cache. Another node creating the same
    /// value at the same moment is no error: the insert waits for it, does nothing, and the
    /// value it committed is read back.
    func createLookup(column i: Int, value: TypedValue) throws(DatabaseError) -> Int64 {
        let text = ChunkWriter.text(of: value)
        if let id = lookupCache[i][text] { return id }
        guard let lookup = table.columns[i].lookup else { return 0 }
        let (name, match, select) = (quoteIdentifier(lookup.table), quoteIdentifier(lookup.match), quoteIdentifier(lookup.select))
        let bound = [ChunkWriter.value(value)]
        var found = try db.query("INSERT INTO \(name) (\(match)) VALUES (?) ON CONFLICT DO NOTHING RETURNING \(select)", bound)
        if found.isEmpty { found = try db.query("SELECT \(select) FROM \(name) WHERE \(match) = ? LIMIT 1", bound) }
        guard let id = found.first?.first?.integerValue else {
            // Another unique constraint of the lookup table refused the value: say so, never map it to 0.
            throw DatabaseError(extendedCode: 19, message: "could not create '\(text)' in the lookup table \(lookup.table): "
                                + "another unique constraint of the table refuses it")
        }
        lookupCache[i][text] = id
        return id
    }

    /// `update_if_newer` on an existing key: whether to write (nil error) or the row's error.
    func newerVerdict(_ values: [TypedValue], stored storedValue: TypedValue) -> (write: Bool, error: String?) {
        guard let n = newerBy, let position = stored.firstIndex(of: n) else { return (false, nil) }
        let value = values[position]
        guard value != .null else { return (false, nil) }
        guard storedValue != .null else { return (true, nil) }
        let column = table.columns[n]
        guard let newer = column.ordering.isNewer(value, than: storedValue) else {
            return (false, "The stored \(column.name) '\(ChunkWriter.text(of: storedValue))' is not a \(column.type.rawValue) value, so update_if_newer cannot tell whether this row is newer.")
        }
        return (newer, nil)
    }
}
