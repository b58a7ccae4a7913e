import CPq

/// Streaming reads and the change token: the members of the store seam beyond plain statements.
extension PGConnection {
    /// Runs `sql` in libpq's single-row mode and hands `body` each row as it arrives, so a large
    /// read (a run's failed rows) is never held whole. While it runs the connection is busy:
    /// `body` must not use it. When `body` throws, the rest of the result is read and dropped.
    package func forEachRow(_ sql: String, _ values: [Value], _ body: (any SQLRow) throws(DatabaseError) -> Void) throws(DatabaseError) {
        try checkUsable(sql: sql)
        let (text, count) = Placeholders.rewrite(sql)
        guard count == values.count else {
            throw DatabaseError(sqlState: "08P01", message: "the statement has \(count) placeholders but \(values.count) values were given", sql: sql)
        }
        let sent = PGParameters(values).withPointers { pointers, lengths, formats in
            PQsendQueryParams(handle, text, Int32(values.count), nil, pointers, lengths, formats, 0)
        }
        guard sent == 1 else { throw connectionError(sql: sql) }
        _ = PQsetSingleRowMode(handle)
        var failure: DatabaseError?
        while let result = PQgetResult(handle) {
            defer { PQclear(result) }
            guard failure == nil else { continue }
            switch PQresultStatus(result) {
            case PGRES_SINGLE_TUPLE:
                do { try body(PGRow(values: PGConnection.rows(of: result).first ?? [])) } catch { failure = error }
            case PGRES_TUPLES_OK, PGRES_COMMAND_OK:
                continue
            default:
                failure = resultError(result, sql: sql)
            }
        }
        if let failure { throw failure }
    }

    /// A number that moves whenever a write transaction anywhere has started or ended since the
    /// last call: a hash of the current snapshot (`xmin:xmax:in-progress ids`). A commit either
    /// removes its id from the in-progress list or, for a transaction that began and ended
    /// between two calls, moves `xmax`; so no commit is missed. This connection's own writes move
    /// it too (harmless: a watcher reads again).
    package func changeToken() throws(DatabaseError) -> Int64 {
        let snapshot = try scalar("SELECT pg_current_snapshot()::text")?.textValue ?? ""
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a
        for byte in snapshot.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return Int64(bitPattern: hash)
    }
}

/// One row of a single-row-mode result.
struct PGRow: SQLRow {
    let values: [Value]
    var count: Int { values.count }
    func value(_ index: Int) -> Value { index < values.count ? values[index] : .null }
    func textBytes(_ index: Int) -> [UInt8]? {
        guard index < values.count else { return nil }
        switch values[index] {
        case .null, .blob: return nil
        case .text(let s): return Array(s.utf8)
        case .integer, .real: return values[index].textValue.map { Array($0.utf8) }
        }
    }
}
