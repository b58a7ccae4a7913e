import Testing
import Rules
@testable import Engine

@Suite("Lookup cache keyed by bytes")
struct LookupCacheTests {
    @Test("a text, an integer and a real of the same spelling are three keys")
    func kinds() {
        var cache = LookupCache()
        cache.set(.text("1"), id: 10)
        cache.set(.integer(1), id: 20)
        cache.set(.real(1), id: 30)
        #expect(cache.id(of: .text("1")) == 10 && cache.id(of: .integer(1)) == 20 && cache.id(of: .real(1)) == 30)
        #expect(cache.id(of: .text("01")) == nil && cache.count == 3)
        cache.set(.text("1"), id: 11)
        #expect(cache.id(of: .text("1")) == 11 && cache.count == 3)
    }

    @Test("a row's cell finds its id from the arena's bytes")
    func fromArena() {
        var cache = LookupCache()
        cache.set(.text("kitchen"), id: 3)
        cache.set(.text("Küche"), id: 4)
        cache.set(.integer(-5), id: 5)
        let arena = RowArena(width: 3)
        arena.beginRow(recordNumber: 2, source: ["kitchen", "Küche", "-5"], failed: false)
        for v: TypedValue in [.text("kitchen"), .text("Küche"), .integer(-5)] { arena.append(v) }
        let first = Int(arena.rows[0].values)
        #expect((0..<3).map { cache.id(of: arena.cells[first + $0], base: arena.base) } == [3, 4, 5])
        // The source cells are texts: "-5" as text is not the integer -5.
        #expect(cache.id(of: arena.cells[2], base: arena.base) == nil)
    }

    @Test("removing one key keeps the others, and the table grows past its first slots")
    func removeAndGrow() {
        var cache = LookupCache()
        for i in 0..<1000 { cache.set(.text("value \(i)"), id: Int64(i)) }
        cache.remove(.text("value 500"))
        #expect(cache.count == 999 && cache.id(of: .text("value 500")) == nil)
        #expect((0..<1000).allSatisfy { $0 == 500 || cache.id(of: .text("value \($0)")) == Int64($0) })
        cache.set(.text("value 500"), id: 7)
        #expect(cache.id(of: .text("value 500")) == 7)
        cache.removeAll()
        #expect(cache.count == 0 && cache.id(of: .text("value 1")) == nil)
    }
}
