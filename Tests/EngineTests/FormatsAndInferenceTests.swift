import Foundation
import Testing
import SQLite
@testable import Engine

@Suite("Formats and inferred definitions")
struct FormatsAndInferenceTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let formats = ["csv", "xlsx", "json", "ndjson"]

    func shippedProductsFixture() throws -> EngineFixture {
        let definition = try String(contentsOfFile: Self.repo + "/importers/products.json", encoding: .utf8)
        return try EngineFixture(importers: ["products": definition])
    }

    @Test("the products importer loads identical tables from CSV, XLSX, JSON and NDJSON")
    func identicalTables() throws {
        var tables: [String: [[Value]]] = [:]
        for format in Self.formats {
            let f = try shippedProductsFixture()
            let path = Self.repo + "/examples/products.\(format)"
            let id = try f.engine.createRun(slug: "products", path: path, originalFilename: "products.\(format)", dryRun: false, userID: nil)
            let run = try f.engine.execute(runID: id)
            #expect(run.status == .completedWithErrors, "\(format)")
            #expect(run.summary?.meta.source["format"] == format)
            tables[format] = try f.query("SELECT sku, name, email, price, stock, category_id, released_on, active, weight_g, description FROM products ORDER BY sku")
        }
        #expect(tables["csv"]?.count == 7)
        for format in Self.formats.dropFirst() { #expect(tables[format] == tables["csv"], "\(format) differs from csv") }
    }

    @Test("ingest new infers a definition from each example that checks and imports it", arguments: ["csv", "xlsx", "json", "ndjson"])
    func inferredDefinitionImports(format: String) throws {
        let f = try EngineFixture(importers: [:])
        let sample = Self.repo + "/examples/products.\(format)"
        let inference = DefinitionInference()
        let result = try inference.infer(slug: "inferred", path: sample)
        #expect(result.columns.map(\.name) == ["sku", "name", "contact_email", "price", "stock", "category", "released_on", "active", "weight_kg", "description"])
        #expect(result.columns.first { $0.name == "weight_kg" }?.type == .decimal)
        try f.write(inference.render(result), to: "importers/inferred.json")
        f.engine.registry.load(directory: f.importers)
        let check = f.engine.check(try #require(f.engine.registry.loaded(slug: "inferred")))
        #expect(check.isOK, "\(check.problems)")
        let id = try f.engine.createRun(slug: "inferred", path: sample, originalFilename: "products.\(format)", dryRun: false, userID: nil)
        let run = try f.engine.execute(runID: id)
        #expect(run.status == .completed || run.status == .completedWithErrors)
        #expect(run.counts.created + run.counts.updated >= 14)
    }

    @Test("inference picks types, date formats, required and a key from a clean sample")
    func cleanSample() throws {
        let f = try EngineFixture(importers: [:])
        let path = try f.write("""
            ID,Full Name,E-mail,Joined,Score,Ratio,Member,Zip
            1,Ada,ada@example.org,10.12.2015,3,0.5,yes,01234
            2,Grace,grace@example.org,09.12.1906,,1.25,no,90210
            3,Linus,,28.12.1969,7,2,yes,00501

            """, to: "sample.csv")
        let result = try DefinitionInference().infer(slug: "people", path: path)
        let byName = Dictionary(uniqueKeysWithValues: result.columns.map { ($0.name, $0) })
        #expect(byName["id"]?.type == .integer && byName["id"]?.required == true)
        #expect(byName["full_name"]?.type == .text)
        #expect(byName["e_mail"]?.email == true && byName["e_mail"]?.required == false)
        #expect(byName["joined"]?.type == .date && byName["joined"]?.formats == ["dd.MM.yyyy"])
        #expect(byName["score"]?.type == .integer && byName["score"]?.required == false)
        #expect(byName["ratio"]?.type == .decimal)
        #expect(byName["member"]?.type == .boolean)
        #expect(byName["zip"]?.type == .text)  // leading zeros are kept
        #expect(result.key == "id")
        #expect(DefinitionInference.snakeCase("Weight (kg)", index: 0) == "weight_kg")
        #expect(DefinitionInference.snakeCase("firstName", index: 0) == "first_name")
        #expect(DefinitionInference.snakeCase("Ünïcode Näme", index: 0) == "unicode_name")
        #expect(DefinitionInference.snakeCase("2nd", index: 0) == "c_2nd")
        #expect(DefinitionInference.snakeCase("!!!", index: 4) == "column_5")
    }

    @Test("a JSON run reads only the keys its definition maps: aliases, templates and nested names; retry works from the logged keys")
    func jsonKeySelection() throws {
        let definition = """
            {
              "target": { "table": "people", "key": ["id"], "on_duplicate": "update" },
              "headers": { "strict": true },
              "columns": {
                "id": { "from": ["ID", "Person Id"], "rules": "required" },
                "full_name": { "template": "{first} {Last Name}", "rules": "required|min:5" },
                "city": { "from": "address.city" }
              }
            }
            """
        let f = try EngineFixture(importers: ["people": definition])
        let json = """
            [{"person_id": 1, "first": "Ada", "last_name": "Lovelace", "address": {"city": "London", "zip": "N1"}, "secret": "s1"},
             {"person_id": 2, "first": "Al", "last_name": "", "address": {"city": "Paris"}, "secret": "s2", "extra": [1, 2]}]
            """
        let path = try f.write(json, to: "files/people.json")
        let id = try f.engine.createRun(slug: "people", path: path, originalFilename: "people.json", dryRun: false, userID: nil)
        let run = try f.engine.execute(runID: id)
        #expect(run.status == .completedWithErrors)
        #expect(try f.query("SELECT id, full_name, city FROM people") == [[.text("1"), .text("Ada Lovelace"), .text("London")]])
        // The failed row is logged with the keys the definition reads, as the file spells them.
        let failed = try f.failedRows(id)
        #expect(failed.map { $0.data.map(\.key) } == [["person_id", "first", "last_name", "address.city"]])
        #expect(failed.first?.data.map(\.value) == ["2", "Al", "", "Paris"])
        // Relaxed, the retry imports it from those keys alone.
        try f.redefine("people", definition.replacingOccurrences(of: "required|min:5", with: "required"))
        let retry = try f.retry(id)
        #expect(retry.status == .completed)
        #expect(try f.query("SELECT full_name, city FROM people WHERE id = '2'") == [[.text("Al "), .text("Paris")]])

        // Strict headers still see a mapped key that no sampled object has.
        let missing = try f.write(#"[{"id": 1, "first": "Ada", "address": {"city": "X"}}]"#, to: "files/missing.json")
        let strictID = try f.engine.createRun(slug: "people", path: missing, originalFilename: "missing.json", dryRun: false, userID: nil)
        let strict = try f.engine.execute(runID: strictID)
        #expect(strict.status == .failed)
        #expect(strict.failureReason == "Missing required header 'Last Name'. Found: id, first, address.city.")
    }
}
