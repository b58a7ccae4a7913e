import Definitions
import Testing
@testable import Rules

/// The checks every row gets whatever its rules: an empty key (issue 9 item 9) and the size caps
/// on what templates and transforms produce (item 8).
@Suite("Empty keys and value caps")
struct RowGuardTests {
    static func processor(_ definition: ImporterDefinition, header: [String]) throws -> RowProcessor {
        let importer = try CompiledImporter(definition: definition)
        return importer.makeProcessor(resolution: importer.resolve(header: header), run: Fixture.run)
    }

    static func definition(_ columns: [ColumnSpec], key: [String] = [], allowEmptyKey: Bool = false,
                           limits: ValueLimits = ValueLimits()) -> ImporterDefinition {
        ImporterDefinition(slug: "test", target: TargetSpec(table: "items", key: key, onDuplicate: key.isEmpty ? .skip : .update,
                                                            allowEmptyKey: allowEmptyKey),
                           columns: columns, limits: limits)
    }

    @Test("a row whose key column is empty after its transforms fails, naming the column")
    func emptyKey() throws {
        let columns = [
            Fixture.column("sku", transforms: [.trim, .nullIf(["-"])]), Fixture.column("warehouse"), Fixture.column("name"),
        ]
        let processor = try Self.processor(Self.definition(columns, key: ["sku", "warehouse"]), header: ["sku", "warehouse", "name"])
        #expect(processor.process(["A-1", "north", "Lamp"]).isValid)
        for row in [["", "north", "Lamp"], ["  ", "north", "Lamp"], ["-", "north", "Lamp"]] {
            let outcome = processor.process(row)
            #expect(outcome.errors.map(\.column) == ["sku"])
            #expect(outcome.errors.first?.messages == [
                "The sku field is part of the key and must not be empty (set target.allow_empty_key to allow it).",
            ])
        }
        // One column of a composite key is enough to fail the row.
        #expect(processor.process(["A-1", "", "Lamp"]).errors.map(\.column) == ["warehouse"])
    }

    @Test("required, a default or allow_empty_key decide instead")
    func emptyKeyAlternatives() throws {
        let required = try Self.processor(Self.definition([Fixture.column("sku", rules: "required")], key: ["sku"]), header: ["sku"])
        #expect(required.process([""]).errors.first?.messages == ["The sku field is required."])

        let defaulted = try Self.processor(Self.definition([Fixture.column("sku", defaultValue: .string("NONE"))], key: ["sku"]), header: ["sku"])
        #expect(defaulted.process([""]).values == [.text("NONE")])

        let allowed = try Self.processor(Self.definition([Fixture.column("sku")], key: ["sku"], allowEmptyKey: true), header: ["sku"])
        let outcome = allowed.process([""])
        #expect(outcome.isValid)
        #expect(outcome.values == [.null])
    }

    @Test("a template that repeats an 8 KB cell 100,000 times fails at the value cap instead of building 800 MB")
    func templateAmplification() throws {
        let template = String(repeating: "{a}", count: 100_000)
        let column = ColumnSpec(name: "blob", input: .template(template))
        let processor = try Self.processor(Self.definition([column]), header: ["a"])
        let outcome = processor.process([String(repeating: "x", count: 8192)])
        #expect(outcome.errors.map(\.column) == ["blob"])
        #expect(outcome.errors.first?.messages == ["The blob field must not be larger than 1 MiB after its transforms (limits.max_value_bytes)."])
        // A template under the cap is untouched by it.
        #expect(processor.process(["ab"]).values == [.text(String(repeating: "ab", count: 100_000))])
    }

    @Test("regex_replace with an empty match stops at the value cap as it builds; a 10 MB cell is refused before it")
    func emptyMatchReplacement() throws {
        let column = Fixture.column("body", transforms: [.regexReplace(pattern: "/x*/", with: "0123456789")])
        let processor = try Self.processor(Self.definition([column]), header: ["body"])
        let message = ["The body field must not be larger than 1 MiB after its transforms (limits.max_value_bytes)."]
        // 200 KB would become 2.2 MB: the replacement stops past 1 MiB.
        #expect(processor.process([String(repeating: "a", count: 200_000)]).errors.first?.messages == message)
        // 10 MB is over the cap as read, before any transform.
        #expect(processor.process([String(repeating: "a", count: 10 << 20)]).errors.first?.messages == message)
        // Empty matches still replace as ICU does on small values.
        #expect(processor.process(["ab"]).values == [.text("0123456789a0123456789b0123456789")])
    }

    @Test("replace and slug cannot multiply a value past the cap either, and lists count all their items")
    func otherAmplifiers() throws {
        let limits = ValueLimits(maxValueBytes: 1000, maxRowBytes: 1 << 20)
        let columns = [
            Fixture.column("a", transforms: [.replace(from: "x", to: String(repeating: "y", count: 100))]),
            Fixture.column("b", transforms: [.slug]),
            Fixture.column("c", transforms: [.split(","), .suffix(String(repeating: "z", count: 50))]),
        ]
        let processor = try Self.processor(Self.definition(columns, limits: limits), header: ["a", "b", "c"])
        let ok = processor.process(["xx", "a@b", "p,q"])
        #expect(ok.isValid)
        let outcome = processor.process([String(repeating: "x", count: 11), String(repeating: "@", count: 400), String(repeating: "p,", count: 20)])
        #expect(outcome.errors.map(\.column) == ["a", "b", "c"])
        #expect(outcome.errors.allSatisfy { $0.messages.first?.contains("must not be larger than 1000 bytes after its transforms") == true })
        // Exactly at the cap passes: 10 × 100 bytes.
        #expect(processor.process([String(repeating: "x", count: 10), "", ""]).isValid)
    }

    @Test("the row cap fails the column that takes the row past it and skips the rest")
    func rowCap() throws {
        let limits = ValueLimits(maxValueBytes: 1 << 20, maxRowBytes: 1 << 20)
        let columns = [Fixture.column("a"), Fixture.column("b"), Fixture.column("c", rules: "required")]
        let processor = try Self.processor(Self.definition(columns, limits: limits), header: ["a", "b", "c"])
        let half = String(repeating: "x", count: 600_000)
        let outcome = processor.process([half, half, ""])
        #expect(outcome.errors.map(\.column) == ["b"])
        #expect(outcome.errors.first?.messages == ["The b field takes the row past 1 MiB after transforms (limits.max_row_bytes)."])
        // The next row starts from zero.
        #expect(processor.process([half, "y", "z"]).isValid)
    }

    @Test("a definition built in code cannot name a reserved table either")
    func reservedTables() {
        var definition = Self.definition([Fixture.column("a")])
        definition.target.table = "sqlite_sequence"
        definition.columns = [
            ColumnSpec(name: "a", input: .from(["a"]), rules: [RuleSpec(name: "exists", arguments: ["Ingest_Runs", "id"], pointer: "/columns/a/rules/0")],
                       lookup: LookupSpec(table: "sqlite_master", match: "name")),
        ]
        #expect {
            try CompiledImporter(definition: definition)
        } throws: { error in
            guard let error = error as? CompileError else { return false }
            return error.problems.map(\.pointer) == ["/target/table", "/columns/a/lookup/table", "/columns/a/rules/0"]
                && error.problems.allSatisfy { $0.message.contains("is reserved") }
        }
    }
}
