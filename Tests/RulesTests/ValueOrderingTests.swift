import Definitions
import Testing
@testable import Rules

@Suite("update_if_newer's ordering of a column's values")
struct ValueOrderingTests {
    func ordering(_ type: ColumnType, formats: [String] = []) throws -> ValueOrdering {
        try Fixture.importer([Fixture.column("v", type: type, formats: formats)]).columns[0].ordering
    }

    @Test("datetimes compare as instants whatever their text form: T or space, offsets, fractions, the column's formats")
    func datetimes() throws {
        let o = try ordering(.datetime, formats: ["dd.MM.yyyy HH:mm"])
        #expect(o.isNewer(.text("2026-03-15T09:00:00"), than: .text("2026-03-15 12:00:00")) == false)
        #expect(o.isNewer(.text("2026-03-15T13:00:00"), than: .text("2026-03-15 12:00:00")) == true)
        #expect(o.isNewer(.text("2026-03-15T12:00:00"), than: .text("2026-03-15 12:00:00")) == false, "equal is not newer")
        #expect(o.isNewer(.text("2026-03-15T12:00:00.5"), than: .text("2026-03-15 12:00:00.25")) == true)
        #expect(o.isNewer(.text("2026-03-15T11:30:00"), than: .text("2026-03-15T12:00:00+01:00")) == true)
        #expect(o.isNewer(.text("2026-03-15T09:00:00"), than: .text("15.03.2026 08:00")) == true)
        #expect(o.isNewer(.text("2026-03-15T09:00:00"), than: .text("2026-03-15")) == true, "a bare date is midnight")
        #expect(o.isNewer(.text("2026-03-15T09:00:00"), than: .text("soon")) == nil)
    }

    @Test("numbers compare as numbers, also when stored as text")
    func numbers() throws {
        let o = try ordering(.decimal)
        #expect(o.isNewer(.real(10), than: .text("9.5")) == true)
        #expect(o.isNewer(.real(9), than: .integer(10)) == false)
        #expect(o.isNewer(.integer(2), than: .text("x")) == nil)
        let text = try ordering(.text)
        #expect(text.isNewer(.text("b"), than: .text("a")) == true)
        #expect(text.isNewer(.text("a"), than: .text("b")) == false)
    }
}
