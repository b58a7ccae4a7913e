import Rules

/// A batch of parsed and validated source rows on its way to the writer: the rows live in a
/// ``RowArena`` (cell bytes plus offsets), and the few rows that already failed (validation, a
/// ragged row) point at their errors here through `RowArena.Row.error`.
struct RowBatch: Sendable {
    var arena: RowArena
    var errors: [RowErrors] = []
    /// `nest`: per nested table, the child rows of this batch's valid rows, in file order. A
    /// child row's `parent` is its parent's index in ``arena`` and its `recordNumber` its index
    /// in the parent's array (0-based, as in `lines[2]`); it has no source cells.
    var children: [RowArena] = []

    /// Bytes held by the batch's arenas (its rows and their children).
    var byteCount: Int { children.reduce(arena.byteCount) { $0 + $1.byteCount } }

    var count: Int { arena.rows.count }
    var isEmpty: Bool { arena.rows.isEmpty }

    /// The errors row `index` already has, or nil.
    func errors(of index: Int) -> RowErrors? {
        let e = Int(arena.rows[index].error)
        return e >= 0 && e < errors.count ? errors[e] : nil
    }
}

/// What travels from the parse thread to the write thread.
enum PipelineMessage: Sendable {
    /// A batch of rows; `rowsRead` counts the source rows read through its last one (the resume
    /// position once its chunk commits); `endsChunk` marks the last batch of a chunk (a transaction boundary).
    case batch(RowBatch, bytesRead: Int64, rowsRead: Int, endsChunk: Bool)
    /// The reader hit an error it cannot get past; rows before it were sent.
    case readFailed(String, parseCPU: Duration)
    /// The end of the source; `parseCPU` is the CPU time the parse thread used.
    case end(bytesRead: Int64, warnings: [String], parseCPU: Duration)
}
