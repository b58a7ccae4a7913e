import Definitions

extension CompiledImporter {
    /// Runs one definition `example` and compares the outcome with its expectation.
    ///
    /// The example's row keys become the header, so examples exercise header matching too.
    /// Values compare numerically for numbers and as 1/0 for booleans; `errors` must name
    /// exactly the failing columns. A fresh processor per example keeps examples independent.
    package func check(example: ExampleSpec, run: RunFacts) -> ExampleResult {
        let keys = example.row.keys.sorted()
        let header = keys
        let cells = keys.map { example.row[$0]?.text ?? "" }
        let resolution = resolve(header: header)
        var mismatches: [String] = resolution.problems
        let outcome = makeProcessor(resolution: resolution, run: run).process(cells)
        let failing = outcome.errors.map(\.column)

        if let expected = example.expectedErrors {
            let expectedSet = Set(expected), actualSet = Set(failing)
            for column in expected where !actualSet.contains(column) {
                mismatches.append("Expected column '\(column)' to fail, but it passed.")
            }
            for (column, messages) in outcome.errors where !expectedSet.contains(column) {
                mismatches.append("Column '\(column)' failed unexpectedly: \(messages.joined(separator: " "))")
            }
        }
        if let expectedValues = example.expectedValues {
            if example.expectedErrors == nil {
                for (column, messages) in outcome.errors {
                    mismatches.append("Column '\(column)' failed: \(messages.joined(separator: " "))")
                }
            }
            for (column, expected) in expectedValues.sorted(by: { $0.key < $1.key }) {
                guard let index = columns.firstIndex(where: { $0.name == column }) else {
                    mismatches.append("Expected a value for '\(column)', which is not a column.")
                    continue
                }
                if failing.contains(column) { continue }  // already reported as a failure
                let actual = outcome.values[index]
                if !CompiledImporter.matches(expected, actual) {
                    mismatches.append("Column '\(column)': expected \(CompiledImporter.describe(expected)), got \(CompiledImporter.describe(actual)).")
                }
            }
        }
        return ExampleResult(passed: mismatches.isEmpty, mismatches: mismatches)
    }

    /// Whether an expected JSON scalar equals a produced value.
    static func matches(_ expected: JSONScalar, _ actual: TypedValue) -> Bool {
        switch (expected, actual) {
        case (.null, .null): return true
        case (.bool(let b), .integer(let i)): return (b ? 1 : 0) == i
        case (.integer(let e), .integer(let a)): return e == a
        case (.integer(let e), .real(let a)): return Double(e) == a
        case (.number(let e), .real(let a)): return e == a
        case (.number(let e), .integer(let a)): return e == Double(a)
        case (.string(let e), .text(let a)): return e == a
        case (.string(let e), .integer(let a)): return Int64(e) == a
        case (.string(let e), .real(let a)): return Double(e) == a
        case (.bool(let b), .text(let a)): return a == (b ? "true" : "false")
        case (.integer(let e), .text(let a)): return Double(a) == Double(e)
        case (.number(let e), .text(let a)): return Double(a) == e
        default: return false
        }
    }

    static func describe(_ v: JSONScalar) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .integer(let i): return String(i)
        case .number(let d): return NumberText.render(d)
        case .string(let s): return "\"\(s)\""
        }
    }

    static func describe(_ v: TypedValue) -> String {
        switch v {
        case .null: return "null"
        case .integer(let i): return String(i)
        case .real(let d): return NumberText.render(d)
        case .text(let s): return "\"\(s)\""
        }
    }
}
