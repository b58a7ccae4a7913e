import Definitions
import Testing
@testable import Rules

@Suite("Type coercion")
struct CoercionTests {
    func coerce(_ value: String, _ column: ColumnSpec) throws -> (TypedValue, [String]) {
        let r = try Fixture.single(column, value)
        return (r.value, r.messages)
    }

    @Test("integer accepts a sign, digits and surrounding spaces, and rejects fractions")
    func integer() throws {
        let c = Fixture.column("stock", type: .integer)
        #expect(try coerce("42", c) == (.integer(42), []))
        #expect(try coerce(" -7 ", c) == (.integer(-7), []))
        #expect(try coerce("+3", c) == (.integer(3), []))
        #expect(try coerce("1.0", c) == (.null, ["The stock field must be an integer."]))
        #expect(try coerce("lots", c) == (.null, ["The stock field must be an integer."]))
        #expect(try coerce("99999999999999999999", c).1 == ["The stock field must be an integer."])
    }

    @Test("integer honours a thousands separator")
    func integerThousands() throws {
        var c = Fixture.column("stock", type: .integer)
        c.thousandsSeparator = "."
        #expect(try coerce("1.234.567", c) == (.integer(1_234_567), []))
        #expect(try coerce("1..2", c).1 == ["The stock field must be an integer."])
    }

    @Test("decimal reads separators and stores a real")
    func decimal() throws {
        let c = Fixture.column("price", type: .decimal)
        #expect(try coerce("12.50", c) == (.real(12.5), []))
        #expect(try coerce("-0.5", c) == (.real(-0.5), []))
        #expect(try coerce(".5", c) == (.real(0.5), []))
        #expect(try coerce("1e3", c) == (.real(1000), []))
        #expect(try coerce("0.1", c) == (.real(0.1), []))
        #expect(try coerce("12,50", c) == (.null, ["The price field must be a number."]))
        #expect(try coerce("abc", c).1 == ["The price field must be a number."])
        var eu = Fixture.column("price", type: .decimal)
        eu.decimalSeparator = ","
        eu.thousandsSeparator = "."
        #expect(try coerce("1.234,56", eu) == (.real(1234.56), []))
    }

    @Test("boolean accepts the usual spellings in any case")
    func boolean() throws {
        let c = Fixture.column("active", type: .boolean)
        for yes in ["true", "YES", "y", "1", "On"] { #expect(try coerce(yes, c) == (.integer(1), [])) }
        for no in ["false", "No", "N", "0", "off"] { #expect(try coerce(no, c) == (.integer(0), [])) }
        #expect(try coerce("maybe", c) == (.null, ["The active field must be true or false."]))
    }

    @Test("boolean spellings can be replaced")
    func booleanCustom() throws {
        var c = Fixture.column("active", type: .boolean)
        c.trueValues = ["ja"]
        c.falseValues = ["nein"]
        #expect(try coerce("JA", c) == (.integer(1), []))
        #expect(try coerce("nein", c) == (.integer(0), []))
        #expect(try coerce("yes", c).1 == ["The active field must be true or false."])
    }

    @Test("dates default to ISO 8601 and are stored as yyyy-MM-dd")
    func isoDate() throws {
        let c = Fixture.column("released_on", type: .date)
        #expect(try coerce("2021-03-04", c) == (.text("2021-03-04"), []))
        #expect(try coerce("2021-03-04T00:00:00", c) == (.text("2021-03-04"), []))
        #expect(try coerce("2021-02-29", c) == (.null, ["The released on field must be a valid date."]))
        #expect(try coerce("2020-02-29", c) == (.text("2020-02-29"), []))
        #expect(try coerce("04/03/2021", c) == (.null, ["The released on field must be a valid date."]))
    }

    @Test("date formats are tried in order and impossible dates fail")
    func formats() throws {
        let c = Fixture.column("released_on", type: .date, formats: ["yyyy-MM-dd", "dd.MM.yyyy", "M/d/yy", "d MMM yyyy"])
        #expect(try coerce("04.03.2021", c) == (.text("2021-03-04"), []))
        #expect(try coerce("3/4/21", c) == (.text("2021-03-04"), []))
        #expect(try coerce("4 Mar 2021", c) == (.text("2021-03-04"), []))
        #expect(try coerce("2021-13-45", c) == (.null, ["The released on field must be a valid date."]))
        #expect(try coerce("31.04.2021", c) == (.null, ["The released on field must be a valid date."]))
        #expect(try coerce("soon", c) == (.null, ["The released on field must be a valid date."]))
    }

    @Test("a single explicit format names itself when the shape is wrong")
    func singleFormat() throws {
        let c = Fixture.column("released_on", type: .date, formats: ["yyyy-MM-dd"])
        #expect(try coerce("04.03.2021", c).1 == ["The released on field must match the format yyyy-MM-dd."])
        #expect(try coerce("2021-13-45", c).1 == ["The released on field must be a valid date."])
    }

    @Test("PHP date letters are understood after the php: prefix, and never guessed")
    func phpFormat() throws {
        let c = Fixture.column("released_on", type: .date, formats: ["php:d/m/Y"])
        #expect(try coerce("04/03/2021", c) == (.text("2021-03-04"), []))
        let dotted = Fixture.column("released_on", type: .datetime, formats: ["php:d.m.Y H:i"])
        #expect(try coerce("15.03.2026 12:00", dotted) == (.text("2026-03-15T12:00:00"), []))
        // Without the prefix a pattern is ICU's: 'Y' is not one of its letters, so it is refused.
        #expect(throws: (any Error).self) { try coerce("04/03/2021", Fixture.column("released_on", type: .date, formats: ["d/m/Y"])) }
    }

    @Test("a boolean column with its own spellings takes a JSON boolean default")
    func booleanDefault() throws {
        var c = Fixture.column("active", type: .boolean, defaultValue: .bool(false))
        c.trueValues = ["ja"]
        c.falseValues = ["nein"]
        #expect(try coerce("", c) == (.integer(0), []))
        c.defaultValue = .bool(true)
        #expect(try coerce(" ", c) == (.integer(1), []))
        #expect(try coerce("nein", c) == (.integer(0), []))
    }

    @Test("datetimes are stored as yyyy-MM-ddTHH:mm:ss in UTC")
    func datetime() throws {
        let c = Fixture.column("seen_at", type: .datetime)
        #expect(try coerce("2021-03-04T05:06:07", c) == (.text("2021-03-04T05:06:07"), []))
        #expect(try coerce("2021-03-04 05:06", c) == (.text("2021-03-04T05:06:00"), []))
        #expect(try coerce("2021-03-04T05:06:07.250Z", c) == (.text("2021-03-04T05:06:07.25"), []))
        #expect(try coerce("2021-03-04T01:00:00+02:00", c) == (.text("2021-03-03T23:00:00"), []))
        #expect(try coerce("2021-03-04", c) == (.text("2021-03-04T00:00:00"), []))
        #expect(try coerce("2021-03-04T25:00:00", c).1 == ["The seen at field must be a valid date."])
        let custom = Fixture.column("seen_at", type: .datetime, formats: ["dd.MM.yyyy h:mm a"])
        #expect(try coerce("04.03.2021 1:30 PM", custom) == (.text("2021-03-04T13:30:00"), []))
    }

    @Test("json must parse and is stored compact with key order kept")
    func json() throws {
        let c = Fixture.column("meta", type: .json)
        #expect(try coerce(#"{ "b": 1, "a": [true, null, "x y"] }"#, c) == (.text(#"{"b":1,"a":[true,null,"x y"]}"#), []))
        #expect(try coerce("{oops}", c) == (.null, ["The meta field must be a valid JSON string."]))
    }

    @Test("text keeps the value as it is")
    func text() throws {
        #expect(try coerce("  as is ", Fixture.column("note")) == (.text("  as is "), []))
    }
}

@Suite("Defaults and empty values")
struct DefaultTests {
    @Test("an empty cell without required becomes null")
    func emptyIsNull() throws {
        #expect(try Fixture.single(Fixture.column("price", type: .decimal, rules: "min:0"), "") == (.null, []))
    }

    @Test("default fills an empty cell and is coerced to the type")
    func defaultFills() throws {
        #expect(try Fixture.single(Fixture.column("stock", type: .integer, defaultValue: .integer(0)), "") == (.integer(0), []))
        #expect(try Fixture.single(Fixture.column("stock", type: .integer, defaultValue: .integer(0)), "5") == (.integer(5), []))
    }

    @Test("default applies to a missing column")
    func defaultMissing() throws {
        let outcome = try Fixture.process([Fixture.column("stock", type: .integer, defaultValue: .integer(7))], row: [("Other", "x")])
        #expect(outcome.values == [.integer(7)])
    }

    @Test("default applies after null_if")
    func nullIfThenDefault() throws {
        let column = Fixture.column("status", transforms: [.nullIf(["N/A"])], defaultValue: .string("unknown"))
        #expect(try Fixture.single(column, "N/A") == (.text("unknown"), []))
    }

    @Test("a default that does not fit the type is a compile error")
    func badDefault() {
        #expect(throws: CompileError.self) {
            _ = try Fixture.importer([Fixture.column("stock", type: .integer, defaultValue: .string("many"))])
        }
    }

    @Test("whitespace-only is empty for typed columns")
    func blankTyped() throws {
        #expect(try Fixture.single(Fixture.column("stock", type: .integer), "   ") == (.null, []))
    }
}
