import Rules
import Tabular

/// The parse thread: reads rows, validates them with the compiled importer, packs them into row
/// arenas (a batch's cell bytes in one buffer) and hands the batches to the writer through the
/// bounded queue; the writer sends the arenas back through the recycle bin to be filled again.
final class RowParser: @unchecked Sendable {
    // `@unchecked`: the reader and processor are handed over and used by the parse thread alone.
    private let reader: any TableReader
    private let processor: RowProcessor
    private let header: [String]
    private let chunkSize: Int
    /// Rows per batch handed to the writer: small, so memory stays flat whatever the chunk size;
    /// batches never straddle a chunk boundary.
    static let maxBatchRows = 256
    /// The same for PostgreSQL targets: each batch costs its statements' round trips and fixed
    /// work (staging, set statement, join back) whatever its size, so batches are as large as the
    /// chunk, up to 4,096 rows (still within ``maxBatchBytes``).
    static let maxBatchRowsPostgres = 4096
    /// This parser's batch limit: ``maxBatchRows`` or ``maxBatchRowsPostgres``.
    private let batchLimit: Int
    /// A batch also ends once its arena holds 4 MiB (the rows' source cells and their values),
    /// so wide or large rows do not pile up 256 at a time.
    static let maxBatchBytes = 4 << 20
    /// Bytes of rows the queue to the writer holds at most (one batch of any size always fits):
    /// with the batch being written and the one being read, a file of large rows keeps about
    /// three of them in memory, not six batches of them.
    static let maxQueuedBytes = 16 << 20
    private let queue: BoundedQueue<PipelineMessage>
    private let stop: CancellationFlag
    private let recycle: RecycleBin
    /// Warnings kept for the summary; more are counted, not stored.
    private static let maxWarnings = 20
    /// Source rows a resumed run already committed: read and validated again (so state spanning
    /// rows, such as `distinct`, is what it was), but not sent to the writer.
    private let skip: Int

    /// `nest`: the readers of the child rows, one per nested table.
    private let nests: [NestReader]

    init(reader: Handoff<any TableReader>, processor: Handoff<RowProcessor>, header: [String], chunkSize: Int,
         queue: BoundedQueue<PipelineMessage>, stop: CancellationFlag, recycle: RecycleBin, skip: Int = 0,
         nests: Handoff<[NestReader]> = Handoff(value: []), maxBatchRows: Int = RowParser.maxBatchRows) {
        self.batchLimit = max(1, maxBatchRows)
        self.recycle = recycle
        self.nests = nests.value
        self.skip = max(0, skip)
        self.reader = reader.value
        self.processor = processor.value
        self.header = header
        self.chunkSize = max(1, chunkSize)
        self.queue = queue
        self.stop = stop
    }

    /// Per-row scratch: one value slot per column, reused for every row.
    private var values: UnsafeMutableBufferPointer<TypedValue> = .init(start: nil, count: 0)

    func run() {
        let width = processor.columnCount
        values = .allocate(capacity: max(1, width))
        values.initialize(repeating: .null)
        defer { values.deinitialize(); values.deallocate() }
        let started = ThreadClock.cpu()
        var batch = newBatch()
        var warnings: [String] = []
        do {
            try readRows(into: &batch, warnings: &warnings)
            if !batch.isEmpty { send(batch, endsChunk: true) }
            queue.push(.end(bytesRead: reader.bytesRead, warnings: warnings, parseCPU: ThreadClock.cpu() - started))
        } catch {
            // The rows before the broken part do not end their chunk: the writer commits them
            // (`none`, `row`) or rolls them back with their chunk (`chunk`) when it sees the failure.
            if !batch.isEmpty { send(batch, endsChunk: false) }
            queue.push(.readFailed(RunExecutor.describe(error), parseCPU: ThreadClock.cpu() - started))
        }
    }

    private var rowsRead = 0

    /// Hands a batch to the writer.
    private func send(_ batch: RowBatch, endsChunk: Bool) {
        queue.push(.batch(batch, bytesRead: reader.bytesRead, rowsRead: rowsRead, endsChunk: endsChunk), weight: batch.byteCount)
    }

    /// Reads, validates and batches rows until the source ends (or the run stops); the last,
    /// partial batch stays in `batch`.
    private func readRows(into batch: inout RowBatch, warnings: inout [String]) throws(TabularError) {
        let batchRows = min(chunkSize, batchLimit)
        var rowsInChunk = 0
        var extraWarnings = 0
        let width = header.count
        defer { if extraWarnings > 0 { warnings.append("… and \(extraWarnings) more warnings.") } }
        while let row = try reader.nextRow() {
            rowsRead += 1
            var cells = row.cells
            // Spreadsheets often pad rows with empty trailing cells: those are not ragged.
            while cells.count > width, cells.last?.isEmpty == true { cells.removeLast() }
            if rowsRead <= skip {
                if cells.count == width, let slots = values.baseAddress {
                    _ = processor.process(cells, into: slots)
                    var ignored: [(column: String, messages: [String])] = []
                    for nest in nests { _ = nest.children(of: cells, errors: &ignored) }
                }
                if stop.isRaised { break }
                continue
            }
            for w in row.warnings {
                if warnings.count < RowParser.maxWarnings { warnings.append("Row \(row.recordNumber): \(w)") } else { extraWarnings += 1 }
            }
            add(cells, recordNumber: row.recordNumber, width: width, to: &batch)
            rowsInChunk += 1
            let endsChunk = rowsInChunk == chunkSize
            if endsChunk || batch.count >= batchRows || batch.byteCount >= RowParser.maxBatchBytes {
                send(batch, endsChunk: endsChunk)
                batch = newBatch()
                if endsChunk { rowsInChunk = 0 }
                if stop.isRaised { break }
            }
        }
    }

    /// An empty batch: a recycled arena for the rows, a new one per nested table for their children.
    private func newBatch() -> RowBatch {
        RowBatch(arena: recycle.take(width: processor.columnCount), children: nests.map { RowArena(width: $0.width, byteCapacity: 16 << 10) })
    }

    /// Validates one row and adds it (its source cells, and its values or its errors) to the batch.
    private func add(_ cells: [String], recordNumber: Int, width: Int, to batch: inout RowBatch) {
        let arena = batch.arena
        guard cells.count == width else {
            let message = "The row has \(cells.count) \(cells.count == 1 ? "field" : "fields"), but the header has \(width)."
            batch.errors.append(RowErrors(message: message))
            arena.beginRow(recordNumber: recordNumber, source: cells, failed: true, error: Int32(batch.errors.count - 1))
            return
        }
        guard let slots = values.baseAddress else { return }
        var errors = processor.process(cells, into: slots)
        // A row's children are validated with it: any failing child fails the row.
        let children = nests.map { $0.children(of: cells, errors: &errors) }
        if errors.isEmpty {
            let parent = arena.beginRow(recordNumber: recordNumber, source: cells, failed: false)
            for c in 0..<arena.width { arena.append(slots[c]) }
            for (k, rows) in children.enumerated() {
                let childArena = batch.children[k]
                for (i, values) in rows.enumerated() {
                    childArena.beginRow(recordNumber: i, source: [], failed: false, parent: Int32(parent))
                    for value in values { childArena.append(value) }
                }
            }
        } else {
            batch.errors.append(RowErrors(message: RowErrors.invalidData, validation: errors))
            arena.beginRow(recordNumber: recordNumber, source: cells, failed: true, error: Int32(batch.errors.count - 1))
        }
    }
}
