import Definitions
import Testing
@testable import Rules

@Suite("Transforms")
struct TransformTests {
    func transformed(_ value: String, _ steps: [TransformSpec], type: ColumnType = .text) throws -> TypedValue {
        let result = try Fixture.single(Fixture.column("v", type: type, transforms: steps), value)
        #expect(result.messages.isEmpty)
        return result.value
    }

    @Test("trim removes surrounding whitespace, including Unicode spaces")
    func trim() throws {
        #expect(try transformed("  Lamp \t", [.trim]) == .text("Lamp"))
        #expect(try transformed("\u{00A0}Lamp\u{00A0}", [.trim]) == .text("Lamp"))
        #expect(try transformed("Lamp", [.trim]) == .text("Lamp"))
    }

    @Test("collapse_whitespace turns runs of whitespace into one space")
    func collapse() throws {
        #expect(try transformed("a  b\t\tc\nd", [.collapseWhitespace]) == .text("a b c d"))
        #expect(try transformed("  a  ", [.trim, .collapseWhitespace]) == .text("a"))
    }

    @Test("lowercase, uppercase and title_case change case, beyond ASCII too")
    func cases() throws {
        #expect(try transformed("MiXeD", [.lowercase]) == .text("mixed"))
        #expect(try transformed("ÉCOLE", [.lowercase]) == .text("école"))
        #expect(try transformed("straße", [.uppercase]) == .text("STRASSE"))
        #expect(try transformed("hELLO wORLD", [.titleCase]) == .text("Hello World"))
    }

    @Test("slug folds accents, drops punctuation and joins words with dashes")
    func slug() throws {
        #expect(try transformed("Crème Brûlée, 2 people!", [.slug]) == .text("creme-brulee-2-people"))
        #expect(try transformed("a_b  c--d", [.slug]) == .text("a-b-c-d"))
        #expect(try transformed("me@home", [.slug]) == .text("me-at-home"))
    }

    @Test("strip_non_digits keeps only digits")
    func stripNonDigits() throws {
        #expect(try transformed("+1 (555) 010-99", [.stripNonDigits]) == .text("155501099"))
    }

    @Test("replace and regex_replace substitute every occurrence")
    func replace() throws {
        #expect(try transformed("a-b-c", [.replace(from: "-", to: "/")]) == .text("a/b/c"))
        #expect(try transformed("SKU 12 34", [.regexReplace(pattern: "/\\s+/", with: "")]) == .text("SKU1234"))
        #expect(try transformed("2024-01-31", [.regexReplace(pattern: "/(\\d+)-(\\d+)-(\\d+)/", with: "$3.$2.$1")]) == .text("31.01.2024"))
        #expect(try transformed("2024-01-31", [.regexReplace(pattern: "(\\d+)-(\\d+)-(\\d+)", with: "$3.$2.$1")]) == .text("31.01.2024"))
        #expect(try transformed("Tel: 555-0199", [.regexReplace(pattern: "[^0-9]+", with: "")]) == .text("5550199"))
        #expect(try transformed("ABC", [.regexReplace(pattern: "/b/i", with: "-")]) == .text("A-C"))
        #expect(try transformed("ABC", [.regexReplace(pattern: "(?i)b", with: "\\$")]) == .text("A$C"))
    }

    @Test("regex_replace with empty matches inserts between characters, as ICU does")
    func regexReplaceEmpty() throws {
        #expect(try transformed("abc", [.regexReplace(pattern: "x*", with: "-")]) == .text("-a-b-c-"))
        #expect(try transformed("xab", [.regexReplace(pattern: "/x*/", with: "-")]) == .text("--a-b-"))
        #expect(try transformed("ab cd", [.regexReplace(pattern: "\\b", with: "|")]) == .text("|ab| |cd|"))
        #expect(try transformed("日本", [.regexReplace(pattern: "/(?:)/", with: ".")]) == .text(".日.本."))
        // Linear even when each match needs a look far ahead (quadratic when searched one by one).
        let long = String(repeating: "a", count: 20_000)
        #expect(try transformed(long, [.regexReplace(pattern: "/a.*b|a/", with: "b")]) == .text(String(repeating: "b", count: 20_000)))
    }

    @Test("null_if makes matching values empty, so they become null")
    func nullIf() throws {
        #expect(try transformed("N/A", [.nullIf(["", "N/A", "-"])]) == .null)
        #expect(try transformed("ok", [.nullIf(["N/A"])]) == .text("ok"))
    }

    @Test("map replaces exact matches and applies its default to the rest")
    func map() throws {
        let steps: [TransformSpec] = [.map(["Y": .string("1"), "N": .string("0")], default: .string("0"))]
        #expect(try transformed("Y", steps, type: .boolean) == .integer(1))
        #expect(try transformed("maybe", steps, type: .boolean) == .integer(0))
        #expect(try transformed("other", [.map(["Y": .string("yes")], default: nil)]) == .text("other"))
    }

    @Test("prefix, suffix, pad_left and substring edit text")
    func edits() throws {
        #expect(try transformed("42", [.prefix("SKU-")]) == .text("SKU-42"))
        #expect(try transformed("42", [.suffix("kg")]) == .text("42kg"))
        #expect(try transformed("42", [.padLeft(length: 8, with: "0")]) == .text("00000042"))
        #expect(try transformed("abcdef", [.substring(start: 1, length: 3)]) == .text("bcd"))
        #expect(try transformed("abcdef", [.substring(start: -2, length: nil)]) == .text("ef"))
        #expect(try transformed("", [.prefix("x")]) == .null)
    }

    @Test("multiply, divide and round work on numbers")
    func arithmetic() throws {
        #expect(try transformed("1.25", [.multiply(1000)], type: .decimal) == .real(1250))
        #expect(try transformed("1250", [.divide(100)], type: .decimal) == .real(12.5))
        #expect(try transformed("2.345", [.round(2)], type: .decimal) == .real(2.35))
        #expect(try transformed("1.5", [.multiply(2)], type: .integer) == .integer(3))
        #expect(try transformed("1.5", [.multiply(2)]) == .text("3"))
    }

    @Test("a numeric transform on text is a validation error, not a silent null")
    func arithmeticOnText() throws {
        let result = try Fixture.single(Fixture.column("weight_g", type: .decimal, transforms: [.multiply(1000)]), "heavy")
        #expect(result.messages == ["The weight g field must be a number."])
    }

    @Test("split makes a JSON list, and later steps apply to each item")
    func split() throws {
        #expect(try transformed("a, b ,,c", [.split(",")]) == .text(#"["a","b","c"]"#))
        #expect(try transformed("a,b", [.split(","), .uppercase]) == .text(#"["A","B"]"#))
        #expect(try transformed("1,2", [.split(",")], type: .integer) == .text("[1,2]"))
    }

    @Test("concat joins source columns with a separator and skips empty parts, where a template keeps them")
    func concat() throws {
        let full = Fixture.column("full_name", from: ["First Name"], transforms: [.concat(columns: ["first_name", "Middle", "Last Name"], separator: " "), .uppercase],
                                  defaultValue: .string("anonymous"))
        let template = ColumnSpec(name: "templated", input: .template("{First Name} {Middle} {Last Name}"))
        let row = [("First Name", "Ada"), ("Middle", " "), ("Last Name", "Lovelace")]
        let outcome = try Fixture.process([full, template], row: row)
        #expect(outcome.values == [.text("ADA LOVELACE"), .text("Ada   Lovelace")])
        let empty = try Fixture.process([full], row: [("First Name", ""), ("Middle", ""), ("Last Name", "")])
        #expect(empty.values == [.text("anonymous")], "every part empty: the default applies")
        let dashed = Fixture.column("code", from: ["A"], transforms: [.concat(columns: ["A", "B", "Missing"], separator: "-")])
        #expect(try Fixture.process([dashed], row: [("A", "x"), ("B", "y")]).values == [.text("x-y")])
    }
}
