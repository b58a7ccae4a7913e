import Foundation
import Testing
@testable import Definitions

@Suite("Decoding definitions into the model")
struct DefinitionDecodingTests {
    @Test("the complete example of DEFINITIONS.md decodes to the expected model")
    func completeExample() throws {
        let loaded = TestFixtures.load(TestFixtures.completeExample, fileName: "importers/products.json")
        #expect(loaded.problems == [])
        let definition = try #require(loaded.definition)
        let expected = ImporterDefinition(
            slug: "products",
            name: "Product catalogue",
            description: "Nightly product feed and manual uploads",
            source: SourceSpec(type: .upload, formats: [.csv, .xlsx]),
            target: TargetSpec(table: "products", key: ["sku"], onDuplicate: .update),
            columns: [
                ColumnSpec(name: "sku", input: .from(["SKU", "Product Code"]), type: .text, rules: [
                    RuleSpec(name: "required", pointer: "/columns/sku/rules/0"),
                    RuleSpec(name: "regex", arguments: ["/^SKU-[0-9]{8}$/"], pointer: "/columns/sku/rules/1"),
                ]),
                ColumnSpec(name: "name", input: .from(["Name"]), transforms: [.trim, .collapseWhitespace], rules: [
                    RuleSpec(name: "required", pointer: "/columns/name/rules/0"),
                    RuleSpec(name: "min", arguments: ["2"], pointer: "/columns/name/rules/1"),
                    RuleSpec(name: "max", arguments: ["200"], pointer: "/columns/name/rules/2"),
                ]),
                ColumnSpec(name: "email", input: .from(["Contact Email"]), transforms: [.trim, .lowercase], rules: [
                    RuleSpec(name: "nullable", pointer: "/columns/email/rules/0"),
                    RuleSpec(name: "email", pointer: "/columns/email/rules/1"),
                ]),
                ColumnSpec(name: "price", input: .from(["Price"]), type: .decimal, rules: [
                    RuleSpec(name: "required", pointer: "/columns/price/rules/0"),
                    RuleSpec(name: "min", arguments: ["0"], pointer: "/columns/price/rules/1"),
                ]),
                ColumnSpec(name: "stock", input: .from(["Stock"]), defaultValue: .integer(0), type: .integer, rules: [
                    RuleSpec(name: "min", arguments: ["0"], pointer: "/columns/stock/rules/0"),
                ]),
                ColumnSpec(name: "category_id", input: .from(["Category"]),
                           lookup: LookupSpec(table: "categories", match: "slug", select: "id", createMissing: true)),
                ColumnSpec(name: "released_on", input: .from(["Released On"]), type: .date, formats: ["yyyy-MM-dd", "dd.MM.yyyy"]),
                ColumnSpec(name: "active", input: .from(["Active"]), type: .boolean),
                ColumnSpec(name: "weight_g", input: .from(["Weight (kg)"]), transforms: [.multiply(1000)], type: .decimal),
            ],
            headers: HeaderSpec(match: .normalized, strict: false),
            transaction: .chunk,
            chunkSize: 1000,
            rowLog: .failed
        )
        #expect(definition.slug == expected.slug)
        #expect(definition.source == expected.source)
        #expect(definition.target == expected.target)
        for (actual, wanted) in zip(definition.columns, expected.columns) {
            #expect(actual == wanted, "column \(wanted.name)")
        }
        #expect(definition == expected)
        #expect(loaded.slug == "products")
        #expect(loaded.contentHash == SHA256.hexDigest(Array(TestFixtures.completeExample.utf8)))
        #expect(loaded.contentHash.count == 64)
    }

    @Test("the examples section of DEFINITIONS.md decodes")
    func examplesSection() throws {
        var json = TestFixtures.completeExample
        json = json.replacingOccurrences(of: "\"row_log\": \"failed\",", with: """
          "row_log": "failed",
          "examples": [
            { "row": { "SKU": "SKU-00000001", "Name": "  Lamp ", "Price": "12.5" },
              "expect": { "values": { "sku": "SKU-00000001", "name": "Lamp", "price": 12.5 } } },
            { "row": { "SKU": "bad", "Name": "", "Price": "x" },
              "expect": { "errors": ["sku", "name", "price"] } }
          ],
        """)
        let loaded = TestFixtures.load(json, fileName: "importers/products.json")
        #expect(loaded.problems == [])
        let examples = try #require(loaded.definition?.examples)
        #expect(examples == [
            ExampleSpec(row: ["SKU": .string("SKU-00000001"), "Name": .string("  Lamp "), "Price": .string("12.5")],
                        expectedValues: ["sku": .string("SKU-00000001"), "name": .string("Lamp"), "price": .number(12.5)],
                        pointer: "/examples/0"),
            ExampleSpec(row: ["SKU": .string("bad"), "Name": .string(""), "Price": .string("x")],
                        expectedErrors: ["sku", "name", "price"], pointer: "/examples/1"),
        ])
    }

    @Test("a definition using every key decodes every option")
    func kitchenSink() throws {
        let loaded = TestFixtures.load(TestFixtures.kitchenSink, fileName: "kitchen-sink.json")
        #expect(loaded.problems.map(\.description) == [])
        let d = try #require(loaded.definition)
        #expect(d.slug == "kitchen-sink")
        #expect(d.source == SourceSpec(
            type: .url, url: "https://example.com/feed.csv", timeoutSeconds: 30,
            httpHeaders: ["Accept": "text/csv", "X-Api-Version": "2"], format: .csv,
            csv: CSVOptions(delimiter: UInt8(ascii: ";"), quote: UInt8(ascii: "'"), encoding: .windows1252, headerRow: 2),
            xlsx: XLSXOptions(sheet: .index(2)), json: JSONOptions(pointer: "/data/items")
        ))
        #expect(d.target == TargetSpec(table: "people", key: ["email", "team"], onDuplicate: .updateIfNewer, newerBy: "updated_at",
                                       allowEmptyKey: true, createTable: false, alter: true))
        #expect(d.limits == ValueLimits(maxValueBytes: 65536, maxRowBytes: 1_048_576))
        #expect(d.headers == HeaderSpec(match: .exact, strict: true))
        #expect(d.transaction == .row && d.chunkSize == 500 && d.rowLog == .all)
        #expect(d.errorBudget == ErrorBudget(maxFailedRows: 100, maxFailedRatio: 0.05))
        let columns = Dictionary(uniqueKeysWithValues: d.columns.map { ($0.name, $0) })
        #expect(d.columns.first?.name == "email" && d.columns.last?.name == "origin")
        #expect(columns["team"]?.rules == [
            RuleSpec(name: "required", pointer: "/columns/team/rules/0"),
            RuleSpec(name: "in", arguments: ["red", "blue", "a,b"], pointer: "/columns/team/rules/1"),
            RuleSpec(name: "regex", arguments: ["/^[a-z|,]+$/i"], message: "Teams are lower-case words.", pointer: "/columns/team/rules/2"),
        ])
        #expect(columns["full_name"]?.input == .template("{First Name} {Last Name}"))
        #expect(columns["code"]?.transforms == [
            .stripNonDigits, .padLeft(length: 8, with: "0"), .prefix("C-"), .suffix("-X"),
            .substring(start: 0, length: 12), .replace(from: "--", to: "-"), .regexReplace(pattern: "\\s+", with: " "),
        ])
        #expect(columns["code"]?.sqlType == "VARCHAR(12)")
        #expect(columns["status"]?.transforms == [
            .uppercase, .nullIf(["", "N/A", "-"]),
            .map(["A": .string("active"), "I": .string("inactive")], default: .string("unknown")),
        ])
        #expect(columns["status"]?.defaultValue == .string("unknown"))
        #expect(columns["amount_cents"]?.decimalSeparator == "," && columns["amount_cents"]?.thousandsSeparator == ".")
        #expect(columns["amount_cents"]?.transforms == [.multiply(100), .round(0)])
        #expect(columns["ratio"]?.transforms == [.divide(100)])
        #expect(columns["subscribed"]?.trueValues == ["ja", "J"] && columns["subscribed"]?.falseValues == ["nein", "N"])
        #expect(columns["updated_at"]?.formats == ["yyyy-MM-dd'T'HH:mm:ss", "dd/MM/yyyy hh:mm a"])
        #expect(columns["tags"]?.transforms == [.split(",")] && columns["tags"]?.type == .json)
        #expect(columns["country_id"]?.lookup == LookupSpec(table: "countries", match: "code", onMissing: .null))
        #expect(columns["handle"]?.uniqueInFile == true && columns["handle"]?.nullable == true)
        #expect(columns["batch"]?.input == .value(.string("{{run.id}} from {{ run.original_filename }}")))
        #expect(columns["origin"]?.input == .value(.integer(7)))
        #expect(d.examples.count == 2)
        #expect(d.examples[0].row["Empty"] == .null && d.examples[0].row["N"] == .integer(3))
        #expect(d.examples[1].expectedErrors == ["email", "team"])
    }

    @Test("defaults apply when optional keys are left out")
    func defaults() throws {
        let loaded = TestFixtures.load(#"{"target": {"table": "t"}, "columns": {"a": {"from": "A"}}}"#, fileName: "importers/my-feed.json")
        let d = try #require(loaded.definition)
        #expect(d == ImporterDefinition(slug: "my-feed", target: TargetSpec(table: "t"), columns: [ColumnSpec(name: "a", input: .from(["A"]))]))
        #expect(d.source == SourceSpec(type: .upload))
        #expect(d.headers == HeaderSpec(match: .normalized, strict: false))
        #expect(d.transaction == .none && d.chunkSize == 1000 && d.rowLog == .failed && d.errorBudget == nil)
        #expect(d.limits == ValueLimits(maxValueBytes: 1 << 20, maxRowBytes: 16 << 20) && !d.target.allowEmptyKey)
        #expect(d.target.onDuplicate == .skip && d.target.createTable && d.target.key.isEmpty)
    }

    @Test("source options follow the source type")
    func sourceTypes() throws {
        let filesystem = TestFixtures.load(#"{"source": {"type": "filesystem", "path": "feeds/daily.csv", "json": {"pointer": ""}}, "target": {"table": "t"}, "columns": {"a": {"from": "A"}}}"#)
        #expect(filesystem.definition?.source == SourceSpec(type: .filesystem, path: "feeds/daily.csv", json: JSONOptions(pointer: "")))
        let sheet = TestFixtures.load(#"{"source": {"xlsx": {"sheet": "Data"}, "csv": {"delimiter": "auto", "encoding": "auto"}, "format": "auto"}, "target": {"table": "t"}, "columns": {"a": {"value": null}}}"#)
        #expect(sheet.definition?.source == SourceSpec(xlsx: XLSXOptions(sheet: .name("Data"))))
        #expect(sheet.definition?.columns.first?.input == .value(.null))
    }

    @Test("a key may be a single column name")
    func singleKey() throws {
        let loaded = TestFixtures.load(#"{"target": {"table": "t", "key": "a", "on_duplicate": "upsert"}, "columns": {"a": {"from": "A"}}}"#)
        #expect(loaded.definition?.target == TargetSpec(table: "t", key: ["a"], onDuplicate: .upsert))
    }
}
