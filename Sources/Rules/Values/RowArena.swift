/// A batch of rows in one piece of memory: what crosses from the parse thread to the write thread.
///
/// Every text of the batch (the source cells and the typed values) lives in one contiguous byte
/// buffer; a row is a few integers pointing at its cells, and a cell is 16 bytes of plain data
/// (its kind, and a number or the place of its bytes). Filling the arena copies bytes and writes
/// integers; reading it (binding a row to SQLite with `SQLITE_STATIC`) touches no reference
/// count and allocates nothing. One arena is reused batch after batch (see ``removeAll()``), so a
/// long import allocates its arenas once.
///
/// The shape leaves room for what later issues need: a `list` cell points at a run of cells in
/// ``items`` (list values; rows stay ``width`` cells wide), and a row may name a `parent` row
/// (child rows), so one batch can carry a parent and its children in file order; the byte buffer
/// with offsets is what a `COPY` stream would write from.
///
/// A class handed from one thread to the other with the batch, never used by both at once:
/// hence `@unchecked Sendable`.
package final class RowArena: @unchecked Sendable {
    package enum Kind: UInt8, Sendable {
        case null, integer, real, text
        /// `payload` is the index of the first item in ``items``, `count` the number of items.
        case list
    }

    /// One cell: 16 bytes, no references.
    package struct Cell: Sendable {
        package var kind: Kind
        /// Bytes of a text, items of a list.
        package var count: UInt32
        /// A text's offset in ``base``, an integer, a real's bit pattern, a list's first item.
        package var payload: Int64

        package static let null = Cell(kind: .null, count: 0, payload: 0)
    }

    /// One row: where its source cells and its values are.
    package struct Row: Sendable {
        /// Record number in the source (header = 1).
        package var recordNumber: Int
        /// Index of the first source cell in ``cells``.
        package var source: Int32
        package var sourceCount: Int32
        /// Index of the first value cell (``width`` of them), or -1 for a row that already failed.
        package var values: Int32
        /// A caller's index for what went wrong (e.g. into its own list of errors), or -1.
        package var error: Int32
        /// The row this one belongs to (child rows), or -1 for a row of the source itself.
        package var parent: Int32
    }

    /// Values per valid row (the importer's columns).
    package let width: Int
    /// Where the cells, rows and bytes are. Behind a pointer, not in stored properties: the
    /// per-cell path then pays no exclusivity check (a class's stored `var` costs one per access).
    private struct Storage {
        var bytes: UnsafeMutablePointer<UInt8>
        var byteCount = 0, byteCapacity: Int
        var cells: UnsafeMutablePointer<Cell>
        var cellCount = 0, cellCapacity: Int
        var rows: UnsafeMutablePointer<Row>
        var rowCount = 0, rowCapacity: Int
    }
    private let storage: UnsafeMutablePointer<Storage>
    /// The items of list cells.
    package private(set) var items: [Cell] = []

    package init(width: Int, byteCapacity: Int = 64 << 10, rowCapacity: Int = 256) {
        self.width = width
        let bytes = max(16, byteCapacity), rows = max(1, rowCapacity), cells = max(1, rows * (width * 2 + 2))
        storage = .allocate(capacity: 1)
        storage.initialize(to: Storage(bytes: .allocate(capacity: bytes), byteCapacity: bytes,
                                       cells: .allocate(capacity: cells), cellCapacity: cells,
                                       rows: .allocate(capacity: rows), rowCapacity: rows))
    }

    deinit {
        storage.pointee.bytes.deallocate()
        storage.pointee.cells.deallocate()
        storage.pointee.rows.deallocate()
        storage.deinitialize(count: 1)
        storage.deallocate()
    }

    /// The bytes of every text; stable while nothing is appended.
    @inline(__always)
    package var base: UnsafeMutablePointer<UInt8> { storage.pointee.bytes }
    package var byteCount: Int { storage.pointee.byteCount }
    /// Bytes the arena holds for texts (its memory is about this plus 16 bytes a cell).
    package var capacity: Int { storage.pointee.byteCapacity }
    /// Every cell: each row's source cells, then its values.
    @inline(__always)
    package var cells: UnsafeBufferPointer<Cell> { UnsafeBufferPointer(start: storage.pointee.cells, count: storage.pointee.cellCount) }
    @inline(__always)
    package var rows: UnsafeBufferPointer<Row> { UnsafeBufferPointer(start: storage.pointee.rows, count: storage.pointee.rowCount) }

    /// Empties the arena for the next batch, keeping its memory.
    package func removeAll() {
        storage.pointee.cellCount = 0
        storage.pointee.rowCount = 0
        storage.pointee.byteCount = 0
        items.removeAll(keepingCapacity: true)
    }

    // MARK: Filling

    /// Appends the bytes of `text`; returns their offset.
    @inline(__always)
    package func appendBytes(_ text: String) -> (offset: Int, count: Int) {
        // Small strings (up to 15 bytes) lend no storage; withUTF8 reads them from the stack.
        FormatCheck.withBytes(text) { appendBytes($0) }
    }

    package func appendBytes(_ bytes: UnsafeBufferPointer<UInt8>) -> (offset: Int, count: Int) {
        let s = storage
        let offset = s.pointee.byteCount
        if offset + bytes.count > s.pointee.byteCapacity { growBytes(bytes.count) }
        if let source = bytes.baseAddress, bytes.count > 0 { (s.pointee.bytes + offset).update(from: source, count: bytes.count) }
        s.pointee.byteCount = offset + bytes.count
        return (offset, bytes.count)
    }

    private func growBytes(_ extra: Int) {
        let s = storage
        var capacity = s.pointee.byteCapacity * 2
        while capacity < s.pointee.byteCount + extra { capacity *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        grown.update(from: s.pointee.bytes, count: s.pointee.byteCount)
        s.pointee.bytes.deallocate()
        s.pointee.bytes = grown
        s.pointee.byteCapacity = capacity
    }

    @inline(__always)
    private func appendCell(_ cell: Cell) {
        let s = storage
        if s.pointee.cellCount == s.pointee.cellCapacity { growCells() }
        (s.pointee.cells + s.pointee.cellCount).initialize(to: cell)
        s.pointee.cellCount += 1
    }

    private func growCells() {
        let s = storage
        let capacity = s.pointee.cellCapacity * 2
        let grown = UnsafeMutablePointer<Cell>.allocate(capacity: capacity)
        grown.moveInitialize(from: s.pointee.cells, count: s.pointee.cellCount)
        s.pointee.cells.deallocate()
        s.pointee.cells = grown
        s.pointee.cellCapacity = capacity
    }

    private func appendRow(_ row: Row) {
        let s = storage
        if s.pointee.rowCount == s.pointee.rowCapacity {
            let capacity = s.pointee.rowCapacity * 2
            let grown = UnsafeMutablePointer<Row>.allocate(capacity: capacity)
            grown.moveInitialize(from: s.pointee.rows, count: s.pointee.rowCount)
            s.pointee.rows.deallocate()
            s.pointee.rows = grown
            s.pointee.rowCapacity = capacity
        }
        (s.pointee.rows + s.pointee.rowCount).initialize(to: row)
        s.pointee.rowCount += 1
    }

    /// Appends a cell holding `text`.
    @inline(__always)
    package func appendText(_ text: String) {
        let (offset, count) = appendBytes(text)
        appendCell(Cell(kind: .text, count: UInt32(truncatingIfNeeded: count), payload: Int64(offset)))
    }

    /// Appends a cell holding `value`.
    @inline(__always)
    package func append(_ value: TypedValue) {
        switch value {
        case .null: appendCell(.null)
        case .integer(let i): appendCell(Cell(kind: .integer, count: 0, payload: i))
        case .real(let d): appendCell(Cell(kind: .real, count: 0, payload: Int64(bitPattern: d.bitPattern)))
        case .text(let s): appendText(s)
        }
    }

    /// Appends a list cell whose items are `list` (texts, kept in ``items``).
    package func appendList(_ list: [String]) {
        appendCell(Cell(kind: .list, count: UInt32(list.count), payload: Int64(items.count)))
        for item in list {
            let (offset, count) = appendBytes(item)
            items.append(Cell(kind: .text, count: UInt32(truncatingIfNeeded: count), payload: Int64(offset)))
        }
    }

    /// Starts a row: its source cells are copied now, its values follow with ``append(_:)``
    /// (exactly ``width`` of them) unless `failed` is set. Returns the row's index.
    @discardableResult
    package func beginRow(recordNumber: Int, source: [String], failed: Bool, error: Int32 = -1, parent: Int32 = -1) -> Int {
        let first = Int32(storage.pointee.cellCount)
        for cell in source { appendText(cell) }
        appendRow(Row(recordNumber: recordNumber, source: first, sourceCount: Int32(source.count),
                      values: failed ? -1 : Int32(storage.pointee.cellCount), error: error, parent: parent))
        return storage.pointee.rowCount - 1
    }

    /// Marks row `index` as failed (its values, if any were appended, are ignored).
    package func fail(row index: Int, error: Int32) {
        guard index >= 0 && index < storage.pointee.rowCount else { return }
        storage.pointee.rows[index].values = -1
        storage.pointee.rows[index].error = error
    }

    // MARK: Reading

    /// The bytes of a text cell.
    @inline(__always)
    package func bytes(of cell: Cell) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: base + Int(cell.payload), count: Int(cell.count))
    }

    /// The cell as a value (a list reads as its items joined: lists are not written as such yet).
    package func value(of cell: Cell) -> TypedValue {
        switch cell.kind {
        case .null: return .null
        case .integer: return .integer(cell.payload)
        case .real: return .real(Double(bitPattern: UInt64(bitPattern: cell.payload)))
        case .text: return .text(String(decoding: bytes(of: cell), as: UTF8.self))
        case .list: return .text(items(of: cell).joined(separator: ","))
        }
    }

    /// A list cell's items as texts.
    package func items(of cell: Cell) -> [String] {
        guard cell.kind == .list else { return [] }
        let first = Int(cell.payload)
        return (first..<first + Int(cell.count)).map { String(decoding: bytes(of: items[$0]), as: UTF8.self) }
    }

    /// Value `column` of row `row` (which must not have failed).
    @inline(__always)
    package func value(row: Int, column: Int) -> TypedValue {
        value(of: cells[Int(rows[row].values) + column])
    }

    /// The row's source cells as texts.
    package func source(of row: Int) -> [String] {
        let r = rows[row]
        let first = Int(r.source)
        return (first..<first + Int(r.sourceCount)).map { String(decoding: bytes(of: cells[$0]), as: UTF8.self) }
    }
}
