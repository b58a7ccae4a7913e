/// The outcome of one definition `example`, for `ingest check`.
package struct ExampleResult: Sendable, Equatable {
    /// Whether the row behaved as the example expects.
    package let passed: Bool
    /// Each difference as a readable sentence; empty when passed.
    package let mismatches: [String]

    package init(passed: Bool, mismatches: [String]) {
        self.passed = passed; self.mismatches = mismatches
    }
}
