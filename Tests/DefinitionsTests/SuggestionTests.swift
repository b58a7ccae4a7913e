import Testing
@testable import Definitions
import IngestSupport

@Suite("Did you mean")
struct SuggestionTests {
    @Test("suggests by edit distance up to 2, including swapped letters")
    func distance() {
        #expect(Suggestion.closest(to: "minn", in: RuleSpec.names) == "min")
        #expect(Suggestion.closest(to: "emial", in: RuleSpec.names) == "email")
        #expect(Suggestion.closest(to: "on_dupliacte", in: DefinitionKeys.target) == "on_duplicate")
        #expect(Suggestion.closest(to: "Columns", in: DefinitionKeys.topLevel) == "columns")
        #expect(Suggestion.distance(Array("ab"), Array("ba")) == 1)
        #expect(Suggestion.distance(Array("kitten"), Array("sitting")) == 3)
    }

    @Test("suggests by prefix when the distance is larger")
    func prefix() {
        #expect(Suggestion.closest(to: "int", in: ColumnType.allCases.map(\.rawValue)) == "integer")
        #expect(Suggestion.closest(to: "update_if", in: DuplicateStrategy.allCases.map(\.rawValue)) == "update_if_newer")
        #expect(Suggestion.closest(to: "regex_replacement", in: TransformSpec.names) == "regex_replace")
    }

    @Test("headers: the nearest header, by normalised form, past the distance of names")
    func nearestHeader() {
        let headers = ["Order Number", "Customer", "Total"]
        let normalize = { (s: String) in String(s.lowercased().filter { $0.isLetter || $0.isNumber }) }
        #expect(Suggestion.nearest(to: "Order No", in: headers, normalize: normalize) == "Order Number")
        #expect(Suggestion.nearest(to: "Costumer", in: headers, normalize: normalize) == "Customer")
        #expect(Suggestion.nearest(to: "Totals", in: headers, normalize: normalize) == "Total")
        #expect(Suggestion.nearest(to: "Shipping Address", in: headers, normalize: normalize) == nil)
        #expect(Suggestion.nearest(to: "Zip", in: headers, normalize: normalize) == nil)
    }

    @Test("stays quiet when nothing is close")
    func nothing() {
        #expect(Suggestion.closest(to: "frobnicate", in: RuleSpec.names) == nil)
        #expect(Suggestion.closest(to: "x", in: ["ip", "in"]) == nil)
        #expect(Suggestion.closest(to: "", in: ["a"]) == nil)
        #expect(Suggestion.hint(for: "zzz", in: DefinitionKeys.target) == "")
        #expect(Suggestion.hint(for: "tabel", in: DefinitionKeys.target) == " (did you mean 'table'?)")
    }
}
