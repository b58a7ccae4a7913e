import CPq

extension PGConnection {
    /// Runs `sql` through its cached prepared statement; the caller clears the result.
    func run(_ sql: String, _ values: [Value]) throws(DatabaseError) -> OpaquePointer {
        try checkUsable(sql: sql)
        let statement = try prepared(sql)
        guard statement.parameterCount == values.count else {
            throw DatabaseError(sqlState: "08P01", message: "the statement has \(statement.parameterCount) placeholders but \(values.count) values were given", sql: sql)
        }
        let result = PGParameters(values).withPointers { pointers, lengths, formats in
            PQexecPrepared(handle, statement.name, Int32(values.count), pointers, lengths, formats, 0)
        }
        do { try check(result, sql: sql) } catch {
            PQclear(result)
            if error.sqlState == "0A000" { forget(sql) }  // "cached plan must not change result type"
            throw error
        }
        guard let result else { throw connectionError(sql: sql) }
        return result
    }

    /// The statement prepared for `sql`, prepared on first use.
    private func prepared(_ sql: String) throws(DatabaseError) -> PreparedStatement {
        if let statement = statement(for: sql) { return statement }
        let (text, count) = Placeholders.rewrite(sql)
        let name = nextStatementName()
        let result = PQprepare(handle, name, text, 0, nil)
        defer { PQclear(result) }
        try check(result, sql: sql)
        let statement = PreparedStatement(name: name, parameterCount: count)
        remember(statement, for: sql)
        return statement
    }

    /// Throws when the connection is lost or busy with a COPY.
    func checkUsable(sql: String?) throws(DatabaseError) {
        if copyInProgress {
            throw DatabaseError(sqlState: "55000", message: "a COPY is in progress on this connection: finish or abort it first", sql: sql)
        }
        if PQstatus(handle) != CONNECTION_OK { throw connectionError(sql: sql) }
    }

    /// Throws the result's error, or the connection's when there is no result.
    func check(_ result: OpaquePointer?, sql: String?) throws(DatabaseError) {
        guard let result else { throw connectionError(sql: sql) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY, PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_SINGLE_TUPLE:
            return
        default:
            throw resultError(result, sql: sql)
        }
    }

    /// The result's SQLSTATE and primary message. The detail is left out: it quotes row values.
    func resultError(_ result: OpaquePointer, sql: String?) -> DatabaseError {
        guard let state = PQresultErrorField(result, ingest_pg_diag_sqlstate) else {
            let message = PGConnection.trimmed(String(cString: PQresultErrorMessage(result)))
            return PQstatus(handle) == CONNECTION_OK
                ? DatabaseError(sqlState: "XX000", message: location.scrub(message), sql: sql)
                : connectionError(sql: sql)
        }
        let primary = PQresultErrorField(result, ingest_pg_diag_message_primary).map { String(cString: $0) }
            ?? PGConnection.trimmed(String(cString: PQresultErrorMessage(result)))
        return DatabaseError(sqlState: String(cString: state), message: location.scrub(primary), sql: sql)
    }

    /// The connection's own error (lost, refused): SQLSTATE 08006.
    func connectionError(sql: String?) -> DatabaseError {
        var message = PGConnection.trimmed(String(cString: PQerrorMessage(handle)))
        if message.isEmpty { message = "the connection was lost" }
        return DatabaseError(sqlState: "08006", message: "connection to \(location.redacted): \(location.scrub(message))", sql: sql)
    }

    static func trimmed(_ text: String) -> String {
        var text = Substring(text)
        while let last = text.last, last == "\n" || last == " " { text = text.dropLast() }
        return String(text)
    }
}

/// Parameter values in libpq's form: text for numbers and text (unknown type, inferred by the
/// server), binary for blobs, a null pointer for NULL. All values share one buffer.
struct PGParameters {
    private var bytes: [UInt8] = []
    private var offsets: [Int?] = []
    private var lengths: [Int32] = []
    private var formats: [Int32] = []

    init(_ values: [Value]) {
        offsets.reserveCapacity(values.count)
        for value in values {
            switch value {
            case .null:
                offsets.append(nil)
                lengths.append(0)
                formats.append(0)
            case .integer(let i): appendText(String(i))
            case .real(let d): appendText(PGParameters.text(of: d))
            case .text(let s): appendText(s)
            case .blob(let b):
                offsets.append(bytes.count)
                bytes.append(contentsOf: b)
                lengths.append(Int32(clamping: b.count))
                formats.append(1)
            }
        }
        bytes.append(0)  // never empty, so the buffer always has an address
    }

    private mutating func appendText(_ text: String) {
        offsets.append(bytes.count)
        bytes.append(contentsOf: text.utf8)
        bytes.append(0)
        lengths.append(0)
        formats.append(0)
    }

    /// PostgreSQL's spelling of a double: `Infinity`, `-Infinity`, `NaN`, else Swift's shortest round trip.
    static func text(of value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        return String(value)
    }

    func withPointers<R>(_ body: (UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?) -> R) -> R {
        bytes.withUnsafeBytes { raw in
            let base = raw.baseAddress?.assumingMemoryBound(to: CChar.self)
            let pointers: [UnsafePointer<CChar>?] = offsets.map { offset in
                guard let offset, let base else { return nil }
                return UnsafePointer(base + offset)
            }
            return pointers.withUnsafeBufferPointer { p in
                lengths.withUnsafeBufferPointer { l in
                    formats.withUnsafeBufferPointer { f in body(p.baseAddress, l.baseAddress, f.baseAddress) }
                }
            }
        }
    }
}
