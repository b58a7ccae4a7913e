import Foundation
import Testing
@testable import Definitions

@Suite("nest syntax")
struct NestSyntaxTests {
    static func definition(_ nest: String, formats: String = #"["ndjson"]"#, target: String = #"{"table": "orders", "key": "no"}"#) -> String {
        #"{"source": {"formats": \#(formats)}, "target": \#(target), "columns": {"no": {"from": "number"}}, "nest": \#(nest)}"#
    }

    @Test("decodes every key, child columns pointing into the entry")
    func decodes() throws {
        let nest = #"[{"path": "order.lines", "table": "order_lines", "parent_column": "order_no", "columns": {"sku": {"from": ["sku", "SKU"], "rules": "required"}}, "key": ["order_no", "sku"], "on_duplicate": "upsert", "create_table": false}]"#
        let loaded = TestFixtures.load(Self.definition(nest))
        #expect(loaded.problems.isEmpty, "\(loaded.problems)")
        let spec = try #require(loaded.definition?.nests.first)
        #expect(spec.path == "order.lines" && spec.table == "order_lines" && spec.parentColumn == "order_no")
        #expect(spec.key == ["order_no", "sku"] && spec.onDuplicate == .upsert && !spec.createTable && spec.pointer == "/nest/0")
        #expect(spec.columns.map(\.pointer) == ["/nest/0/columns/sku"])
        #expect(spec.columns.first?.rules.first?.pointer.hasPrefix("/nest/0/columns/sku/rules") == true)
    }

    @Test("defaults: no key, on_duplicate skip, create_table true")
    func defaults() throws {
        let spec = try #require(TestFixtures.load(Self.definition(#"[{"path": "l", "table": "c", "parent_column": "p", "columns": {"a": {"from": "a"}}}]"#)).definition?.nests.first)
        #expect(spec.key.isEmpty && spec.onDuplicate == .skip && spec.createTable)
    }

    @Test("problems carry the pointer of what is wrong", arguments: [
        (#"{}"#, "/nest", "expected an array of nested tables"),
        (#"[]"#, "/nest", "expected at least one nested table"),
        (#"[{"path": "a..b", "table": "c", "parent_column": "p", "columns": {"a": {"from": "a"}}}]"#, "/nest/0/path", "dot-separated parts"),
        (#"[{"path": "l", "table": "c", "parent_column": "p", "columns": {"a": {"from": "a"}}, "key": ["b"]}]"#, "/nest/0/key/0", "unknown column 'b'"),
        (#"[{"path": "l", "table": "c", "parent_column": "p", "columns": {"a": {"from": "a", "lookup": {"table": "t", "match": "m"}}}}]"#, "/nest/0/columns/a/lookup", "cannot have a 'lookup'"),
        (#"[{"path": "l", "table": "c", "parent_column": "p", "columns": {"a": {"from": "a"}}, "on_duplicate": "fail"}]"#, "/nest/0", "needs a 'key'"),
        (#"[{"path": "l", "table": "c", "parent_column": "p", "columns": {"a": {"from": "a"}}}, {"path": "l", "table": "d", "parent_column": "p", "columns": {"a": {"from": "a"}}}]"#, "/nest/1/path", "nested twice"),
        (#"[{"path": "l", "table": "c", "parent_column": "p", "columns": {"a": {"from": "a"}}}, {"path": "m", "table": "C", "parent_column": "p", "columns": {"a": {"from": "a"}}}]"#, "/nest/1/table", "cannot also be the child table of /nest/0"),
    ])
    func problems(nest: String, pointer: String, message: String) {
        let problems = TestFixtures.load(Self.definition(nest)).problems
        #expect(problems.contains { $0.pointer == pointer && $0.message.contains(message) }, "\(problems)")
    }

    @Test("needs JSON-only formats, a plain parent and a parent key children can hold")
    func parentProblems() {
        let nest = #"[{"path": "l", "table": "c", "parent_column": "p", "columns": {"a": {"from": "a"}}}]"#
        let cases: [(String, String)] = [
            (Self.definition(nest, formats: #"["json", "xlsx"]"#), "source.formats allows xlsx"),
            (Self.definition(nest, formats: "[]"), "set source.formats"),
            (Self.definition(nest, target: #"{"table": "orders", "key": "no", "allow_empty_key": true}"#), "allow_empty_key"),
            (Self.definition(nest, target: #"{"table": "orders", "route": {"column": "R", "tables": {"x": "y"}}}"#), "target.route"),
        ]
        for (json, message) in cases {
            let problems = TestFixtures.load(json).problems
            #expect(problems.contains { $0.message.contains(message) }, "\(message): \(problems)")
        }
    }
}
