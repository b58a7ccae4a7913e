import Foundation
import Testing
@testable import Definitions

@Suite("relate_many syntax")
struct RelateManySyntaxTests {
    static let full = #"{"from": "Tags", "relate_many": {"table": "product_tag", "parent_column": "product_id", "related": {"table": "tags", "match": "name", "select": "id", "on_missing": "create"}, "related_column": "tag_id", "separator": "|", "mode": "sync_without_detaching"}}"#

    @Test("decodes every key")
    func decodes() throws {
        let loaded = TestFixtures.load(TestFixtures.withColumn(Self.full, name: "tags"))
        #expect(loaded.problems.isEmpty, "\(loaded.problems)")
        let spec = try #require(loaded.definition?.columns.first?.relateMany)
        #expect(spec == RelateManySpec(table: "product_tag", parentColumn: "product_id", relatedColumn: "tag_id",
                                       related: LookupSpec(table: "tags", match: "name", select: "id"),
                                       onMissing: .create, separator: "|", mode: .syncWithoutDetaching))
    }

    @Test("defaults: separator ',', mode sync, on_missing fail, select id")
    func defaults() throws {
        let column = #"{"from": "Tags", "relate_many": {"table": "p", "parent_column": "a", "related": {"table": "tags", "match": "name"}, "related_column": "b"}}"#
        let spec = try #require(TestFixtures.load(TestFixtures.withColumn(column)).definition?.columns.first?.relateMany)
        #expect(spec.separator == "," && spec.mode == .sync && spec.onMissing == .fail && spec.related.select == "id")
    }

    @Test("splits, trims, drops empties and collapses duplicates")
    func values() {
        let spec = RelateManySpec(table: "p", parentColumn: "a", relatedColumn: "b", related: LookupSpec(table: "t", match: "m"), separator: "|")
        #expect(spec.values(of: " new | sale ||new|  |Sale") == ["new", "sale", "Sale"])
        #expect(spec.values(of: "") == [])
    }

    @Test("refuses missing keys, reserved tables, the target table as pivot or related, bad modes and lookup together with relate_many", arguments: [
        (#"{"from": "T", "relate_many": {"table": "p", "related": {"table": "t", "match": "m"}, "related_column": "b"}}"#, "missing required key 'parent_column'"),
        (#"{"from": "T", "relate_many": {"table": "ingest_p", "parent_column": "a", "related": {"table": "t", "match": "m"}, "related_column": "b"}}"#, "reserved for Ingest"),
        (#"{"from": "T", "relate_many": {"table": "p", "parent_column": "a", "related": {"table": "sqlite_x", "match": "m"}, "related_column": "b"}}"#, "/relate_many/related/table"),
        (#"{"from": "T", "relate_many": {"table": "p", "parent_column": "a", "related": {"table": "t", "match": "m"}, "related_column": "b", "mode": "attach"}}"#, "expected one of sync, sync_without_detaching"),
        (#"{"from": "T", "relate_many": {"table": "p", "parent_column": "a", "related": {"table": "t", "match": "m", "on_missing": "null"}, "related_column": "b"}}"#, "expected one of fail, skip, create"),
        (#"{"from": "T", "relate_many": {"table": "p", "parent_column": "a", "related": {"table": "t", "match": "m"}, "related_column": "A"}}"#, "'related_column' must differ from 'parent_column'"),
        (#"{"from": "T", "relate_many": {"table": "t", "parent_column": "a", "related": {"table": "t", "match": "m"}, "related_column": "b"}}"#, "the pivot table must differ from the related table"),
        (#"{"from": "T", "relate_many": {"table": "t", "parent_column": "a", "related": {"table": "r", "match": "m"}, "related_column": "b"}}"#, "the target table 't' cannot also be the pivot table"),
        (#"{"from": "T", "relate_many": {"table": "p", "parent_column": "a", "related": {"table": "T", "match": "m"}, "related_column": "b"}}"#, "the target table 't' cannot also be the related table"),
        (#"{"from": "T", "lookup": {"table": "t", "match": "m"}, "relate_many": {"table": "p", "parent_column": "a", "related": {"table": "t", "match": "m"}, "related_column": "b"}}"#, "both 'lookup' and 'relate_many'"),
    ])
    func refuses(column: String, message: String) {
        let problems = TestFixtures.problems(TestFixtures.withColumn(column))
        #expect(problems.contains { $0.contains(message) }, "\(problems)")
    }
}
