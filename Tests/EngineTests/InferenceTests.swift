import Foundation
import Testing
@testable import Engine

@Suite("Whole-file inference: numbers, dates, distinct values within a memory bound")
struct InferenceTests {
    static func numbers(_ values: [String], continental: Bool = false) -> NumberStyles.Choice? {
        var styles = NumberStyles()
        for v in values { styles.add(v) }
        return styles.choice(continental: continental)
    }

    @Test("numbers: separators are detected, codes with leading zeros and letters are not numbers")
    func numberStyles() {
        #expect(Self.numbers(["1", "-42", "+7", "0"]) == .init(integer: true))
        #expect(Self.numbers(["1.5", "0.25", "3"]) == .init(integer: false))
        #expect(Self.numbers(["9,43751", "12,5"]) == .init(integer: false, decimalSeparator: ","))
        #expect(Self.numbers([" 90 164", "845", "1 234 567"]) == .init(integer: true, thousandsSeparator: " "))
        #expect(Self.numbers(["1.234,56", "12,5", "7"]) == .init(integer: false, decimalSeparator: ",", thousandsSeparator: "."))
        #expect(Self.numbers(["1,234.5", "12"]) == .init(integer: false, thousandsSeparator: ","))
        #expect(Self.numbers(["1\u{A0}234,5"]) == .init(integer: false, decimalSeparator: ",", thousandsSeparator: "\u{A0}"))
        #expect(Self.numbers(["1.5e3", "2E-2"]) == .init(integer: false))
        // Ambiguous 1,234: thousands in a comma file, a decimal comma in a ';' file.
        #expect(Self.numbers(["1,234", "5,678"]) == .init(integer: true, thousandsSeparator: ","))
        #expect(Self.numbers(["1,234", "5,678"], continental: true) == .init(integer: false, decimalSeparator: ","))
        // Not numbers: leading zeros, letters, bad grouping, too many digits to store exactly.
        #expect(Self.numbers(["12", "01400"]) == nil)
        #expect(Self.numbers(["2A004"]) == nil)
        #expect(Self.numbers(["00.5"]) == nil)
        #expect(Self.numbers(["1,23,456"]) == nil)
        #expect(Self.numbers(["1.2.3"]) == nil)
        #expect(Self.numbers(["12345678901234567890"]) == nil)
        #expect(Self.numbers(["0.1234567890123456"]) == nil)
        #expect(Self.numbers(["1e999"]) == nil)
        #expect(Self.numbers(["5."]) == nil && Self.numbers(["-"]) == nil && Self.numbers(["1 2"]) == nil)
    }

    @Test("a column is numeric only if every value of the whole file is, and required only if none is empty")
    func wholeFile() throws {
        let f = try EngineFixture(importers: [:])
        var text = "code,amount,note\n"
        for i in 1...5_000 { text += "\(i == 4_321 ? "01234" : String(10_000 + i)),\(i),\(i == 2_500 ? "" : "n")\n" }
        let path = try f.write(text, to: "late.csv")
        let result = try DefinitionInference().infer(slug: "late", path: path)
        let byName = Dictionary(uniqueKeysWithValues: result.columns.map { ($0.name, $0) })
        #expect(byName["code"]?.type == .text)
        #expect(byName["amount"]?.type == .integer && byName["amount"]?.distinct == true)
        #expect(byName["note"]?.required == false)
        #expect(result.rowsSampled == 5_000 && result.wholeFile)
        let sampled = try DefinitionInference(sampleRows: 1_000).infer(slug: "late", path: path)
        #expect(sampled.rowsSampled == 1_000 && !sampled.wholeFile)
        #expect(sampled.columns.first?.type == .integer)
    }

    @Test("past the memory bound, distinctness is reported on the rows it was checked on; the largest set stops first")
    func distinctBudget() throws {
        let f = try EngineFixture(importers: [:])
        var text = "id,description\n"
        for i in 1...2_000 { text += "\(i),a long and distinct description of row number \(i)\n" }
        let path = try f.write(text, to: "wide.csv")
        let whole = try DefinitionInference().infer(slug: "wide", path: path)
        #expect(whole.columns.allSatisfy { $0.distinct && $0.distinctRows == nil })
        #expect(whole.key == "id")
        // 2,000 ids cost 64 000 bytes; the descriptions many more: they stop being checked first.
        let bounded = try DefinitionInference(distinctBudgetBytes: 100_000).infer(slug: "wide", path: path)
        let byName = Dictionary(uniqueKeysWithValues: bounded.columns.map { ($0.name, $0) })
        #expect(byName["id"]?.distinct == true && byName["id"]?.distinctRows == nil)
        let stopped = try #require(byName["description"]?.distinctRows)
        #expect(stopped > 0 && stopped < 2_000)
        #expect(bounded.key == "id")
        var tracker = DistinctTracker(columns: 1, budgetBytes: 32 * 10)
        for i in 1...20 { tracker.add([String(i)], row: i) }
        #expect(tracker.isDistinct(0) && tracker.checkedRows(0) == 10)
    }

    @Test("dates: mixed formats give a list; day-first and month-first of one separator are never mixed")
    func dates() throws {
        let probes = DateProbes()
        /// "type: format, format", or nil.
        func choose(_ values: [String]) -> String? {
            var profile = DateProfile(probes: probes)
            for v in values { profile.add(v) }
            return profile.choice().map { "\($0.0.rawValue): \($0.1.joined(separator: ", "))" }
        }
        #expect(choose(["2021-03-04", "1999-12-31"]) == "date: ")
        #expect(choose(["2021-03-04", "04.03.2021"]) == "date: yyyy-MM-dd, dd.MM.yyyy")
        #expect(choose(["4.3.2021", "14.03.2021"]) == "date: d.M.yyyy")
        #expect(choose(["25/12/2020", "03/04/2021"]) == "date: dd/MM/yyyy")
        #expect(choose(["12/25/2020", "03/04/2021"]) == "date: MM/dd/yyyy")
        #expect(choose(["25/12/2020", "12/25/2020"]) == nil)
        #expect(choose(["2021-03-04 10:15:00", "2021-03-04T10:15"]) == "datetime: ")
        #expect(choose(["04.03.2021 10:15", "2021-03-04"]) == nil)
        #expect(choose(["2021-02-30"]) == nil)
    }
}
