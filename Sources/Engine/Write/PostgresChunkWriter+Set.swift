import Definitions
import Postgres
import Rules
import SQLStore

/// The two ways the PostgreSQL writer applies a batch: staged set statements (the bulk path) and
/// row by row in savepoints (the fallback for a batch with an offending row).
extension PostgresChunkWriter {
    private var strategy: DuplicateStrategy { definition.target.onDuplicate }
    private var columnList: String { stored.map { quoteIdentifier(table.columns[$0].name) }.joined(separator: ", ") }
    private var keyColumns: [String] { table.keyIndexes.map { quoteIdentifier(table.columns[$0].name) } }
    private var duplicateMessage: String { "Duplicate entry found for key '\(table.keyDescription)'." }

    /// Copies the passing rows into the staging table and applies them pass by pass.
    func applySet(_ rows: inout [Pending]) throws(DatabaseError) {
        let passes = self.passes(rows)
        guard let last = passes.max(), last > 0 else { return }
        // The staging table lives as long as the run's connection (its rows go at every commit):
        // created, and its statistics gathered, once (again only after a rollback undid it),
        // emptied for every later batch.
        let existing = try db.query("SELECT to_regclass(?) IS NOT NULL", [.text("pg_temp." + staging)]).first?.first
        let created = !(existing?.integerValue == 1 || existing?.textValue == "t")
        if created {
            try db.execute("CREATE TEMP TABLE \(staging) ON COMMIT DELETE ROWS AS SELECT 0::bigint AS ingest_ord, 0 AS ingest_pass, \(columnList) FROM \(table.quotedName) WITH NO DATA")
        } else {
            try db.execute("TRUNCATE \(staging)")
        }
        copy.reset()
        for r in rows.indices where passes[r] > 0 {
            copy.append(.integer(Int64(r)))
            copy.append(.integer(Int64(passes[r])))
            for v in rows[r].values { copy.append(ChunkWriter.value(v)) }
            copy.endRow()
        }
        let writer = try db.copyIn("COPY \(staging) (ingest_ord, ingest_pass, \(columnList)) FROM STDIN")
        do {
            try writer.send(copy.bytes)
            try writer.finish()
        } catch {
            writer.abort()
            throw error
        }
        // A new temporary table has no statistics: the planner would join the returned keys back
        // to the staged rows with a nested loop (quadratic: 8 of the 12 ms of a 256-row batch).
        // ANALYZE (about 1.5 ms) lets it hash them; the plan holds for the later batches.
        if created { try db.execute("ANALYZE \(staging)") }
        for pass in 1...last { try apply(pass: pass, passes, &rows) }
    }

    /// Per row, its pass: the n-th row of the batch with a key is in pass n (0: not written).
    /// A key with an empty column never collides, so such rows are all in pass 1.
    private func passes(_ rows: [Pending]) -> [Int] {
        var seen: [[String]: Int] = [:]
        let positions = table.keyIndexes.compactMap { stored.firstIndex(of: $0) }
        return rows.map { row in
            guard row.errors == nil else { return 0 }
            let key = positions.map { row.values[$0] }
            if key.isEmpty || key.contains(.null) { return 1 }
            let texts = key.map(ChunkWriter.text(of:))
            let n = (seen[texts] ?? 0) + 1
            seen[texts] = n
            return n
        }
    }

    /// Applies one pass with one `INSERT … SELECT … ON CONFLICT … RETURNING`, and sets each of
    /// its rows' outcome.
    private func apply(pass: Int, _ passes: [Int], _ rows: inout [Pending]) throws(DatabaseError) {
        let inPass = rows.indices.filter { passes[$0] == pass }
        guard !table.key.isEmpty else {
            try db.execute("INSERT INTO \(table.quotedName) (\(columnList)) SELECT \(columnList) FROM \(staging) WHERE ingest_pass = ? ORDER BY ingest_ord", [.integer(Int64(pass))])
            return
        }
        var writing = inPass
        var filter = ""
        var args: [Value] = [.integer(Int64(pass))]
        if strategy == .updateIfNewer, !nonKey.isEmpty {
            writing = try newerFilter(pass: pass, inPass, &rows)
            guard !writing.isEmpty else { return }
            filter = " AND ingest_ord = ANY(?)"
            args.append(.text(PostgresArray.literal(writing.map { String($0) })))
        }
        let join = keyColumns.map { "s.\($0) = w.\($0)" }.joined(separator: " AND ")
        let sql = "WITH w AS (INSERT INTO \(table.quotedName) AS ingest_t (\(columnList)) SELECT \(columnList) FROM \(staging) "
            + "WHERE ingest_pass = ?\(filter) ORDER BY ingest_ord ON CONFLICT (\(keyColumns.joined(separator: ", "))) \(conflictAction) "
            + "RETURNING \(keyColumns.joined(separator: ", ")), (ingest_t.xmax = 0) AS ingest_created) "
            + "SELECT s.ingest_ord, w.ingest_created FROM w JOIN \(staging) s ON \(join) WHERE s.ingest_pass = ?"
        args.append(.integer(Int64(pass)))
        var returned: [Int: Bool] = [:]
        for row in try db.query(sql, args) {
            if let ord = row[0].integerValue { returned[Int(ord)] = row[1].integerValue == 1 || row[1].textValue == "t" }
        }
        let keyPositions = table.keyIndexes.compactMap { stored.firstIndex(of: $0) }
        for r in writing {
            if let created = returned[r] {
                rows[r].outcome = created ? .created : .updated
            } else if keyPositions.contains(where: { rows[r].values[$0] == .null }) {
                rows[r].outcome = .created
            } else {
                setExisting(&rows[r])
            }
        }
    }

    /// What the statement does with an existing key.
    private var conflictAction: String {
        guard !nonKey.isEmpty, strategy == .update || strategy == .upsert || strategy == .updateIfNewer else { return "DO NOTHING" }
        let sets = nonKey.map { i -> String in
            let c = quoteIdentifier(table.columns[i].name)
            return strategy == .upsert ? "\(c) = COALESCE(EXCLUDED.\(c), ingest_t.\(c))" : "\(c) = EXCLUDED.\(c)"
        }
        return "DO UPDATE SET " + sets.joined(separator: ", ")
    }

    /// The outcome of a row whose key exists and which the statement left alone.
    private func setExisting(_ row: inout Pending) {
        switch strategy {
        case .skip: row.outcome = .skipped
        case .fail: row.errors = RowErrors(message: duplicateMessage)
        case .update, .upsert, .updateIfNewer: row.outcome = .updated  // only key columns: nothing to change
        }
    }

    /// `update_if_newer`: reads the stored `newer_by` value of the pass's existing keys; returns
    /// the rows to write (new keys, and newer rows) and marks the others skipped or failed.
    private func newerFilter(pass: Int, _ inPass: [Int], _ rows: inout [Pending]) throws(DatabaseError) -> [Int] {
        guard let n = newerBy else {
            return inPass
        }
        let join = keyColumns.map { "s.\($0) = t.\($0)" }.joined(separator: " AND ")
        let sql = "SELECT s.ingest_ord, t.\(quoteIdentifier(table.columns[n].name)) FROM \(staging) s JOIN \(table.quotedName) t ON \(join) WHERE s.ingest_pass = ?"
        var storedValues: [Int: TypedValue] = [:]
        for row in try db.query(sql, [.integer(Int64(pass))]) {
            if let ord = row[0].integerValue { storedValues[Int(ord)] = ChunkWriter.typed(row[1]) }
        }
        var writing: [Int] = []
        for r in inPass {
            guard let storedValue = storedValues[r] else { writing.append(r); continue }
            let verdict = newerVerdict(rows[r].values, stored: storedValue)
            if verdict.write { writing.append(r) } else if let error = verdict.error { rows[r].errors = RowErrors(message: error) } else { rows[r].outcome = .skipped }
        }
        return writing
    }

    /// Writes every passing row on its own, in a savepoint: a row the database refuses fails
    /// alone with the database's message, as on SQLite.
    func writeRowByRow(_ rows: inout [Pending]) throws(DatabaseError) {
        for r in rows.indices where rows[r].errors == nil {
            try db.savepoint("ingest_row")
            var created: [(Int, TypedValue)] = []
            do {
                for (i, value) in rows[r].toCreate {
                    let id = try createLookup(column: i, value: value)
                    created.append((i, value))
                    if let position = stored.firstIndex(of: i) { rows[r].values[position] = .integer(id) }
                }
                try writeRow(&rows[r])
            } catch where PostgresChunkWriter.failsRowOnly(error) {
                rows[r].errors = RowErrors(message: "The row could not be saved: \(error.message).")
            }
            if rows[r].errors == nil { try db.release("ingest_row") } else {
                try db.rollback(to: "ingest_row")
                for (i, value) in created { lookupCache[i][ChunkWriter.text(of: value)] = nil }
            }
        }
    }

    /// Inserts one row, and on an existing key applies the duplicate strategy.
    private func writeRow(_ row: inout Pending) throws(DatabaseError) {
        let values = row.values.map(ChunkWriter.value)
        let placeholders = Array(repeating: "?", count: values.count).joined(separator: ", ")
        guard !table.key.isEmpty else {
            try db.execute("INSERT INTO \(table.quotedName) (\(columnList)) VALUES (\(placeholders))", values)
            row.outcome = .created
            return
        }
        let insert = "INSERT INTO \(table.quotedName) (\(columnList)) VALUES (\(placeholders)) ON CONFLICT (\(keyColumns.joined(separator: ", "))) DO NOTHING"
        if try db.execute(insert, values) > 0 { row.outcome = .created; return }
        guard !nonKey.isEmpty, strategy == .update || strategy == .upsert || strategy == .updateIfNewer else {
            setExisting(&row)
            return
        }
        let keyPositions = table.keyIndexes.compactMap { stored.firstIndex(of: $0) }
        let keyWhere = keyColumns.map { "\($0) = ?" }.joined(separator: " AND ")
        let keyArgs = keyPositions.map { values[$0] }
        if strategy == .updateIfNewer {
            guard let n = newerBy else { row.outcome = .skipped; return }
            let read = "SELECT \(quoteIdentifier(table.columns[n].name)) FROM \(table.quotedName) WHERE \(keyWhere)"
            let storedValue = try db.query(read, keyArgs).first.map { ChunkWriter.typed($0[0]) } ?? .null
            let verdict = newerVerdict(row.values, stored: storedValue)
            guard verdict.write else {
                if let error = verdict.error { row.errors = RowErrors(message: error) } else { row.outcome = .skipped }
                return
            }
        }
        let sets = nonKey.map { i -> String in
            let c = quoteIdentifier(table.columns[i].name)
            return strategy == .upsert ? "\(c) = COALESCE(?, \(c))" : "\(c) = ?"
        }
        let nonKeyArgs = nonKey.compactMap { stored.firstIndex(of: $0) }.map { values[$0] }
        let changed = try db.execute("UPDATE \(table.quotedName) SET \(sets.joined(separator: ", ")) WHERE \(keyWhere)", nonKeyArgs + keyArgs)
        row.outcome = changed > 0 ? .updated : .skipped
    }
}
