import CSQLite

/// SQLITE_TRANSIENT tells SQLite to copy the bytes before `bind` returns.
let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A prepared statement. It belongs to one connection and one thread: deliberately not `Sendable`.
package final class Statement {
    let handle: OpaquePointer
    /// The SQL text, for error messages.
    package let sql: String
    unowned let connection: Connection

    init(connection: Connection, sql: String) throws(SQLiteError) {
        self.connection = connection
        self.sql = sql
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v3(connection.handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
        guard rc == SQLITE_OK, let stmt else {
            throw connection.error(code: rc, sql: sql)
        }
        self.handle = stmt
    }

    deinit { sqlite3_finalize(handle) }

    /// Number of `?` parameters.
    package var parameterCount: Int { Int(sqlite3_bind_parameter_count(handle)) }

    /// Clears bindings and resets the statement so it can run again.
    package func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Binds `value` to the 1-based parameter `index`.
    package func bind(_ value: Value, at index: Int32) throws(SQLiteError) {
        let rc: Int32
        switch value {
        case .null: rc = sqlite3_bind_null(handle, index)
        case .integer(let i): rc = sqlite3_bind_int64(handle, index, i)
        case .real(let d): rc = sqlite3_bind_double(handle, index, d)
        case .text(let s):
            // Native Swift strings are contiguous UTF-8, so this passes SQLite a pointer without copying.
            rc = sqlite3_bind_text(handle, index, s, Int32(s.utf8.count), sqliteTransient)
        case .blob(let bytes):
            rc = bytes.withUnsafeBytes { buf in
                sqlite3_bind_blob(handle, index, buf.baseAddress, Int32(buf.count), sqliteTransient)
            }
        }
        guard rc == SQLITE_OK else { throw connection.error(code: rc, sql: sql) }
    }

    /// Binds all values in order, starting at parameter 1.
    package func bind(_ values: [Value]) throws(SQLiteError) {
        for (i, v) in values.enumerated() { try bind(v, at: Int32(i + 1)) }
    }

    /// Steps once; true when a row is available.
    @discardableResult
    package func step() throws(SQLiteError) -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let err = connection.error(code: rc, sql: sql)
            sqlite3_reset(handle)
            throw err
        }
    }

    /// Runs the statement to completion with `values`, then resets it. Returns rows changed.
    @discardableResult
    package func execute(_ values: [Value] = []) throws(SQLiteError) -> Int {
        sqlite3_reset(handle)
        try bind(values)
        defer { sqlite3_reset(handle) }
        while try step() {}
        return Int(sqlite3_changes(connection.handle))
    }

    /// Runs the statement with `values` and collects every row.
    package func query(_ values: [Value] = []) throws(SQLiteError) -> [[Value]] {
        sqlite3_reset(handle)
        try bind(values)
        defer { sqlite3_reset(handle) }
        var rows: [[Value]] = []
        let n = columnCount
        while try step() {
            var row: [Value] = []
            row.reserveCapacity(n)
            for i in 0..<n { row.append(column(i)) }
            rows.append(row)
        }
        return rows
    }

    /// Number of result columns.
    package var columnCount: Int { Int(sqlite3_column_count(handle)) }

    /// Whether result column `index` of the current row is a blob.
    package func columnIsBlob(_ index: Int) -> Bool { sqlite3_column_type(handle, Int32(index)) == SQLITE_BLOB }

    /// The position of the result column called `name`, or nil. The names are read once per
    /// statement, not once per row.
    package func columnIndex(named name: String) -> Int? {
        if let names = columnIndexByName { return names[name] }
        var names: [String: Int] = [:]
        for i in 0..<columnCount { names[columnName(i)] = i }
        columnIndexByName = names
        return names[name]
    }
    private var columnIndexByName: [String: Int]?

    /// The name of result column `index` (0-based).
    package func columnName(_ index: Int) -> String {
        guard let p = sqlite3_column_name(handle, Int32(index)) else { return "" }
        return String(cString: p)
    }

    /// The bytes of result column `index` (0-based) of the current row as SQLite stores them
    /// (a text's UTF-8, a blob's bytes, a number's text), or nil for NULL. One copy, no `String`.
    package func columnBytes(_ index: Int) -> [UInt8]? {
        let i = Int32(index)
        guard sqlite3_column_type(handle, i) != SQLITE_NULL else { return nil }
        // sqlite3_column_text first (it may convert), then sqlite3_column_bytes, as SQLite's docs ask.
        guard let p = sqlite3_column_text(handle, i) else { return [] }
        let n = Int(sqlite3_column_bytes(handle, i))
        return Array(UnsafeBufferPointer(start: p, count: n))
    }

    /// Result column `index` (0-based) of the current row.
    package func column(_ index: Int) -> Value {
        let i = Int32(index)
        switch sqlite3_column_type(handle, i) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, i))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, i))
        case SQLITE_TEXT:
            guard let p = sqlite3_column_text(handle, i) else { return .text("") }
            let n = Int(sqlite3_column_bytes(handle, i))
            return .text(String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self))
        case SQLITE_BLOB:
            let n = Int(sqlite3_column_bytes(handle, i))
            guard n > 0, let p = sqlite3_column_blob(handle, i) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: p, count: n)))
        default: return .null
        }
    }
}
