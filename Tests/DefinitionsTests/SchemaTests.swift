import Foundation
import Testing
@testable import Definitions

@Suite("JSON Schema of the definition format")
struct SchemaTests {
    private func schema() throws -> JSONDocument {
        try TestFixtures.document(at: TestFixtures.schemaURL)
    }

    private func validator() throws -> SchemaValidator {
        SchemaValidator(root: try schema().root)
    }

    private func errors(_ json: String) throws -> [String] {
        try validator().validate(JSONDocument(bytes: Array(json.utf8)).root)
    }

    /// The `properties` names of the schema object at `pointer`.
    private func propertyNames(_ pointer: String) throws -> [String] {
        let node = try #require(try schema().node(at: pointer + "/properties"), "no properties at \(pointer)")
        guard case .object(let members) = node.value else { return [] }
        return members.map(\.key)
    }

    private func enumValues(_ pointer: String) throws -> [String] {
        let node = try #require(try schema().node(at: pointer + "/enum"), "no enum at \(pointer)")
        guard case .array(let items) = node.value else { return [] }
        return items.compactMap { if case .string(let s) = $0.value { return s } else { return nil } }
    }

    @Test("is a 2020-12 schema that names itself")
    func header() throws {
        let root = try schema().root
        #expect(root["$schema"]?.value == .string("https://json-schema.org/draft/2020-12/schema"))
        #expect(root["additionalProperties"]?.value == .bool(false))
    }

    @Test("accepts the complete example of DEFINITIONS.md and a definition using every key")
    func acceptsFixtures() throws {
        #expect(try errors(TestFixtures.completeExample) == [])
        #expect(try errors(TestFixtures.kitchenSink) == [])
    }

    @Test("accepts every shipped importer, which also compiles without problems")
    func shippedImporters() throws {
        for url in TestFixtures.shippedImporters() {
            let document = try TestFixtures.document(at: url)
            #expect(try validator().validate(document.root) == [], "\(url.lastPathComponent)")
            let loaded = DefinitionLoader.load(path: url.path, displayName: "importers/" + url.lastPathComponent)
            #expect(loaded.problems.map(\.description) == [], "\(url.lastPathComponent)")
        }
    }

    @Test("rejects what the decoder rejects for shape", arguments: [
        #"{"target": {"table": "t"}, "colums": {}, "columns": {"a": {"from": "A"}}}"#,
        #"{"target": {"table": "t", "on_duplicate": "merge"}, "columns": {"a": {"from": "A"}}}"#,
        #"{"target": {"table": "ingest_runs"}, "columns": {"a": {"from": "A"}}}"#,
        #"{"target": {"table": "sqlite_sequence"}, "columns": {"a": {"from": "A"}}}"#,
        #"{"target": {"table": "t", "route": {"column": "R", "tables": {"x": "ingest_x"}}}, "columns": {"a": {"from": "A"}}}"#,
        #"{"target": {"table": "t", "route": {"column": "R", "tables": {}}}, "columns": {"a": {"from": "A"}}}"#,
        #"{"target": {"table": "t", "route": {"tables": {"x": "u"}}}, "columns": {"a": {"from": "A"}}}"#,
        #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "lookup": {"table": "SQLITE_master", "match": "name"}}}}"#,
        #"{"target": {"table": "t"}, "limits": {"max_value_bytes": 0}, "columns": {"a": {"from": "A"}}}"#,
        #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "value": 1}}}"#,
        #"{"target": {"table": "t"}, "columns": {"a": {"type": "text"}}}"#,
        #"{"target": {"table": "t"}, "columns": {"a": {"from": []}}}"#,
        #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "transform": ["trimm"]}}}"#,
        #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "transform": [{"divide": 0}]}}}"#,
        #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": ["minn:2"]}}}"#,
        #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "rules": [{"email": true}]}}}"#,
        #"{"target": {"table": "t"}, "columns": {"a": {"from": "A", "type": "date", "formats": ["YYYY"]}}}"#,
        #"{"target": {"table": "t"}, "chunk_size": 0, "columns": {"a": {"from": "A"}}}"#,
        #"{"target": {"table": "t", "on_duplicate": "update_if_newer", "key": "a"}, "columns": {"a": {"from": "A"}}}"#,
        #"{"source": {"type": "filesystem"}, "target": {"table": "t"}, "columns": {"a": {"from": "A"}}}"#,
        #"{"source": {"type": "filesystem", "path": "../x.csv"}, "target": {"table": "t"}, "columns": {"a": {"from": "A"}}}"#,
        #"{"source": {"type": "url", "url": "ftp://x"}, "target": {"table": "t"}, "columns": {"a": {"from": "A"}}}"#,
        #"{"source": {"csv": {"delimiter": ";;"}}, "target": {"table": "t"}, "columns": {"a": {"from": "A"}}}"#,
        #"{"source": {"json": {"pointer": "data"}}, "target": {"table": "t"}, "columns": {"a": {"from": "A"}}}"#,
        #"{"target": {"table": "t"}, "columns": {"a": {"from": "A"}}, "examples": [{"row": {}, "expect": {}}]}"#,
        #"{"target": {"table": "t"}, "columns": {"1a": {"from": "A"}}}"#,
        #"{"target": {"table": "t"}, "columns": {}}"#,
        #"{"target": {"table": "t"}, "columns": {"a": {"from": "A"}}, "webhooks": [{"url": "https://h.example.com/", "secret_env": "INGEST_DATABASE"}]}"#,
        #"{"target": {"table": "t"}, "columns": {"a": {"from": "A"}}, "webhooks": [{"url": "ftp://h.example.com/", "secret_env": "INGEST_SECRET_A"}]}"#,
        #"{"target": {"table": "t"}, "columns": {"a": {"from": "A"}}, "webhooks": [{"url": "https://h.example.com/"}]}"#,
        #"{"target": {"table": "t"}, "columns": {"a": {"from": "A"}}, "webhooks": [{"url": "https://h.example.com/", "secret_env": "INGEST_SECRET_A", "events": ["run.done"]}]}"#,
    ])
    func rejects(json: String) throws {
        #expect(try !errors(json).isEmpty)
        #expect(!TestFixtures.load(json).problems.isEmpty)
    }

    @Test("declares exactly the keys the decoder accepts, at every level")
    func keysMatchDecoder() throws {
        let levels: [(String, [String])] = [
            ("", DefinitionKeys.topLevel),
            ("/$defs/source", DefinitionKeys.source),
            ("/$defs/csvOptions", DefinitionKeys.csv),
            ("/$defs/xlsxOptions", DefinitionKeys.xlsx),
            ("/$defs/jsonOptions", DefinitionKeys.json),
            ("/$defs/target", DefinitionKeys.target),
            ("/$defs/route", DefinitionKeys.route),
            ("/$defs/headers", DefinitionKeys.headers),
            ("/$defs/errorBudget", DefinitionKeys.errorBudget),
            ("/$defs/limits", DefinitionKeys.limits),
            ("/$defs/column", DefinitionKeys.column),
            ("/$defs/lookup", DefinitionKeys.lookup),
            ("/$defs/relateMany", DefinitionKeys.relateMany),
            ("/$defs/nest", DefinitionKeys.nest),
            ("/$defs/related", DefinitionKeys.related),
            ("/$defs/when", DefinitionKeys.when),
            ("/$defs/example", DefinitionKeys.example),
            ("/$defs/expect", DefinitionKeys.expect),
            ("/$defs/ruleWithMessage", DefinitionKeys.ruleWithMessage),
            ("/$defs/mapStep", DefinitionKeys.mapStep),
            ("/$defs/replaceArguments", DefinitionKeys.replaceArguments),
            ("/$defs/regexReplaceArguments", DefinitionKeys.regexReplaceArguments),
            ("/$defs/padLeftArguments", DefinitionKeys.padLeftArguments),
            ("/$defs/substringArguments", DefinitionKeys.substringArguments),
            ("/$defs/concatArguments", DefinitionKeys.concatArguments),
            ("/$defs/webhook", DefinitionKeys.webhook),
        ]
        for (pointer, keys) in levels {
            #expect(Set(try propertyNames(pointer)) == Set(keys), "at \(pointer.isEmpty ? "top level" : pointer)")
            let node = try #require(try schema().node(at: pointer))
            #expect(node["additionalProperties"]?.value == .bool(false), "at \(pointer)")
        }
    }

    @Test("lists the same vocabularies as the model")
    func vocabulariesMatchModel() throws {
        #expect(try enumValues("/$defs/ruleName") == RuleSpec.names)
        let withArguments = RuleSpec.names.filter { DefinitionDecoder.ruleArity[$0]?.max != 0 }
        #expect(try enumValues("/$defs/ruleNameWithArguments") == withArguments)
        #expect(try enumValues("/properties/transaction") == TransactionMode.allCases.map(\.rawValue))
        #expect(try enumValues("/properties/row_log") == RowLogLevel.allCases.map(\.rawValue))
        #expect(try enumValues("/$defs/target/properties/on_duplicate") == DuplicateStrategy.allCases.map(\.rawValue))
        #expect(try enumValues("/$defs/column/properties/type") == ColumnType.allCases.map(\.rawValue))
        #expect(try enumValues("/$defs/source/properties/type") == SourceSpec.SourceType.allCases.map(\.rawValue))
        #expect(try enumValues("/$defs/fileFormat") == FileFormat.allCases.map(\.rawValue))
        #expect(try enumValues("/$defs/source/properties/format") == ["auto"] + FileFormat.allCases.map(\.rawValue))
        #expect(try enumValues("/$defs/csvOptions/properties/encoding") == ["auto"] + TextEncodingName.allCases.map(\.rawValue))
        #expect(try enumValues("/$defs/headers/properties/match") == HeaderSpec.Match.allCases.map(\.rawValue))
        #expect(try enumValues("/$defs/webhook/properties/events/items") == WebhookEvent.allCases.map(\.rawValue))

        // Transform names: the bare-name enum plus the single required key of each step object.
        let steps = try #require(try schema().node(at: "/$defs/transformStep/oneOf"))
        guard case .array(let alternatives) = steps.value else { Issue.record("transformStep/oneOf is not an array"); return }
        var names: [String] = []
        for alternative in alternatives {
            var node = alternative
            if case .string(let reference)? = node["$ref"]?.value {
                node = try #require(try schema().node(at: String(reference.dropFirst())))
            }
            if case .array(let values)? = node["enum"]?.value {
                names += values.compactMap { if case .string(let s) = $0.value { return s } else { return nil } }
            } else if case .array(let required)? = node["required"]?.value, case .string(let name)? = required.first?.value {
                // The alternative that requires only `when` is the conditional form of the bare steps above.
                if name != "when" { names.append(name) }
            }
        }
        #expect(names == TransformSpec.names)
    }

    @Test("the test validator supports every keyword the schema uses")
    func validatorCoversSchema() throws {
        var unsupported: Set<String> = []
        func walk(_ node: JSONNode, inProperties: Bool) {
            switch node.value {
            case .object(let members):
                for member in members {
                    if !inProperties && !SchemaValidator.keywords.contains(member.key) && !SchemaValidator.annotations.contains(member.key) {
                        unsupported.insert(member.key)
                    }
                    let childIsMap = !inProperties && ["properties", "$defs"].contains(member.key)
                    walk(member.value, inProperties: childIsMap)
                }
            case .array(let items):
                for item in items { walk(item, inProperties: false) }
            default:
                break
            }
        }
        walk(try schema().root, inProperties: false)
        #expect(unsupported == [])
    }
}
