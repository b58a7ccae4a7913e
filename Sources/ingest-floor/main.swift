// ingest-floor: the write floor of `bench/run.sh`, a benchmark tool that is not part of the `ingest` CLI.
//
// usage: ingest-floor FEED.csv DATABASE [keyed|plain|without-rowid] [CHUNK]
//
// Reads the products feed of `bench/gen_products.py` and turns every row into the values the
// shipped products importer would write (trimmed, case-folded, numbers parsed, the category
// looked up), all into memory, before the clock starts. Then, on one thread with nothing else on
// it, it writes them the way Ingest's writer does: the same table shape (`id INTEGER PRIMARY KEY`
// plus the typed columns and a UNIQUE index on `sku`), `INSERT … ON CONFLICT(sku) DO NOTHING`
// and an `UPDATE` for a key already there, texts bound in place (SQLITE_STATIC), a commit every
// CHUNK rows (1000, the importer's chunk size), WAL and `synchronous=NORMAL`. What it prints is
// SQLite's own work for a keyed upsert of this feed: the floor a validated import can reach.
//
//   keyed          the shipped importer's table (default)
//   plain          no key and no index, plain inserts (the table shape of `sqlite3 .import`)
//   without-rowid  `sku TEXT PRIMARY KEY … WITHOUT ROWID` (what `target.without_rowid` creates)
//
// FLOOR_PRAGMAS (environment): statements run before the tables are created, to try settings.
import CSQLite
import Foundation
import Tabular

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: ingest-floor FEED.csv DATABASE [keyed|plain|without-rowid] [CHUNK]\n".utf8))
    exit(2)
}
let mode = arguments.count > 3 ? arguments[3] : "keyed"
let chunk = arguments.count > 4 ? max(1, Int(arguments[4]) ?? 1000) : 1000
guard ["keyed", "plain", "without-rowid"].contains(mode) else {
    FileHandle.standardError.write(Data("unknown mode '\(mode)'\n".utf8))
    exit(2)
}

/// One pre-parsed value: texts point into `bytes`.
enum Cell { case null, integer(Int64), real(Double), text(Int, Int) }

let categories = ["books", "garden", "kitchen", "toys", "tools", "music", "sports", "office"]
var bytes: [UInt8] = []
var cells: [Cell] = []
let width = 10

@MainActor func text(_ s: String) -> Cell {
    if s.isEmpty { return .null }
    let start = bytes.count
    bytes.append(contentsOf: s.utf8)
    return .text(start, s.utf8.count)
}

/// The importer's values of one feed row, or nil for a row the importer refuses.
@MainActor func values(of c: [String]) -> [Cell]? {
    guard c.count == width else { return nil }
    let sku = c[0].trimmingCharacters(in: .whitespaces).uppercased()
    let name = c[1].split(whereSeparator: \.isWhitespace).joined(separator: " ")
    let email = c[2].trimmingCharacters(in: .whitespaces).lowercased()
    guard !name.isEmpty, email.isEmpty || email.contains("@"), let price = Double(c[3]), price >= 0 else { return nil }
    guard let stock = c[4].isEmpty ? 0 : Int64(c[4]), stock >= 0 else { return nil }
    guard let category = categories.firstIndex(of: c[5].lowercased()) else { return nil }
    let date = c[6].split(separator: "-")
    guard date.count == 3, let month = Int(date[1]), (1...12).contains(month) else { return nil }
    let active: Int64 = ["yes", "1", "true"].contains(c[7].lowercased()) ? 1 : 0
    let weight = c[8].isEmpty ? nil : Double(c[8]).map { ($0 * 1000 * 10).rounded() / 10 }
    let description = c[9].trimmingCharacters(in: .whitespaces)
    return [text(sku), text(name), text(email), .real(price), .integer(stock), .integer(Int64(category + 1)),
            text(c[6]), .integer(active), weight.map(Cell.real) ?? .null, text(description)]
}

func check(_ rc: Int32, _ db: OpaquePointer?, _ what: String) {
    guard rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW else { return }
    FileHandle.standardError.write(Data("\(what): \(String(cString: sqlite3_errmsg(db)))\n".utf8))
    exit(1)
}

// Pre-parse (not timed).
do {
    let reader = try TableReaders.open(path: arguments[1], options: ReadOptions())
    _ = try reader.readHeader()
    while let row = try reader.nextRow() {
        if let v = values(of: row.cells) { cells += v }
    }
} catch {
    FileHandle.standardError.write(Data("cannot read \(arguments[1]): \(error)\n".utf8))
    exit(1)
}
let rows = cells.count / width

// Schema (not timed).
var db: OpaquePointer?
check(sqlite3_open_v2(arguments[2], &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil), db, "open")
let columns = ["sku TEXT", "name TEXT", "email TEXT", "price REAL", "stock INTEGER", "category_id INTEGER", "released_on TEXT", "active INTEGER", "weight_g REAL", "description TEXT"]
// Extra settings to try first (page size, cache), e.g. FLOOR_PRAGMAS="PRAGMA page_size=8192;".
var schema = ProcessInfo.processInfo.environment["FLOOR_PRAGMAS"] ?? ""
schema += "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
schema += "CREATE TABLE categories (id INTEGER PRIMARY KEY, slug TEXT NOT NULL UNIQUE);"
schema += categories.map { "INSERT INTO categories (slug) VALUES ('\($0)');" }.joined()
switch mode {
case "without-rowid":
    schema += "CREATE TABLE products (\(columns.joined(separator: ", ")), PRIMARY KEY (sku)) WITHOUT ROWID;"
case "plain":
    schema += "CREATE TABLE products (id INTEGER PRIMARY KEY, \(columns.joined(separator: ", ")));"
default:
    schema += "CREATE TABLE products (id INTEGER PRIMARY KEY, \(columns.joined(separator: ", ")));"
    schema += "CREATE UNIQUE INDEX products_sku_unique ON products (sku);"
}
check(sqlite3_exec(db, schema, nil, nil, nil), db, "schema")
let names = ["sku", "name", "email", "price", "stock", "category_id", "released_on", "active", "weight_g", "description"]
var insertSQL = "INSERT INTO products (\(names.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: width).joined(separator: ", ")))"
if mode != "plain" { insertSQL += " ON CONFLICT (sku) DO NOTHING" }
let updateSQL = "UPDATE products SET \(names.dropFirst().map { "\($0) = ?" }.joined(separator: ", ")) WHERE sku = ?"
var insert: OpaquePointer?, update: OpaquePointer?
check(sqlite3_prepare_v3(db, insertSQL, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &insert, nil), db, "prepare")
check(sqlite3_prepare_v3(db, updateSQL, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &update, nil), db, "prepare")

/// Binds `cell` to parameter `index` of `statement`; texts in place from `base`.
@MainActor func bind(_ statement: OpaquePointer?, _ index: Int32, _ cell: Cell, _ base: UnsafePointer<UInt8>) {
    let rc: Int32
    switch cell {
    case .null: rc = sqlite3_bind_null(statement, index)
    case .integer(let i): rc = sqlite3_bind_int64(statement, index, i)
    case .real(let d): rc = sqlite3_bind_double(statement, index, d)
    case .text(let start, let count):
        rc = sqlite3_bind_text(statement, index, UnsafeRawPointer(base + start).assumingMemoryBound(to: CChar.self), Int32(count), unsafeBitCast(0, to: sqlite3_destructor_type.self))
    }
    check(rc, db, "bind")
}

// The timed part: SQLite's work, nothing else on this thread.
@MainActor func writeAll(_ base: UnsafePointer<UInt8>) -> (created: Int, updated: Int) {
    var created = 0, updated = 0
    for r in 0..<rows {
        if r % chunk == 0 { check(sqlite3_exec(db, r == 0 ? "BEGIN IMMEDIATE" : "COMMIT; BEGIN IMMEDIATE", nil, nil, nil), db, "commit") }
        let first = r * width
        for k in 0..<width { bind(insert, Int32(k + 1), cells[first + k], base) }
        check(sqlite3_step(insert), db, "insert")
        sqlite3_reset(insert)
        if sqlite3_changes(db) > 0 { created += 1; continue }
        for k in 1..<width { bind(update, Int32(k), cells[first + k], base) }
        bind(update, Int32(width), cells[first], base)
        check(sqlite3_step(update), db, "update")
        sqlite3_reset(update)
        updated += 1
    }
    check(sqlite3_exec(db, "COMMIT", nil, nil, nil), db, "commit")
    return (created, updated)
}
bytes.append(0)
let arena = UnsafeMutablePointer<UInt8>.allocate(capacity: bytes.count)
arena.initialize(from: bytes, count: bytes.count)
let started = ContinuousClock.now
let (created, updated) = writeAll(arena)
let elapsed = ContinuousClock.now - started
sqlite3_finalize(insert)
sqlite3_finalize(update)
sqlite3_close_v2(db)
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
print(String(format: "floor %@: %d rows (%d created, %d updated) in %.3f s", mode, rows, created, updated, seconds))
