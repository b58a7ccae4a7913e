import SQLite
import Tabular

/// Reads the failed rows logged for a run, as if they were a file: the header is the union of
/// their source headers (first-seen order) and each row keeps its original row number.
///
/// Owns its own store, since it runs on the parse thread. Rows are read a page at a time, by
/// log id, so no statement stays open between calls and no more than a page is held.
final class StoredRowsReader: TableReader {
    private let store: RunStore
    private let runID: Int64
    private let header: [String]
    private let count: Int
    private var index = 0
    private var page: [LoggedRow] = []
    private var pageIndex = 0
    private var lastID: Int64 = 0
    /// Rows read from the store at once.
    static let pageSize = 512

    init(store: RunStore, runID: Int64) throws {
        self.store = store
        self.runID = runID
        var header: [String] = []
        var seen: Set<String> = []
        var count = 0
        try store.forEachFailedRow(of: runID) { row in
            count += 1
            for (key, _) in row.data where seen.insert(key).inserted { header.append(key) }
        }
        self.header = header
        self.count = count
    }

    func readHeader() throws(TabularError) -> [String]? { count == 0 ? nil : header }

    func nextRow() throws(TabularError) -> TableRow? {
        if pageIndex == page.count {
            try readPage()
            guard !page.isEmpty else { return nil }
        }
        let row = page[pageIndex]
        pageIndex += 1
        index += 1
        var values: [String: String] = [:]
        for (k, v) in row.data { values[k] = v }
        return TableRow(cells: header.map { values[$0] ?? "" }, recordNumber: row.rowNumber, warnings: [])
    }

    private func readPage() throws(TabularError) {
        page.removeAll(keepingCapacity: true)
        pageIndex = 0
        do {
            try store.forEachFailedRow(of: runID, after: lastID, limit: StoredRowsReader.pageSize) { row, id in
                page.append(row)
                lastID = id
            }
        } catch {
            let message = (error as? DatabaseError)?.message ?? String(describing: error)
            throw TabularError(.io, "could not read the logged rows: \(message)")
        }
    }

    var bytesRead: Int64 { Int64(index) }
    var totalBytes: Int64? { Int64(count) }
    var detected: [String: String] { ["format": "retry"] }
}
