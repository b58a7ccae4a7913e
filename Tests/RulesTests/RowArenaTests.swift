import Testing
@testable import Rules

@Suite("Row arena")
struct RowArenaTests {
    @Test("rows keep their source cells and values, texts in one buffer")
    func roundTrip() {
        let arena = RowArena(width: 4, byteCapacity: 16)
        arena.beginRow(recordNumber: 2, source: ["A1", "Äpfel", "", "1.5"], failed: false)
        for v: TypedValue in [.text("A1"), .text("Äpfel"), .null, .real(1.5)] { arena.append(v) }
        let long = String(repeating: "x", count: 100)
        arena.beginRow(recordNumber: 3, source: ["bad"], failed: true, error: 0)
        arena.beginRow(recordNumber: 4, source: [long, "", "", "7"], failed: false)
        for v: TypedValue in [.text(long), .text(""), .integer(-7), .integer(Int64.max)] { arena.append(v) }
        #expect(arena.rows.map(\.recordNumber) == [2, 3, 4])
        #expect(arena.source(of: 0) == ["A1", "Äpfel", "", "1.5"] && arena.source(of: 1) == ["bad"])
        #expect((0..<4).map { arena.value(row: 0, column: $0) } == [.text("A1"), .text("Äpfel"), .null, .real(1.5)])
        #expect(arena.rows[1].values == -1 && arena.rows[1].error == 0)
        #expect((0..<4).map { arena.value(row: 2, column: $0) } == [.text(long), .text(""), .integer(-7), .integer(Int64.max)])
        // Grown past its first 16 bytes, the earlier texts are still there.
        #expect(arena.capacity >= arena.byteCount && arena.byteCount > 200)
        #expect(arena.value(row: 0, column: 1) == .text("Äpfel"))
    }

    @Test("emptied for the next batch, it keeps its memory")
    func reuse() {
        let arena = RowArena(width: 1)
        arena.beginRow(recordNumber: 2, source: ["x"], failed: false)
        arena.append(.text("x"))
        let capacity = arena.capacity
        arena.removeAll()
        #expect(arena.rows.isEmpty && arena.cells.isEmpty && arena.byteCount == 0 && arena.capacity == capacity)
        arena.beginRow(recordNumber: 9, source: ["y"], failed: false)
        arena.append(.text("y"))
        #expect(arena.value(row: 0, column: 0) == .text("y") && arena.rows[0].recordNumber == 9)
    }

    @Test("a list cell carries its items, a row may name its parent")
    func listsAndChildren() {
        let arena = RowArena(width: 2)
        arena.beginRow(recordNumber: 2, source: ["a;b", "1"], failed: false)
        arena.appendList(["a", "b"])
        arena.append(.integer(1))
        let child = arena.beginRow(recordNumber: 2, source: ["a"], failed: false, parent: 0)
        arena.append(.text("a"))
        arena.append(.null)
        let list = arena.cells[Int(arena.rows[0].values)]
        #expect(list.kind == .list && arena.items(of: list) == ["a", "b"])
        // The items live apart, so the row stays two cells wide.
        #expect(arena.value(row: 0, column: 1) == .integer(1) && arena.items.count == 2)
        #expect(arena.rows[child].parent == 0 && arena.value(row: child, column: 0) == .text("a"))
    }
}

@Suite("Character counts for min, max, size and between")
struct CharacterCountTests {
    @Test("multi-byte characters count once, wherever they fall in an eight-byte word")
    func counts() {
        let samples = ["", "a", "abcdefgh", "abcdefghi", "Äpfel", "1234567Ä", "12345678Ä", "ÄÖÜäöüß€", "日本語のテキスト", "x😀y😀z", String(repeating: "é", count: 37)]
        for s in samples {
            #expect(FormatCheck.length(s) == s.unicodeScalars.count, "\(s)")
        }
    }
}
