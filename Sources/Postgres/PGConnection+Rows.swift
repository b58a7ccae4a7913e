import CPq

extension PGConnection {
    /// Type OIDs read into something other than `.text`.
    enum TypeOID {
        static let bool: UInt32 = 16, bytea: UInt32 = 17, int8: UInt32 = 20, int2: UInt32 = 21, int4: UInt32 = 23
        static let oid: UInt32 = 26, float4: UInt32 = 700, float8: UInt32 = 701
    }

    /// Every row of a text-format result, each value mapped by its column's type (see the type's doc).
    static func rows(of result: OpaquePointer) -> [[Value]] {
        let rowCount = PQntuples(result)
        let columnCount = PQnfields(result)
        guard rowCount > 0, columnCount > 0 else { return [] }
        let types = (0 ..< columnCount).map { PQftype(result, $0) }
        var rows: [[Value]] = []
        rows.reserveCapacity(Int(rowCount))
        for row in 0 ..< rowCount {
            var values: [Value] = []
            values.reserveCapacity(Int(columnCount))
            for column in 0 ..< columnCount {
                values.append(value(result, row: row, column: column, type: types[Int(column)]))
            }
            rows.append(values)
        }
        return rows
    }

    private static func value(_ result: OpaquePointer, row: Int32, column: Int32, type: UInt32) -> Value {
        if PQgetisnull(result, row, column) != 0 { return .null }
        guard let pointer = PQgetvalue(result, row, column) else { return .null }
        let bytes = UnsafeRawBufferPointer(start: pointer, count: Int(PQgetlength(result, row, column)))
        let text = String(decoding: bytes, as: UTF8.self)
        switch type {
        case TypeOID.int2, TypeOID.int4, TypeOID.int8, TypeOID.oid:
            return Int64(text).map(Value.integer) ?? .text(text)
        case TypeOID.float4, TypeOID.float8:
            return Double(text).map(Value.real) ?? .text(text)
        case TypeOID.bool:
            return .integer(text == "t" ? 1 : 0)
        case TypeOID.bytea:
            return .blob(decodeBytea(bytes))
        default:
            return .text(text)
        }
    }

    /// `bytea` in text form: `\x` and hex (the server's default output), else the escape form through libpq.
    static func decodeBytea(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        if bytes.count >= 2, bytes[0] == UInt8(ascii: "\\"), bytes[1] == UInt8(ascii: "x") {
            var out: [UInt8] = []
            out.reserveCapacity((bytes.count - 2) / 2)
            var index = 2
            while index + 1 < bytes.count {
                out.append(hexValue(bytes[index]) << 4 | hexValue(bytes[index + 1]))
                index += 2
            }
            return out
        }
        var terminated = Array(bytes)
        terminated.append(0)
        var length = 0
        guard let decoded = terminated.withUnsafeBufferPointer({ PQunescapeBytea($0.baseAddress, &length) }) else { return [] }
        defer { PQfreemem(decoded) }
        return Array(UnsafeBufferPointer(start: decoded, count: length))
    }

    private static func hexValue(_ byte: UInt8) -> UInt8 {
        switch byte {
        case UInt8(ascii: "0") ... UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a") ... UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A") ... UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return 0
        }
    }
}
