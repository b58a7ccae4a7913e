import Definitions
import Foundation
import SQLite

/// The prepared row statements of one table rows are written to: the insert (`ON CONFLICT DO
/// NOTHING` on the key), the duplicate strategy's update, and `update_if_newer`'s read of the
/// stored `newer_by` value. A routed importer (`target.route`) has one per table.
struct TableStatements {
    let name: String
    let insert: Statement
    let update: Statement?
    let storedNewer: Statement?

    init(db: Connection, table: TargetTable, stored: [Int], nonKey: [Int], strategy: DuplicateStrategy, newerBy: Int?) throws(SQLiteError) {
        name = table.name
        let names = stored.map { quoteIdentifier(table.columns[$0].name) }
        let placeholders = Array(repeating: "?", count: names.count).joined(separator: ", ")
        var insertSQL = "INSERT INTO \(table.quotedName) (\(names.joined(separator: ", "))) VALUES (\(placeholders))"
        if !table.key.isEmpty {
            insertSQL += " ON CONFLICT (\(table.key.map(quoteIdentifier).joined(separator: ", "))) DO NOTHING"
        }
        insert = try db.prepare(insertSQL)
        let keyWhere = table.keyIndexes.map { "\(quoteIdentifier(table.columns[$0].name)) = ?" }.joined(separator: " AND ")
        if !table.key.isEmpty, !nonKey.isEmpty, strategy == .update || strategy == .upsert || strategy == .updateIfNewer {
            let sets = nonKey.map { i -> String in
                let c = quoteIdentifier(table.columns[i].name)
                return strategy == .upsert ? "\(c) = COALESCE(?, \(c))" : "\(c) = ?"
            }
            update = try db.prepare("UPDATE \(table.quotedName) SET \(sets.joined(separator: ", ")) WHERE \(keyWhere)")
        } else {
            update = nil
        }
        if strategy == .updateIfNewer, let n = newerBy, !table.key.isEmpty {
            // The stored value is read and compared as the column's type (not as SQLite text).
            storedNewer = try db.prepare("SELECT \(quoteIdentifier(table.columns[n].name)) FROM \(table.quotedName) WHERE \(keyWhere)")
        } else {
            storedNewer = nil
        }
    }

    func clearBindings() {
        insert.clearBindings()
        update?.clearBindings()
    }
}

/// `target.route`: rows created, updated and skipped per table.
struct TableCounts: Equatable {
    var byTable: [String: RunSummary.Outcome] = [:]

    mutating func add(_ outcome: ChunkWriter.WriteOutcome, to table: String) {
        var c = byTable[table] ?? RunSummary.Outcome(created: 0, updated: 0, skipped: 0)
        switch outcome {
        case .created: c.created += 1
        case .updated: c.updated += 1
        case .skipped: c.skipped += 1
        case .duplicate, .incomparable: return
        }
        byTable[table] = c
    }

    /// Adds `outcome`'s counts to `table`'s.
    mutating func add(_ outcome: RunSummary.Outcome, to table: String) {
        var c = byTable[table] ?? RunSummary.Outcome(created: 0, updated: 0, skipped: 0)
        c.created += outcome.created; c.updated += outcome.updated; c.skipped += outcome.skipped
        byTable[table] = c
    }

    mutating func add(_ other: TableCounts) {
        for (table, o) in other.byTable {
            var c = byTable[table] ?? RunSummary.Outcome(created: 0, updated: 0, skipped: 0)
            c.created += o.created; c.updated += o.updated; c.skipped += o.skipped
            byTable[table] = c
        }
    }
}

extension RouteSpec {
    /// Where the route's header is in the source header (exact, ignoring surrounding whitespace).
    static func headerIndex(of column: String, in header: [String]) -> Int? {
        header.firstIndex { $0.trimmingCharacters(in: .whitespaces) == column }
    }
}
