import CPq

extension PGConnection {
    /// Starts `COPY … FROM STDIN` (text format unless `sql` says otherwise). Until the writer
    /// finishes or aborts, nothing else may run on this connection.
    package func copyIn(_ sql: String) throws(DatabaseError) -> PGCopyWriter {
        try checkUsable(sql: sql)
        let result = PQexec(handle, sql)
        defer { PQclear(result) }
        try check(result, sql: sql)
        guard PQresultStatus(result) == PGRES_COPY_IN else {
            throw DatabaseError(sqlState: "42601", message: "not a COPY … FROM STDIN statement", sql: sql)
        }
        copyInProgress = true
        return PGCopyWriter(connection: self, sql: sql)
    }
}

/// The sending side of one `COPY … FROM STDIN`: ``send(_:)`` bytes, then ``finish()`` or ``abort(_:)``.
package final class PGCopyWriter {
    private let connection: PGConnection
    private let sql: String
    private var open = true

    init(connection: PGConnection, sql: String) {
        self.connection = connection
        self.sql = sql
    }

    /// Sends COPY data (any split: rows may cross calls).
    package func send(_ bytes: UnsafeRawBufferPointer) throws(DatabaseError) {
        guard open else { throw closedError() }
        guard bytes.count > 0, let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {  // PQputCopyData takes an Int32 length
            let length = min(bytes.count - offset, 1 << 30)
            let rc = PQputCopyData(connection.handle, base.assumingMemoryBound(to: CChar.self) + offset, Int32(length))
            guard rc == 1 else { throw fail() }
            offset += length
        }
    }

    package func send(_ bytes: [UInt8]) throws(DatabaseError) {
        let outcome = bytes.withUnsafeBytes { raw -> Result<Void, DatabaseError> in
            do throws(DatabaseError) { try send(raw); return .success(()) } catch { return .failure(error) }
        }
        try outcome.get()
    }

    /// Ends the data; returns the rows the server copied. A rejected row throws the server's error.
    @discardableResult
    package func finish() throws(DatabaseError) -> Int {
        guard open else { throw closedError() }
        guard PQputCopyEnd(connection.handle, nil) == 1 else { throw fail() }
        return try collect()
    }

    /// Ends the COPY with an error: the server copies nothing (in a transaction, the transaction fails).
    package func abort(_ message: String = "aborted by the client") {
        guard open else { return }
        _ = PQputCopyEnd(connection.handle, message)
        _ = try? collect()
    }

    /// Reads the COPY's results; the rows copied, or the error.
    private func collect() throws(DatabaseError) -> Int {
        open = false
        connection.copyInProgress = false
        var failure: DatabaseError?
        var rows = 0
        while let result = PQgetResult(connection.handle) {
            defer { PQclear(result) }
            switch PQresultStatus(result) {
            case PGRES_COMMAND_OK: rows = Int(String(cString: PQcmdTuples(result))) ?? 0
            case PGRES_COPY_IN:  // still in COPY (should not happen after PQputCopyEnd): end it
                _ = PQputCopyEnd(connection.handle, "COPY ended by the client")
            default: failure = failure ?? connection.resultError(result, sql: sql)
            }
        }
        if let failure { throw failure }
        return rows
    }

    private func fail() -> DatabaseError {
        open = false
        connection.copyInProgress = false
        return connection.connectionError(sql: sql)
    }

    private func closedError() -> DatabaseError {
        DatabaseError(sqlState: "55000", message: "the COPY has already ended", sql: sql)
    }
}

/// Encodes rows in COPY's text format (tab-separated, newline-terminated, `\N` for NULL, backslash
/// escapes for backslash, tab, newline and carriage return) into one reusable byte buffer.
package struct PGCopyEncoder {
    /// The encoded rows so far; send them, then ``reset()``.
    package private(set) var bytes: [UInt8] = []
    private var rowStarted = false

    package init(capacity: Int = 1 << 16) { bytes.reserveCapacity(capacity) }

    /// Empties the buffer, keeping its capacity.
    package mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        rowStarted = false
    }

    /// Appends one row.
    package mutating func appendRow(_ values: [Value]) {
        for value in values { append(value) }
        endRow()
    }

    /// Appends one field of the current row.
    package mutating func append(_ value: Value) {
        separate()
        switch value {
        case .null: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "N")])
        case .integer(let i): bytes.append(contentsOf: String(i).utf8)
        case .real(let d): bytes.append(contentsOf: PGParameters.text(of: d).utf8)
        case .text(let s): appendEscaped(s)
        case .blob(let b): appendBytea(b)
        }
    }

    /// Appends one text field given as UTF-8 bytes.
    package mutating func appendText(_ utf8: UnsafeBufferPointer<UInt8>) {
        separate()
        appendEscaped(utf8)
    }

    /// Ends the current row.
    package mutating func endRow() {
        bytes.append(UInt8(ascii: "\n"))
        rowStarted = false
    }

    private mutating func separate() {
        if rowStarted { bytes.append(UInt8(ascii: "\t")) } else { rowStarted = true }
    }

    private mutating func appendEscaped(_ text: String) {
        var text = text
        text.withUTF8 { appendEscaped($0) }
    }

    private mutating func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        var start = 0
        for index in 0 ..< utf8.count {
            let escape: UInt8
            switch utf8[index] {
            case UInt8(ascii: "\\"): escape = UInt8(ascii: "\\")
            case UInt8(ascii: "\t"): escape = UInt8(ascii: "t")
            case UInt8(ascii: "\n"): escape = UInt8(ascii: "n")
            case UInt8(ascii: "\r"): escape = UInt8(ascii: "r")
            default: continue
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start ..< index]))
            bytes.append(UInt8(ascii: "\\"))
            bytes.append(escape)
            start = index + 1
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
    }

    /// A `bytea` field: `\\x` (an escaped backslash, then `x`) and hex.
    private mutating func appendBytea(_ blob: [UInt8]) {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\"), UInt8(ascii: "x")])
        for byte in blob {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0xF)])
        }
    }
}
