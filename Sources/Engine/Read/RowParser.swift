import Rules
import Tabular

/// The parse thread: reads rows, validates them with the compiled importer, and hands chunks to
/// the writer through the bounded queue.
final class RowParser: @unchecked Sendable {
    // `@unchecked`: the reader and processor are handed over and used by the parse thread alone.
    private let reader: any TableReader
    private let processor: RowProcessor
    private let header: [String]
    private let chunkSize: Int
    /// Rows per batch handed to the writer: small, so memory stays flat whatever the chunk size;
    /// batches never straddle a chunk boundary.
    static let maxBatchRows = 256
    /// A batch also ends once its rows' cells reach 4 MiB, so wide or large rows do not pile up
    /// 256 at a time.
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

    init(reader: Handoff<any TableReader>, processor: Handoff<RowProcessor>, header: [String], chunkSize: Int,
         queue: BoundedQueue<PipelineMessage>, stop: CancellationFlag, recycle: RecycleBin, skip: Int = 0) {
        self.recycle = recycle
        self.skip = max(0, skip)
        self.reader = reader.value
        self.processor = processor.value
        self.header = header
        self.chunkSize = max(1, chunkSize)
        self.queue = queue
        self.stop = stop
    }

    /// The UTF-8 bytes of a row's cells.
    static func bytes(of cells: [String]) -> Int {
        var total = 0
        for cell in cells { total += cell.utf8.count }
        return total
    }

    func run() {
        var chunk: [PendingRow] = []
        let batchRows = min(chunkSize, RowParser.maxBatchRows)
        chunk.reserveCapacity(batchRows)
        var rowsInChunk = 0
        var batchBytes = 0
        var warnings: [String] = []
        var extraWarnings = 0
        let width = header.count
        var rowsRead = 0
        do {
            while let row = try reader.nextRow() {
                rowsRead += 1
                var cells = row.cells
                if rowsRead <= skip {
                    while cells.count > width, cells.last?.isEmpty == true { cells.removeLast() }
                    if cells.count == width { _ = processor.process(cells) }
                    if stop.isRaised { break }
                    continue
                }
                for w in row.warnings {
                    if warnings.count < RowParser.maxWarnings { warnings.append("Row \(row.recordNumber): \(w)") } else { extraWarnings += 1 }
                }
                // Spreadsheets often pad rows with empty trailing cells: those are not ragged.
                while cells.count > width, cells.last?.isEmpty == true { cells.removeLast() }
                if cells.count != width {
                    let message = "The row has \(cells.count) \(cells.count == 1 ? "field" : "fields"), but the header has \(width)."
                    chunk.append(PendingRow(recordNumber: row.recordNumber, cells: cells, values: [], errors: RowErrors(message: message)))
                } else {
                    let outcome = processor.process(cells)
                    if outcome.isValid {
                        chunk.append(PendingRow(recordNumber: row.recordNumber, cells: cells, values: outcome.values, errors: nil))
                    } else {
                        let validation = outcome.errors.map { (column: $0.column, messages: $0.messages) }
                        chunk.append(PendingRow(recordNumber: row.recordNumber, cells: cells, values: [],
                                                errors: RowErrors(message: RowErrors.invalidData, validation: validation)))
                    }
                }
                rowsInChunk += 1
                batchBytes += RowParser.bytes(of: cells)
                let endsChunk = rowsInChunk == chunkSize
                if endsChunk || chunk.count >= batchRows || batchBytes >= RowParser.maxBatchBytes {
                    queue.push(.batch(chunk, bytesRead: reader.bytesRead, rowsRead: rowsRead, endsChunk: endsChunk), weight: batchBytes)
                    batchBytes = 0
                    chunk = []
                    chunk.reserveCapacity(batchRows)
                    recycle.empty()
                    if endsChunk { rowsInChunk = 0 }
                    if stop.isRaised { break }
                }
            }
            if !chunk.isEmpty { queue.push(.batch(chunk, bytesRead: reader.bytesRead, rowsRead: rowsRead, endsChunk: true), weight: batchBytes) }
            if extraWarnings > 0 { warnings.append("… and \(extraWarnings) more warnings.") }
            queue.push(.end(bytesRead: reader.bytesRead, warnings: warnings))
        } catch {
            // The rows before the broken part do not end their chunk: the writer commits them
            // (`none`, `row`) or rolls them back with their chunk (`chunk`) when it sees the failure.
            if !chunk.isEmpty { queue.push(.batch(chunk, bytesRead: reader.bytesRead, rowsRead: rowsRead, endsChunk: false), weight: batchBytes) }
            queue.push(.readFailed(RunExecutor.describe(error)))
        }
    }
}
