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
    private let queue: BoundedQueue<PipelineMessage>
    private let stop: CancellationFlag
    /// Warnings kept for the summary; more are counted, not stored.
    private static let maxWarnings = 20

    init(reader: Handoff<any TableReader>, processor: Handoff<RowProcessor>, header: [String], chunkSize: Int,
         queue: BoundedQueue<PipelineMessage>, stop: CancellationFlag) {
        self.reader = reader.value
        self.processor = processor.value
        self.header = header
        self.chunkSize = max(1, chunkSize)
        self.queue = queue
        self.stop = stop
    }

    func run() {
        var chunk: [PendingRow] = []
        chunk.reserveCapacity(chunkSize)
        var warnings: [String] = []
        var extraWarnings = 0
        let width = header.count
        do {
            while let row = try reader.nextRow() {
                var cells = row.cells
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
                if chunk.count >= chunkSize {
                    queue.push(.chunk(chunk, bytesRead: reader.bytesRead))
                    chunk.removeAll(keepingCapacity: true)
                    if stop.isRaised { break }
                }
            }
            if !chunk.isEmpty { queue.push(.chunk(chunk, bytesRead: reader.bytesRead)) }
            if extraWarnings > 0 { warnings.append("… and \(extraWarnings) more warnings.") }
            queue.push(.end(bytesRead: reader.bytesRead, warnings: warnings))
        } catch {
            if !chunk.isEmpty { queue.push(.chunk(chunk, bytesRead: reader.bytesRead)) }
            queue.push(.readFailed(RunExecutor.describe(error)))
        }
    }
}
