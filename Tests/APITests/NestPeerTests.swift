import Engine
import Foundation
import SQLite
import Testing

/// Laravel Ingest's tests about nested mappings (NestedMappingTest, DeepNestingTest,
/// NestedMappingReuseTest and the nested cases of DataTransformationServiceTest), each carrying
/// the peer's test name and written as an Ingest definition run on a real NDJSON file with
/// `ingest run` (the API path is covered by ``NestTests``). The peer's `nest` builds child arrays
/// from a row (its `processNestedData`); Ingest writes them into a child table, so each case
/// reads the child table back. Where the peer's behaviour does not carry over, the test says so.
@Suite("Laravel Ingest's nest cases")
struct NestPeerTests {
    /// An `orders` importer whose `nest` is `columns` (and `extra` keys) for the array at `path`.
    static func definition(path: String = "line_items", columns: String, extra: String = "", parent: String? = nil) -> String {
        let parentColumns = parent ?? #""order_id": { "from": "order_id" }"#
        return """
        { "source": { "formats": ["ndjson", "json"] },
          "target": { "table": "orders", "key": "order_id", "on_duplicate": "update" },
          "columns": { \(parentColumns) },
          "nest": [{ "path": "\(path)", "table": "items", "parent_column": "order_ref", "columns": { \(columns) }\(extra) }] }
        """
    }

    /// Runs `ndjson` through `definition`; the run and the child table's rows (`columns`, as text).
    static func run(_ definition: String, _ ndjson: String, select columns: String) throws -> (run: JSONRun, rows: [[String]], fixture: ProcessFixture) {
        let f = try ProcessFixture(importers: ["orders": definition])
        try f.write(ndjson, to: "in.ndjson")
        let result = try f.ingest(["run", "orders", f.root + "/in.ndjson", "--json"])
        let run = try JSONRun(result.stdout)
        guard try Connection(path: f.database).tableExists("items") else { return (run, [], f) }
        let rows = try f.query("SELECT \(columns) FROM items ORDER BY id").map { row in
            row.map { $0.textValue ?? $0.integerValue.map(String.init) ?? $0.realValue.map { String($0) } ?? "NULL" }
        }
        return (run, rows, f)
    }

    // MARK: - NestedMappingTest

    @Test("creates nested config via nest method")
    func createsNestedConfig() throws {
        let definition = Self.definition(columns: #""product_sku": { "from": "sku" }, "quantity": { "from": "qty", "type": "integer", "transform": [{ "multiply": 1 }] }"#)
        let f = try ProcessFixture(importers: ["orders": definition])
        let check = try f.ingest(["check"])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("child table 'items' (/nest/0) will be created on the first run"), "\(check.stdout)")
    }

    @Test("nested config stores mappings")
    func storesMappings() throws {
        let r = try Self.run(Self.definition(path: "items", columns: #""product_sku": { "from": "sku" }, "unit_price": { "from": "price" }"#),
                             #"{"order_id": "1", "items": [{"sku": "ABC", "price": "9.99"}]}"# + "\n", select: "product_sku, unit_price, order_ref")
        #expect(r.run.status == "completed", "\(r.run.json)")
        #expect(r.rows == [["ABC", "9.99", "1"]])
    }

    @Test("nested config stores transformers")
    func storesTransformers() throws {
        let r = try Self.run(Self.definition(path: "items", columns: #""qty": { "from": "quantity", "type": "integer", "transform": [{ "multiply": 2 }] }"#),
                             #"{"order_id": "1", "items": [{"quantity": 4}]}"# + "\n", select: "qty")
        #expect(r.rows == [["8"]], "\(r.run.json)")
    }

    @Test("nested config supports keyedBy")
    func supportsKeyedBy() throws {
        // keyedBy is the child's `key`: a second import updates the child instead of adding one.
        let definition = Self.definition(path: "items", columns: #""product_sku": { "from": "sku" }, "qty": { "from": "qty", "type": "integer" }"#,
                                         extra: #", "key": ["order_ref", "product_sku"], "on_duplicate": "update""#)
        let f = try ProcessFixture(importers: ["orders": definition])
        try f.write(#"{"order_id": "1", "items": [{"sku": "ABC", "qty": 1}]}"# + "\n", to: "a.ndjson")
        try f.write(#"{"order_id": "1", "items": [{"sku": "ABC", "qty": 5}]}"# + "\n", to: "b.ndjson")
        #expect(try f.ingest(["run", "orders", f.root + "/a.ndjson"]).status == 0)
        #expect(try f.ingest(["run", "orders", f.root + "/b.ndjson"]).status == 0)
        #expect(try f.query("SELECT product_sku, qty FROM items").map { [$0[0].textValue ?? "", String($0[1].integerValue ?? -1)] } == [["ABC", "5"]])
    }

    @Test("can chain nest with other config methods")
    func chainsWithOtherKeys() throws {
        let definition = Self.definition(columns: #""product_sku": { "from": "sku" }"#,
                                         parent: #""order_id": { "from": "order_id", "rules": "required" }, "email": { "from": "customer_email", "rules": "email" }"#)
        let r = try Self.run(definition, #"{"order_id": "7", "customer_email": "a@b.test", "line_items": [{"sku": "X"}]}"# + "\n", select: "product_sku, order_ref")
        #expect(r.run.status == "completed", "\(r.run.json)")
        #expect(try r.fixture.query("SELECT order_id, email FROM orders").map { $0.compactMap(\.textValue) } == [["7", "a@b.test"]])
        #expect(r.rows == [["X", "7"]])
    }

    @Test("nested config stores validators")
    func storesValidators() throws {
        let r = try Self.run(Self.definition(path: "items", columns: #""email": { "from": "email", "rules": "email" }"#),
                             #"{"order_id": "1", "items": [{"email": "ok@x.test"}, {"email": "nope"}]}"# + "\n" + #"{"order_id": "2", "items": [{"email": "b@x.test"}]}"# + "\n",
                             select: "email, order_ref")
        #expect(r.run.status == "completed_with_errors", "\(r.run.json)")
        #expect(r.rows == [["b@x.test", "2"]])
        #expect(r.run.json["summary"]?["errors"]?.arrayValue?.compactMap(\.stringValue).contains { $0.contains("items[1].email:") } == true, "\(r.run.json)")
    }

    @Test("nested map supports aliases")
    func mapAliases() throws {
        let r = try Self.run(Self.definition(path: "items", columns: #""product_sku": { "from": ["sku", "SKU"] }"#),
                             #"{"order_id": "1", "items": [{"sku": "a"}, {"SKU": "b"}]}"# + "\n", select: "product_sku")
        #expect(r.rows == [["a"], ["b"]], "\(r.run.json)")
    }

    @Test("nested mapAndTransform supports aliases")
    func transformAliases() throws {
        let r = try Self.run(Self.definition(path: "items", columns: #""amount": { "from": ["qty", "quantity"], "type": "integer", "transform": [{ "multiply": 2 }] }"#),
                             #"{"order_id": "1", "items": [{"qty": 3}, {"quantity": 5}]}"# + "\n", select: "amount")
        #expect(r.rows == [["6"], ["10"]], "\(r.run.json)")
    }

    // MARK: - DeepNestingTest

    @Test("flattens deeply nested data via beforeRow callback for single-level nest mapping")
    func deepNesting() throws {
        // Ingest has no beforeRow callback and no nest inside a nest: an array of arrays cannot be
        // flattened into one child table. What carries over: the array may sit inside a nested
        // object (a dotted path), and an element's nested objects are read with dotted keys.
        let definition = Self.definition(path: "shipment.packages",
                                         columns: #""tracking_number": { "from": "tracking.number" }, "package_reference": { "from": "reference" }, "weight_kg": { "from": "weight_kg", "type": "decimal" }"#)
        let ndjson = #"{"order_id": "ORD-999", "shipment": {"packages": [{"tracking": {"number": "TRACK-001"}, "reference": "PKG-A1", "weight_kg": "1.5"}, {"tracking": {"number": "TRACK-001"}, "reference": "PKG-A2", "weight_kg": "2.0"}, {"tracking": {"number": "TRACK-002"}, "reference": "PKG-B1", "weight_kg": "0.8"}]}}"# + "\n"
        let r = try Self.run(definition, ndjson, select: "tracking_number, package_reference, weight_kg")
        #expect(r.run.status == "completed", "\(r.run.json)")
        #expect(r.rows == [["TRACK-001", "PKG-A1", "1.5"], ["TRACK-001", "PKG-A2", "2.0"], ["TRACK-002", "PKG-B1", "0.8"]])
    }

    @Test("handles empty deep nested structures gracefully")
    func emptyNested() throws {
        let r = try Self.run(Self.definition(path: "shipments", columns: #""tracking_number": { "from": "tracking" }"#),
                             #"{"order_id": "ORD-000", "shipments": []}"# + "\n", select: "tracking_number")
        #expect(r.run.status == "completed", "\(r.run.json)")
        #expect(try r.fixture.count("orders") == 1)
        #expect(r.rows == [])
    }

    @Test("validates flattened nested items using mapAndValidate")
    func validatesNestedItems() throws {
        let r = try Self.run(Self.definition(path: "shipments", columns: #""tracking_number": { "from": "tracking", "rules": "regex:/^TRACK-[0-9]+$/" }"#),
                             #"{"order_id": "1", "shipments": [{"tracking": "TRACK-1"}, {"tracking": "bogus"}]}"# + "\n", select: "tracking_number")
        #expect(r.run.status == "completed_with_errors", "\(r.run.json)")
        #expect(r.rows == [])
        #expect(r.run.json["summary"]?["errors"]?.arrayValue?.compactMap(\.stringValue).contains { $0.contains("shipments[1].tracking_number:") } == true)
    }

    // MARK: - NestedMappingReuseTest

    /// The peer's ProductMapping as child columns: product_id, name, price (numeric), sku.
    static let productColumns = #""product_id": { "from": "product_id" }, "name": { "from": "product_name" }, "price": { "from": "price_cents", "type": "decimal" }, "sku": { "from": "sku" }"#

    @Test("applies a reusable mapping inside a nest block")
    func reusableMappingInsideNest() throws {
        // Definitions are JSON: no mapping objects to apply. The same column object written
        // inside `nest` is the counterpart; the check compiles it.
        let f = try ProcessFixture(importers: ["orders": Self.definition(columns: Self.productColumns)])
        #expect(try f.ingest(["check"]).status == 0)
    }

    @Test("transforms nested data using a reusable mapping")
    func transformsWithReusableMapping() throws {
        let ndjson = #"{"order_id": "1", "items": [{"product_id": "P-001", "product_name": "Widget", "price_cents": "12345", "sku": "SKU-A"}, {"product_id": "P-002", "product_name": "Gadget", "price_cents": "67890", "sku": "SKU-B"}]}"# + "\n"
        let r = try Self.run(Self.definition(path: "items", columns: Self.productColumns), ndjson, select: "product_id, name, price, sku")
        #expect(r.rows == [["P-001", "Widget", "12345.0", "SKU-A"], ["P-002", "Gadget", "67890.0", "SKU-B"]], "\(r.run.json)")
    }

    @Test("preserves fluent chaining when applying a mapping inside nest")
    func chainingInsideNest() throws {
        let columns = Self.productColumns + #", "qty": { "from": "quantity", "type": "integer" }"#
        let ndjson = #"{"order_id": "1", "line_items": [{"product_id": "P-1", "product_name": "W", "price_cents": "1", "sku": "S", "quantity": "3"}]}"# + "\n"
        let r = try Self.run(Self.definition(columns: columns), ndjson, select: "sku, qty")
        #expect(r.rows == [["S", "3"]], "\(r.run.json)")
    }

    @Test("ignores non-nested-aware mappings silently in nest blocks")
    func nonNestedAwareMappings() throws {
        // Does not apply: there are no mapping objects. Ingest refuses silently empty child
        // columns instead: a nest needs at least one column.
        let f = try ProcessFixture(importers: ["orders": Self.definition(columns: "")])
        let check = try f.ingest(["check"])
        #expect(check.status == 1)
        #expect((check.stdout + check.stderr).contains("/nest/0/columns"), "\(check.stdout)\(check.stderr)")
    }

    @Test("allows same mapping to be used at top level and in nest")
    func sameMappingTopLevelAndNest() throws {
        let parent = #""order_id": { "from": "order_id" }, "master_sku": { "from": "sku" }"#
        let r = try Self.run(Self.definition(columns: #""detail_sku": { "from": "sku" }"#, parent: parent),
                             #"{"order_id": "1", "sku": "TOP", "line_items": [{"sku": "DETAIL"}]}"# + "\n", select: "detail_sku")
        #expect(try r.fixture.query("SELECT master_sku FROM orders").compactMap(\.[0].textValue) == ["TOP"])
        #expect(r.rows == [["DETAIL"]])
    }

    // MARK: - DataTransformationServiceTest (nested cases)

    @Test("processes nested data")
    func processesNestedData() throws {
        let r = try Self.run(Self.definition(columns: #""product_sku": { "from": "sku" }, "quantity": { "from": "qty", "type": "integer", "transform": [{ "multiply": 2 }] }"#),
                             #"{"order_id": "1", "line_items": [{"sku": "ABC-123", "qty": "5"}, {"sku": "DEF-456", "qty": "3"}]}"# + "\n",
                             select: "product_sku, quantity")
        #expect(r.rows == [["ABC-123", "10"], ["DEF-456", "6"]], "\(r.run.json)")
    }

    @Test("returns empty array when nested field not present")
    func nestedFieldNotPresent() throws {
        let r = try Self.run(Self.definition(columns: #""product_sku": { "from": "sku" }"#), #"{"order_id": "1", "other": "data"}"# + "\n", select: "product_sku")
        #expect(r.run.status == "completed", "\(r.run.json)")
        #expect(try r.fixture.count("orders") == 1)
        #expect(r.rows == [])
    }

    @Test("skips non-array nested values")
    func nonArrayNestedValues() throws {
        // Ingest differs on purpose: a value that is not an array fails its row with a message
        // rather than being dropped silently (the row's other data would land without it).
        let r = try Self.run(Self.definition(columns: #""product_sku": { "from": "sku" }"#),
                             #"{"order_id": "1", "line_items": "not_an_array"}"# + "\n", select: "product_sku")
        #expect(r.run.status == "completed_with_errors", "\(r.run.json)")
        #expect(r.rows == [])
        #expect(r.run.json["summary"]?["errors"]?.arrayValue?.compactMap(\.stringValue) == ["Row 2: line_items: expected an array of objects, found a string."])
    }

    @Test("skips keyedBy field in nested data processing")
    func keyedByIsAColumn() throws {
        // The child's key is a column like any other: it is stored, not skipped.
        let r = try Self.run(Self.definition(columns: #""product_sku": { "from": "sku" }"#, extra: #", "key": ["product_sku"]"#),
                             #"{"order_id": "1", "line_items": [{"sku": "ABC-123"}]}"# + "\n", select: "product_sku")
        #expect(r.rows == [["ABC-123"]], "\(r.run.json)")
    }

    @Test("processes nested data with transformer interface")
    func transformerInterface() throws {
        let r = try Self.run(Self.definition(columns: #""quantity": { "from": "qty", "type": "integer", "transform": [{ "multiply": 10 }] }"#),
                             #"{"order_id": "1", "line_items": [{"qty": 5}]}"# + "\n", select: "quantity")
        #expect(r.rows == [["50"]], "\(r.run.json)")
    }
}
