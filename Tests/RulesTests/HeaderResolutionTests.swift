import Definitions
import Testing
@testable import Rules

@Suite("Header resolution")
struct HeaderResolutionTests {
    let columns = [
        Fixture.column("sku", from: ["SKU", "Product Code"]),
        Fixture.column("email", from: ["Contact Email"]),
        Fixture.column("weight", from: ["Weight (kg)"]),
    ]

    @Test("normalized matching ignores case, accents, spaces and punctuation")
    func normalized() throws {
        let importer = try Fixture.importer(columns)
        let resolution = importer.resolve(header: ["weight_kg", "CONTACT-EMAIL", " sku "])
        #expect(resolution.missing.isEmpty)
        let outcome = importer.makeProcessor(resolution: resolution, run: Fixture.run).process(["2", "a@b.c", "S1"])
        #expect(outcome.values == [.text("S1"), .text("a@b.c"), .text("2")])
        #expect(HeaderMatcher.normalize("Café Número") == HeaderMatcher.normalize("cafe_numero"))
    }

    @Test("exact matching compares trimmed bytes")
    func exact() throws {
        let importer = try Fixture.importer(columns, headers: HeaderSpec(match: .exact))
        let resolution = importer.resolve(header: [" SKU ", "contact email", "Weight (kg)"])
        #expect(resolution.missing == ["Contact Email"])
        #expect(resolution.isUsable)
    }

    @Test("aliases are tried in order and the first found wins")
    func aliases() throws {
        let importer = try Fixture.importer(columns)
        let onlyAlias = importer.resolve(header: ["Product Code"])
        let outcome = importer.makeProcessor(resolution: onlyAlias, run: Fixture.run).process(["P-1"])
        #expect(outcome.values[0] == .text("P-1"))
        let both = importer.resolve(header: ["Product Code", "SKU"])
        #expect(importer.makeProcessor(resolution: both, run: Fixture.run).process(["alias", "name"]).values[0] == .text("name"))
    }

    @Test("strict headers make a missing header fatal, naming the aliases")
    func strict() throws {
        let importer = try Fixture.importer(columns, headers: HeaderSpec(match: .normalized, strict: true))
        let resolution = importer.resolve(header: ["Contact Email"])
        #expect(!resolution.isUsable)
        #expect(resolution.missing == ["SKU", "Weight (kg)"])
        #expect(resolution.problems == [
            "Missing required headers 'SKU' (expected one of: SKU, Product Code) and 'Weight (kg)'. Found: Contact Email.",
        ])
    }

    @Test("a missing header in lenient mode reads as empty, so required reports it")
    func lenientMissing() throws {
        let outcome = try Fixture.process([Fixture.column("name", from: ["Name"], rules: "required")], row: [("Other", "x")])
        #expect(outcome.errors.first?.messages == ["The name field is required."])
    }

    @Test("short rows read missing cells as empty")
    func shortRow() throws {
        let importer = try Fixture.importer(columns)
        let resolution = importer.resolve(header: ["SKU", "Contact Email", "Weight (kg)"])
        let outcome = importer.makeProcessor(resolution: resolution, run: Fixture.run).process(["S1"])
        #expect(outcome.values == [.text("S1"), .null, .null])
    }

    @Test("a byte order mark on the first header is ignored")
    func bom() throws {
        let importer = try Fixture.importer(columns, headers: HeaderSpec(match: .exact))
        #expect(importer.resolve(header: ["\u{FEFF}SKU"]).missing == ["Contact Email", "Weight (kg)"])
    }
}

@Suite("Templates and run facts")
struct TemplateTests {
    @Test("a template joins source columns resolved like headers")
    func template() throws {
        let columns = [ColumnSpec(name: "full_name", input: .template("{First Name} {Last Name}"), rules: Fixture.rules("required"))]
        let outcome = try Fixture.process(columns, row: [("first_name", "Ada"), ("LAST NAME", "Lovelace")])
        #expect(outcome.values == [.text("Ada Lovelace")])
        let empty = try Fixture.process(columns, row: [("first_name", ""), ("last_name", "")])
        #expect(empty.errors.first?.messages == ["The full name field is required."])
    }

    @Test("a template's missing header is reported, and fatal when strict")
    func templateMissing() throws {
        let columns = [ColumnSpec(name: "full_name", input: .template("{First Name} {Last Name}"))]
        let importer = try Fixture.importer(columns, headers: HeaderSpec(strict: true))
        let resolution = importer.resolve(header: ["First Name"])
        #expect(resolution.missing == ["Last Name"])
        #expect(!resolution.isUsable)
    }

    @Test("value templates take the run's facts")
    func runFacts() throws {
        let columns = [
            ColumnSpec(name: "run_id", input: .value(.string("{{run.id}}")), type: .integer),
            ColumnSpec(name: "source", input: .value(.string("upload: {{ run.original_filename }}"))),
            ColumnSpec(name: "imported_at", input: .value(.string("{{run.started_at}}")), type: .datetime),
            ColumnSpec(name: "origin", input: .value(.string("feed"))),
            ColumnSpec(name: "priority", input: .value(.integer(3)), type: .integer),
        ]
        let outcome = try Fixture.process(columns, row: [("x", "1")])
        #expect(outcome.values == [.integer(42), .text("upload: feed.csv"), .text("2026-11-29T10:30:00"), .text("feed"), .integer(3)])
    }

    @Test("an unknown run fact is a compile error")
    func unknownFact() {
        #expect(throws: CompileError.self) {
            _ = try Fixture.importer([ColumnSpec(name: "x", input: .value(.string("{{run.user}}")))])
        }
    }
}
