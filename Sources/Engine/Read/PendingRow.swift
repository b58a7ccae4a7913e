import Rules

/// A source row after parsing and validation, on its way to the writer.
struct PendingRow: Sendable {
    /// Record number in the source (header = 1).
    var recordNumber: Int
    var cells: [String]
    /// One per compiled column when the row passed validation.
    var values: [TypedValue]
    /// Set when the row already failed (validation, ragged row).
    var errors: RowErrors?
}

/// What travels from the parse thread to the write thread.
enum PipelineMessage: Sendable {
    /// A batch of rows; `rowsRead` counts the source rows read through its last one (the resume
    /// position once its chunk commits); `endsChunk` marks the last batch of a chunk (a transaction boundary).
    case batch([PendingRow], bytesRead: Int64, rowsRead: Int, endsChunk: Bool)
    /// The reader hit an error it cannot get past; rows before it were sent.
    case readFailed(String)
    case end(bytesRead: Int64, warnings: [String])
}
