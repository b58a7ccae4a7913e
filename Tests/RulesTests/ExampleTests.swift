import Definitions
import Testing
@testable import Rules

@Suite("Definition examples")
struct ExampleTests {
    let importer: CompiledImporter

    init() throws {
        importer = try Fixture.importer([
            Fixture.column("sku", from: ["SKU"], rules: "required|regex:/^SKU-[0-9]{8}$/"),
            Fixture.column("name", from: ["Name"], rules: "required", transforms: [.trim]),
            Fixture.column("price", from: ["Price"], type: .decimal, rules: "required"),
            Fixture.column("active", from: ["Active"], type: .boolean),
        ])
    }

    @Test("an example whose values match passes")
    func valuesPass() {
        let example = ExampleSpec(
            row: ["SKU": .string("SKU-00000001"), "Name": .string("  Lamp "), "Price": .string("12.5"), "Active": .string("yes")],
            expectedValues: ["sku": .string("SKU-00000001"), "name": .string("Lamp"), "price": .number(12.5), "active": .bool(true)])
        let result = importer.check(example: example, run: Fixture.run)
        #expect(result.passed)
        #expect(result.mismatches.isEmpty)
    }

    @Test("numbers compare numerically")
    func numeric() {
        let example = ExampleSpec(row: ["SKU": .string("SKU-00000001"), "Name": .string("x"), "Price": .integer(12)],
                                  expectedValues: ["price": .integer(12)])
        #expect(importer.check(example: example, run: Fixture.run).passed)
    }

    @Test("a value mismatch is described")
    func valuesFail() {
        let example = ExampleSpec(row: ["SKU": .string("SKU-00000001"), "Name": .string("Lamp"), "Price": .string("12.5")],
                                  expectedValues: ["name": .string("Desk"), "price": .number(13)])
        let result = importer.check(example: example, run: Fixture.run)
        #expect(!result.passed)
        #expect(result.mismatches == [
            "Column 'name': expected \"Desk\", got \"Lamp\".",
            "Column 'price': expected 13, got 12.5.",
        ])
    }

    @Test("expected errors must name exactly the failing columns")
    func errors() {
        let row: [String: JSONScalar] = ["SKU": .string("bad"), "Name": .string(""), "Price": .string("x")]
        #expect(importer.check(example: ExampleSpec(row: row, expectedErrors: ["sku", "name", "price"]), run: Fixture.run).passed)
        let missing = importer.check(example: ExampleSpec(row: row, expectedErrors: ["sku", "name"]), run: Fixture.run)
        #expect(!missing.passed)
        #expect(missing.mismatches == ["Column 'price' failed unexpectedly: The price field must be a number."])
        let extra = importer.check(example: ExampleSpec(row: ["SKU": .string("SKU-00000001"), "Name": .string("a"), "Price": .string("1")],
                                                        expectedErrors: ["sku"]), run: Fixture.run)
        #expect(extra.mismatches == ["Expected column 'sku' to fail, but it passed."])
    }

    @Test("an unexpected failure in a values example is reported")
    func unexpectedFailure() {
        let result = importer.check(example: ExampleSpec(row: ["SKU": .string("nope"), "Name": .string("a"), "Price": .string("1")],
                                                         expectedValues: ["name": .string("a")]), run: Fixture.run)
        // The message names the source header `SKU` as Laravel shows it (`Str::snake`): "s k u".
        #expect(result.mismatches == ["Column 'sku' failed: The s k u field format is invalid."])
    }
}
