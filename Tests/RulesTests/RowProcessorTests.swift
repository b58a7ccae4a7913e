import Definitions
import Testing
@testable import Rules

@Suite("Row processing")
struct RowProcessorTests {
    @Test("errors are ordered by column, then by rule")
    func ordering() throws {
        let columns = [
            Fixture.column("sku", rules: "required|regex:/^SKU-[0-9]{8}$/"),
            Fixture.column("name", rules: "required|min:2"),
            Fixture.column("price", type: .decimal, rules: "required|min:0"),
        ]
        let outcome = try Fixture.process(columns, row: [("sku", "bad"), ("name", ""), ("price", "x")])
        #expect(outcome.errors.map(\.column) == ["sku", "name", "price"])
        #expect(outcome.errors.map(\.messages) == [
            ["The sku field format is invalid."], ["The name field is required."], ["The price field must be a number."],
        ])
        #expect(!outcome.isValid)
    }

    @Test("a valid row yields one typed value per column")
    func valid() throws {
        let columns = [
            Fixture.column("sku", from: ["SKU"], rules: "required|regex:/^SKU-[0-9]{8}$/"),
            Fixture.column("name", from: ["Name"], rules: "required|min:2|max:200", transforms: [.trim, .collapseWhitespace]),
            Fixture.column("email", from: ["Contact Email"], rules: "nullable|email", transforms: [.trim, .lowercase]),
            Fixture.column("price", from: ["Price"], type: .decimal, rules: "required|min:0"),
            Fixture.column("stock", from: ["Stock"], type: .integer, rules: "min:0", defaultValue: .integer(0)),
            Fixture.column("released_on", from: ["Released On"], type: .date, formats: ["yyyy-MM-dd", "dd.MM.yyyy"]),
            Fixture.column("active", from: ["Active"], type: .boolean),
        ]
        let outcome = try Fixture.process(columns, row: [
            ("SKU", "SKU-00000001"), ("Name", "  Desk   Lamp "), ("Contact Email", " Ada@Example.COM "), ("Price", "12.5"),
            ("Stock", ""), ("Released On", "04.03.2021"), ("Active", "yes"),
        ])
        #expect(outcome.isValid)
        #expect(outcome.values == [
            .text("SKU-00000001"), .text("Desk Lamp"), .text("ada@example.com"), .real(12.5), .integer(0), .text("2021-03-04"), .integer(1),
        ])
    }

    @Test("distinct lets the first occurrence pass and fails the later ones")
    func distinct() throws {
        let importer = try Fixture.importer([Fixture.column("sku", rules: "distinct"), Fixture.column("code", uniqueInFile: true)])
        let processor = importer.makeProcessor(resolution: importer.resolve(header: ["sku", "code"]), run: Fixture.run)
        #expect(processor.process(["A", "1"]).isValid)
        #expect(processor.process(["B", "2"]).isValid)
        let repeated = processor.process(["A", "1"])
        #expect(repeated.errors.map(\.column) == ["sku", "code"])
        #expect(repeated.errors[0].messages == ["The sku field has a duplicate value."])
        #expect(processor.process(["", "3"]).isValid)
        #expect(processor.process(["", "4"]).isValid)  // empty values are not duplicates
        // A fresh processor (a new run) starts over.
        let next = importer.makeProcessor(resolution: importer.resolve(header: ["sku", "code"]), run: Fixture.run)
        #expect(next.process(["A", "1"]).isValid)
    }

    @Test("a failed row does not claim its distinct values")
    func distinctFailedRow() throws {
        let importer = try Fixture.importer([Fixture.column("sku", rules: "distinct"), Fixture.column("name", rules: "required")])
        let processor = importer.makeProcessor(resolution: importer.resolve(header: ["sku", "name"]), run: Fixture.run)
        #expect(!processor.process(["A", ""]).isValid)
        #expect(processor.process(["A", "ok"]).isValid)
    }

    @Test("compiled columns describe SQL types, keys, nullability and lookups")
    func compiledColumns() throws {
        let lookup = LookupSpec(table: "categories", match: "slug", select: "id", createMissing: true)
        let importer = try CompiledImporter(definition: Fixture.definition([
            Fixture.column("sku", rules: "required"),
            Fixture.column("price", type: .decimal),
            Fixture.column("active", type: .boolean),
            ColumnSpec(name: "category_id", input: .from(["Category"]), lookup: lookup),
            ColumnSpec(name: "code", input: .from(["Code"]), sqlType: "VARCHAR(8)"),
        ], key: ["sku"]))
        #expect(importer.columns.map(\.sqlType) == ["TEXT", "REAL", "INTEGER", "INTEGER", "VARCHAR(8)"])
        #expect(importer.columns.map(\.isKey) == [true, false, false, false, false])
        #expect(importer.columns.map(\.nullable) == [false, true, true, true, true])
        #expect(importer.columns[3].lookupMissingMessage(value: "x") == "No categories found where slug = 'x'.")
        let outcome = importer.makeProcessor(resolution: importer.resolve(header: ["sku", "Category"]), run: Fixture.run).process(["S", "toys"])
        #expect(outcome.values[3] == .text("toys"))
    }
}

@Suite("Compile errors")
struct CompileErrorTests {
    @Test("every semantic problem is reported with its pointer")
    func allProblems() {
        var bad = Fixture.column("sku")
        bad.rules = [
            RuleSpec(name: "regex", arguments: ["/([a-z/"], pointer: "/columns/sku/rules/0"),
            RuleSpec(name: "min", arguments: ["two"], pointer: "/columns/sku/rules/1"),
            RuleSpec(name: "required_if", arguments: ["nope", "x"], pointer: "/columns/sku/rules/2"),
        ]
        let date = Fixture.column("on", type: .date, formats: ["yyyy-QQ-dd"])
        do {
            _ = try CompiledImporter(definition: Fixture.definition([bad, date], key: ["missing"]))
            Issue.record("expected a compile error")
        } catch {
            #expect(error.problems.map(\.pointer) == [
                "/columns/sku/rules/0", "/columns/sku/rules/1", "/columns/sku/rules/2", "/columns/on/formats/0", "/target/key/0",
            ])
            #expect(error.description.contains("/columns/sku/rules/1: min needs one number"))
        }
    }
}
