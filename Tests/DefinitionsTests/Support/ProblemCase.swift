import Testing

/// One broken definition and every problem it must produce, rendered exactly.
struct ProblemCase: Sendable, CustomTestStringConvertible {
    let label: String
    let json: String
    let expected: [String]
    init(_ label: String, _ json: String, _ expected: [String]) {
        self.label = label; self.json = json; self.expected = expected
    }
    var testDescription: String { label }
}
