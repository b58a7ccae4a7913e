import CSQLite

/// SQLITE_STATIC: SQLite uses the bytes in place and does not copy them.
let sqliteStatic = unsafeBitCast(0, to: sqlite3_destructor_type.self)

extension Statement {
    /// Binds `values` to parameters 1…n and runs the statement once; returns the rows changed.
    ///
    /// The hot path of bulk writes. Text values are packed into `scratch` (reused across calls)
    /// and bound with SQLITE_STATIC inside one buffer access, so a row costs one copy of its text
    /// and no allocation per field, where `bind(_:at:)` makes SQLite allocate a copy of each.
    ///
    /// Large texts (`inPlaceBytes` and up, at most `maxInPlace` of them) are not copied at all:
    /// they are bound in place from the strings' own storage, so a row of large cells costs
    /// SQLite's record and nothing more, and `scratch` never grows past the small values.
    @discardableResult
    package func executeRow(_ values: [Value], scratch: inout [UInt8]) throws(SQLiteError) -> Int {
        sqlite3_reset(handle)
        scratch.removeAll(keepingCapacity: scratch.capacity <= Self.inPlaceBytes * 4)
        var inPlace: [Int] = []
        for (i, value) in values.enumerated() {
            guard case .text(var s) = value else { continue }
            if s.utf8.count >= Self.inPlaceBytes && inPlace.count < Self.maxInPlace {
                inPlace.append(i)
                continue
            }
            // withUTF8 hands over small (inline) strings as a buffer too, where `append(contentsOf: s.utf8)`
            // would copy them byte by byte.
            s.withUTF8 { scratch.append(contentsOf: $0) }
        }
        let db = connection.handle
        let rc: Int32 = scratch.withUnsafeBufferPointer { buffer -> Int32 in
            let base = buffer.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }
            var offset = 0
            var large = inPlace.makeIterator()
            var nextLarge = large.next()
            for (i, value) in values.enumerated() {
                if i == nextLarge {
                    nextLarge = large.next()
                    continue
                }
                let index = Int32(i + 1)
                let rc: Int32
                switch value {
                case .null: rc = sqlite3_bind_null(handle, index)
                case .integer(let v): rc = sqlite3_bind_int64(handle, index, v)
                case .real(let v): rc = sqlite3_bind_double(handle, index, v)
                case .text(let s):
                    let count = s.utf8.count
                    if count > 0, let base {
                        rc = sqlite3_bind_text(handle, index, base + offset, Int32(count), sqliteStatic)
                    } else {
                        rc = sqlite3_bind_text(handle, index, "", 0, sqliteTransient)
                    }
                    offset += count
                case .blob(let bytes):
                    rc = bytes.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), sqliteTransient) }
                }
                if rc != SQLITE_OK {
                    sqlite3_clear_bindings(handle)
                    return rc
                }
            }
            return bindInPlace(values, inPlace[...])
        }
        guard rc == SQLITE_DONE else { throw connection.error(code: rc, sql: sql) }
        return Int(sqlite3_changes(db))
    }

    /// Texts of at least this many bytes are bound from their own storage: 64 KiB.
    static let inPlaceBytes = 64 << 10
    /// At most this many per row (each is one nested closure while the statement runs).
    static let maxInPlace = 256

    /// Binds the texts at `indexes` from their own storage, one nested `withUTF8` each so every
    /// pointer is valid while the statement runs, then runs it and releases the bindings.
    private func bindInPlace(_ values: [Value], _ indexes: ArraySlice<Int>) -> Int32 {
        guard let i = indexes.first else {
            var step = sqlite3_step(handle)
            while step == SQLITE_ROW { step = sqlite3_step(handle) }
            // Release the bindings while the buffers are still valid.
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
            return step
        }
        guard case .text(var s) = values[i] else { return SQLITE_MISUSE }
        return s.withUTF8 { text -> Int32 in
            let pointer = text.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }
            let rc = sqlite3_bind_text64(handle, Int32(i + 1), pointer, sqlite3_uint64(text.count), sqliteStatic, UInt8(SQLITE_UTF8))
            guard rc == SQLITE_OK else {
                sqlite3_clear_bindings(handle)
                return rc
            }
            return bindInPlace(values, indexes.dropFirst())
        }
    }
}

/// Binding from caller-owned memory, for writers that keep a batch's bytes in one buffer: no
/// `Value` per field, no copy of a text. Each returns SQLite's result code; ``runBound()`` turns a
/// failure into an error.
extension Statement {
    @inline(__always)
    package func bindNull(at index: Int32) -> Int32 { sqlite3_bind_null(handle, index) }

    @inline(__always)
    package func bindInteger(_ value: Int64, at index: Int32) -> Int32 { sqlite3_bind_int64(handle, index, value) }

    @inline(__always)
    package func bindReal(_ value: Double, at index: Int32) -> Int32 { sqlite3_bind_double(handle, index, value) }

    /// Binds `count` bytes of UTF-8 at `text` with SQLITE_STATIC: SQLite reads them in place, so
    /// they must stay unchanged until ``runBound()`` returned (which releases the bindings).
    @inline(__always)
    package func bindStaticText(_ text: UnsafePointer<UInt8>, count: Int, at index: Int32) -> Int32 {
        sqlite3_bind_text(handle, index, UnsafeRawPointer(text).assumingMemoryBound(to: CChar.self), Int32(count), sqliteStatic)
    }

    /// Throws the error of a failed bind (`rc` not SQLITE_OK), after clearing the bindings.
    @inline(__always)
    package func check(bind rc: Int32) throws(SQLiteError) {
        guard rc != SQLITE_OK else { return }
        sqlite3_clear_bindings(handle)
        throw connection.error(code: rc, sql: sql)
    }

    /// Runs the statement with what is bound and resets it; returns the rows changed. The
    /// bindings stay: the caller binds every parameter again before the next run, and calls
    /// ``clearBindings()`` before the bytes bound in place change.
    package func runBound() throws(SQLiteError) -> Int {
        var rc = sqlite3_step(handle)
        while rc == SQLITE_ROW { rc = sqlite3_step(handle) }
        guard rc == SQLITE_DONE else {
            let error = connection.error(code: rc, sql: sql)
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
            throw error
        }
        sqlite3_reset(handle)
        return Int(sqlite3_changes(connection.handle))
    }

    /// Forgets every binding (pointers bound in place included).
    package func clearBindings() {
        sqlite3_clear_bindings(handle)
    }
}
