import SQLite
import Tabular

/// Reads the failed rows logged for a run, as if they were a file: the header is the union of
/// their source headers (first-seen order) and each row keeps its original row number.
///
/// Owns its own connection, since it runs on the parse thread.
final class StoredRowsReader: TableReader {
    private let db: Connection
    private let statement: Statement
    private let header: [String]
    private let count: Int
    private var index = 0

    init(databasePath: String, runID: Int64) throws {
        db = try Connection(path: databasePath)
        let store = RunStore(connection: db)
        var header: [String] = []
        var seen: Set<String> = []
        var count = 0
        try store.forEachFailedRow(of: runID) { row in
            count += 1
            for (key, _) in row.data where seen.insert(key).inserted { header.append(key) }
        }
        self.header = header
        self.count = count
        statement = try store.failedRowsStatement(of: runID)
    }

    func readHeader() throws(TabularError) -> [String]? { count == 0 ? nil : header }

    func nextRow() throws(TabularError) -> TableRow? {
        let hasRow: Bool
        do { hasRow = try statement.step() } catch {
            throw TabularError(.io, "could not read the logged rows: \(error.message)")
        }
        guard hasRow else { return nil }
        index += 1
        let row: LoggedRow
        do { row = try RunStore.decodeRow(StoredRecord(statement)) } catch {
            throw TabularError(.io, "could not read the logged rows: \(error.message)")
        }
        var values: [String: String] = [:]
        for (k, v) in row.data { values[k] = v }
        return TableRow(cells: header.map { values[$0] ?? "" }, recordNumber: row.rowNumber, warnings: [])
    }

    var bytesRead: Int64 { Int64(index) }
    var totalBytes: Int64? { Int64(count) }
    var detected: [String: String] { ["format": "retry"] }
}
