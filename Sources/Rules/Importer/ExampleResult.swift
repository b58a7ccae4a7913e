/// The outcome of one definition `example`, for `ingest check`.
public struct ExampleResult: Sendable, Equatable {
    /// Whether the row behaved as the example expects.
    public let passed: Bool
    /// Each difference as a readable sentence; empty when passed.
    public let mismatches: [String]

    public init(passed: Bool, mismatches: [String]) {
        self.passed = passed; self.mismatches = mismatches
    }
}
