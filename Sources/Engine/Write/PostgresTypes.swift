import Definitions
import Rules
import SQLStore

/// How declared columns map to PostgreSQL types, and which existing PostgreSQL columns take
/// what the importer writes (docs/POSTGRES.md).
///
/// Created columns keep the values SQLite runs store, read back as text: `integer` and
/// `boolean` are `BIGINT` (a boolean is 1 or 0, as on SQLite), `decimal` is `DOUBLE PRECISION`
/// (SQLite's REAL), `text`, `date` and `datetime` are `TEXT` (the ISO text SQLite stores), and
/// `json` is `JSONB`. A declared `sql_type` is used as written, except SQLite's own names:
/// `INTEGER` becomes `BIGINT` and `REAL` `DOUBLE PRECISION` (PostgreSQL's are 32-bit).
enum PostgresTypes {
    static func columnType(_ column: CompiledColumn) -> String {
        let declared = column.sqlType.trimmingCharacters(in: .whitespaces).uppercased()
        switch declared {
        case "INTEGER", "INT": return "BIGINT"
        case "REAL", "FLOAT", "DOUBLE": return "DOUBLE PRECISION"
        case "TEXT" where column.type == .json: return "JSONB"
        default: return column.sqlType
        }
    }

    /// The family of a PostgreSQL type as `information_schema`/`format_type` names it.
    enum Family: String {
        case integer, number, text, boolean, temporal, json, other

        init(_ declared: String) {
            let t = declared.lowercased()
            if ["smallint", "integer", "bigint", "int", "int2", "int4", "int8"].contains(t) { self = .integer }
            else if t.hasPrefix("numeric") || t.hasPrefix("decimal") || t == "real" || t == "double precision" { self = .number }
            else if t == "text" || t.hasPrefix("character") || t.hasPrefix("varchar") || t == "citext" { self = .text }
            else if t == "boolean" { self = .boolean }
            else if t.hasPrefix("date") || t.hasPrefix("timestamp") || t.hasPrefix("time") { self = .temporal }
            else if t == "json" || t == "jsonb" { self = .json }
            else { self = .other }
        }
    }

    /// The spellings PostgreSQL's `boolean` input reads (trimmed, any case).
    static let booleanSpellings: Set<String> = ["t", "true", "y", "yes", "on", "1", "f", "false", "n", "no", "off", "0"]

    /// Which existing column families take a declared type's values unchanged.
    static func accepted(for column: CompiledColumn) -> Set<Family> {
        switch column.type {
        case .text: return [.text]
        case .integer: return column.lookup != nil ? [.integer, .number, .text] : [.integer, .number]
        case .decimal: return [.number]
        case .boolean: return [.integer, .number, .boolean]
        case .date, .datetime: return [.text, .temporal]
        case .json: return [.json, .text]
        }
    }

    /// Why an existing PostgreSQL column would not keep what the importer writes, with the fix.
    static func problem(_ column: CompiledColumn, declared: String, table: String) -> String? {
        let family = Family(declared)
        if family == .other { return nil }  // a domain or extension type: the server converts or refuses each value
        var accepted = accepted(for: column)
        if column.lookup != nil { accepted.formUnion([.integer, .number]) }
        guard !accepted.contains(family) else { return nil }
        let wanted = columnType(column)
        return "The column '\(column.name)' of table '\(table)' is \(declared), but the importer writes \(column.type.rawValue) values "
            + "(created as \(wanted) on PostgreSQL), which a \(declared) column would change or refuse. Change the column "
            + "(ALTER TABLE \(quoteIdentifier(table)) ALTER COLUMN \(quoteIdentifier(column.name)) TYPE \(wanted) USING \(quoteIdentifier(column.name))::\(wanted); back up first), "
            + "or change the column's type or sql_type in the definition to match."
    }

    /// Whether `table` has a primary key or a full UNIQUE index (no expression, no predicate) on
    /// exactly `columns`, read from `pg_index`.
    static func hasUniqueIndex(on columns: [String], of table: String, _ db: any SQLDatabase) throws(DatabaseError) -> Bool {
        let wanted = Set(columns.map { $0.lowercased() })
        let sql = """
            SELECT (SELECT string_agg(a.attname::text, chr(31)) FROM unnest(i.indkey) AS k(n) \
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n) \
            FROM pg_index i WHERE i.indrelid = to_regclass(?) AND i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL
            """
        for row in try db.query(sql, [.text(quoteIdentifier(table))]) {
            guard let list = row[0].textValue else { continue }
            let cols = list.split(separator: "\u{1F}").map { $0.lowercased() }
            if Set(cols) == wanted && cols.count == wanted.count { return true }
        }
        return false
    }

    /// What an importer uses that the PostgreSQL writer does not do yet: the definition key
    /// and the error that fails the run before any row; nil when every feature is supported.
    static func unsupported(_ definition: ImporterDefinition) -> String? {
        var keys: [String] = []
        if definition.columns.contains(where: { $0.relateMany != nil }) { keys.append("relate_many") }
        if definition.target.route != nil { keys.append("target.route") }
        if definition.target.withoutRowID { keys.append("target.without_rowid") }
        if !definition.nests.isEmpty { keys.append("nest") }
        guard !keys.isEmpty else { return nil }
        let list = keys.joined(separator: ", ")
        return "The importer uses \(list), which Ingest does not support on PostgreSQL yet. "
            + "Remove \(keys.count == 1 ? "it" : "them") from the definition, or import into a SQLite database."
    }
}
