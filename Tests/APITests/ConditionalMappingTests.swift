import Engine
import Foundation
import Testing

/// Issue 13, item 3: `when` conditions on a column's mapping, its transform steps and its rules.
/// The tests carry the names of Laravel Ingest's conditional-mapping cases (`mapWhen`, in
/// AdvancedFeaturesTest and DataTransformationServiceTest), each written as an Ingest definition
/// and run twice on real files into real SQLite databases: through `ingest run`, and through an
/// upload to `ingest serve` over a loopback socket.
@Suite("Conditional mappings (when)")
struct ConditionalMappingTests {
    /// What one way of running left behind: the run's status, its failure reason (if any),
    /// how many rows failed, and the target table's rows (text cells, NULL as nil) by `order`.
    struct Outcome {
        let via: String
        let status: String
        let reason: String
        let failed: Int64
        let rows: [[String?]]
    }

    /// A definition of `columns` (JSON members) into table `t` keyed by `id`.
    static func definition(_ columns: String, onDuplicate: String = "update") -> String {
        """
        { "name": "Conditional", "source": { "formats": ["csv"] },
          "target": { "table": "t", "key": ["id"], "on_duplicate": "\(onDuplicate)" },
          "columns": { "id": { "from": "id", "rules": "required" }, \(columns) } }
        """
    }

    /// Imports each of `files` in turn with `ingest run` and, into a second database, with API
    /// uploads; returns both outcomes of the last file, with `select` (columns of `t`) read back.
    static func both(_ definition: String, _ files: [String], select: String) throws -> [Outcome] {
        let cli = try ProcessFixture(importers: ["cond": definition])
        var last: JSONRun?
        for (i, csv) in files.enumerated() {
            try cli.write(csv, to: "data\(i).csv")
            let result = try cli.ingest(["run", "cond", cli.root + "/data\(i).csv", "--json"])
            last = try JSONRun(result.stdout)
        }
        let run = try #require(last)
        let cliRows = try rows(cli, select)
        var outcomes = [Outcome(via: "ingest run", status: run.status, reason: run.failureReason, failed: run.progress("failed"),
                                rows: cliRows)]

        let api = try ProcessFixture(importers: ["cond": definition])
        let token = try ServerProcess.token(api)
        let server = try ServerProcess(api)
        var finished: JSONValue?
        for csv in files {
            let created = try server.upload("cond", csv: csv, token: token)
            guard created.status == 202, let id = created.data?.int("id") else { throw FixtureFailure("upload: \(created.text)") }
            finished = try server.waitUntilFinished(id, token: token)
        }
        let done = try #require(finished as JSONValue?)
        let apiRows = try rows(api, select)
        outcomes.append(Outcome(via: "API upload", status: done.string("status") ?? "", reason: done.string("failure_reason") ?? "",
                                failed: done["progress"]?.int("failed") ?? -1, rows: apiRows))
        return outcomes
    }

    static func rows(_ f: ProcessFixture, _ select: String) throws -> [[String?]] {
        guard try f.count("t") > 0 else { return [] }
        return try f.query("SELECT \(select) FROM t ORDER BY id").map { $0.map(\.textValue) }
    }

    /// `product_status` from `status`, only for product rows (the peer's first `mapWhen`).
    static let productStatus = #""type": {"from": "type"}, "product_status": { "from": "status", "when": {"column": "type", "equals": "product"} }"#

    // MARK: - AdvancedFeaturesTest

    @Test("adds conditional mapping with closure condition")
    func closureCondition() throws {
        for o in try Self.both(Self.definition(Self.productStatus), ["id,type,status\n1,product,active\n2,order,pending\n"],
                               select: "id, product_status") {
            #expect(o.status == "completed", "\(o.via): \(o.reason)")
            #expect(o.rows == [["1", "active"], ["2", nil]], "\(o.via)")
        }
    }

    @Test("adds conditional mapping with transformer")
    func withTransformer() throws {
        let columns = #""price_cents": { "from": "price", "type": "integer", "when": {"column": "currency", "equals": "USD"}, "transform": [{"multiply": 100}] }"#
        for o in try Self.both(Self.definition(columns), ["id,price,currency\n1,10,USD\n2,10,EUR\n"], select: "id, price_cents") {
            #expect(o.status == "completed", "\(o.via): \(o.reason)")
            #expect(o.rows == [["1", "1000"], ["2", nil]], "\(o.via)")
        }
    }

    @Test("adds conditional mapping with validator")
    func withValidator() throws {
        // The rules of a conditional mapping are checked only for rows it maps.
        let columns = #""contact_email": { "from": "email", "rules": "email", "when": {"column": "has_email", "in": ["true", "1", "yes"]} }"#
        let csv = "id,email,has_email\n1,ann@example.com,true\n2,not-an-email,false\n3,not-an-email,1\n"
        for o in try Self.both(Self.definition(columns), [csv], select: "id, contact_email") {
            #expect(o.status == "completed_with_errors", "\(o.via): \(o.reason)")
            #expect(o.failed == 1, "\(o.via)")
            #expect(o.rows == [["1", "ann@example.com"], ["2", nil]], "\(o.via)")
        }
    }

    @Test("supports aliases in conditional mapping")
    func aliases() throws {
        let columns = #""product_status": { "from": ["status", "order_status"], "when": {"column": "type", "not": true, "equals": "ignored"} }"#
        for o in try Self.both(Self.definition(columns), ["id,type,order_status\n1,order,shipped\n"], select: "id, product_status") {
            #expect(o.status == "completed", "\(o.via): \(o.reason)")
            #expect(o.rows == [["1", "shipped"]], "\(o.via)")
        }
    }

    @Test("returns true when shouldApplyConditional matches closure")
    func matchesCondition() throws {
        let csv = "id,type,status\n1,product,active\n2,order,pending\n3, product ,trimmed\n4,Product,case\n"
        for o in try Self.both(Self.definition(Self.productStatus), [csv], select: "id, product_status") {
            // The cell is trimmed; the comparison is exact otherwise (case matters).
            #expect(o.rows == [["1", "active"], ["2", nil], ["3", "trimmed"], ["4", nil]], "\(o.via)")
        }
    }

    @Test("returns true for non-closure non-interface condition")
    func nonConditionValue() throws {
        // A column without `when` maps every row; a `when` that is not a condition object is a
        // definition error (the peer treats any such value as true).
        for o in try Self.both(Self.definition(#""product_status": {"from": "status"}"#), ["id,status\n1,active\n"], select: "id, product_status") {
            #expect(o.rows == [["1", "active"]], "\(o.via)")
        }
        let f = try ProcessFixture(importers: ["cond": Self.definition(#""product_status": {"from": "status", "when": true}"#)])
        let check = try f.ingest(["check"])
        #expect(check.status == 1)
        #expect(check.stderr.contains("importers/cond.json:3:106: /columns/product_status/when: expected an object, got a boolean"), "\(check.stderr)")
    }

    @Test("returns result from ConditionalMappingInterface")
    func conditionObject() throws {
        let columns = #""product_status": { "from": "status", "when": {"column": "type", "matches": "^prod(uct)?$"} }"#
        for o in try Self.both(Self.definition(columns), ["id,type,status\n1,product,active\n2,order,pending\n3,prod,short\n"],
                               select: "id, product_status") {
            #expect(o.rows == [["1", "active"], ["2", nil], ["3", "short"]], "\(o.via)")
        }
    }

    // MARK: - DataTransformationServiceTest

    @Test("processes conditional mappings when condition is met")
    func conditionMet() throws {
        for o in try Self.both(Self.definition(Self.productStatus), ["id,type,status\n1,product,active\n"], select: "product_status") {
            #expect(o.rows == [["active"]], "\(o.via)")
        }
    }

    @Test("skips conditional mappings when condition is not met")
    func conditionNotMet() throws {
        // Under `upsert` a row the mapping skips leaves the stored value alone, as the peer
        // leaves the attribute out of the model's data.
        let files = ["id,type,status\n1,product,active\n", "id,type,status\n1,order,pending\n"]
        for o in try Self.both(Self.definition(Self.productStatus, onDuplicate: "upsert"), files, select: "type, product_status") {
            #expect(o.status == "completed", "\(o.via): \(o.reason)")
            #expect(o.rows == [["order", "active"]], "\(o.via)")
        }
        for o in try Self.both(Self.definition(Self.productStatus), ["id,type,status\n1,order,pending\n"], select: "product_status") {
            #expect(o.rows == [[nil]], "\(o.via)")
        }
    }

    @Test("processes conditional mappings with transformer")
    func transformerAlways() throws {
        let columns = #""price_cents": { "from": "price", "type": "integer", "transform": [{"multiply": 100, "when": {"column": "price", "matches": "."}}] }"#
        for o in try Self.both(Self.definition(columns), ["id,price\n1,10\n"], select: "price_cents") {
            #expect(o.rows == [["1000"]], "\(o.via)")
        }
    }

    @Test("skips conditional mappings when source field missing")
    func sourceFieldMissing() throws {
        for o in try Self.both(Self.definition(Self.productStatus), ["id,type\n1,product\n"], select: "id, product_status") {
            #expect(o.status == "completed", "\(o.via): \(o.reason)")
            #expect(o.rows == [["1", nil]], "\(o.via)")
        }
        // The condition's own column missing is another matter: the run cannot judge any row.
        for o in try Self.both(Self.definition(Self.productStatus), ["id,kind,status\n1,product,active\n"], select: "id") {
            #expect(o.status == "failed", "\(o.via)")
            #expect(o.reason.contains("Missing header 'type', which the 'when' at /columns/product_status/when reads. Found: id, kind, status."),
                    "\(o.via): \(o.reason)")
            #expect(o.rows.isEmpty, "\(o.via)")
        }
    }

    @Test("processes conditional mappings with transformer interface")
    func conditionalTransformSteps() throws {
        // Steps with their own `when`: several sources feed one target column by row.
        let columns = #"""
            "status": { "from": "status", "transform": [
                {"concat": {"columns": ["order_status"], "separator": ""}, "when": {"column": "type", "in": ["order", "refund"]}},
                {"uppercase": true, "when": {"column": "type", "equals": "refund"}} ] }
            """#
        let csv = "id,type,status,order_status\n1,product,active,\n2,order,,pending\n3,refund,x,done\n"
        for o in try Self.both(Self.definition(columns), [csv], select: "id, status") {
            #expect(o.rows == [["1", "active"], ["2", "pending"], ["3", "DONE"]], "\(o.via)")
        }
    }

    @Test("skips conditional mappings when validator fails")
    func validatorFails() throws {
        // Ingest fails the row with the rule's message where the peer silently drops the value:
        // either way `final_price` is not stored. A rule with its own `when` is skipped for other rows.
        let columns = #""final_price": { "from": "price", "type": "decimal", "rules": [{"rule": "min:0", "when": {"column": "kind", "equals": "sale"}}] }"#
        for o in try Self.both(Self.definition(columns), ["id,price,kind\n1,-10,sale\n2,-5,refund\n"], select: "id, final_price") {
            #expect(o.status == "completed_with_errors", "\(o.via): \(o.reason)")
            #expect(o.failed == 1, "\(o.via)")
            #expect(o.rows == [["2", "-5.0"]], "\(o.via)")
        }
    }
}
