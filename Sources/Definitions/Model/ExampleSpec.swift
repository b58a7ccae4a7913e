/// A row with its expected outcome, run by `ingest check`.
package struct ExampleSpec: Sendable, Equatable {
    /// Source header → cell text (null means an empty cell).
    package var row: [String: JSONScalar]
    /// Expected target values (a subset of columns), when the row should pass.
    package var expectedValues: [String: JSONScalar]?
    /// Columns expected to fail, when the row should fail.
    package var expectedErrors: [String]?
    /// JSON pointer of the example in the definition (`/examples/0`), for reports.
    package var pointer: String
    package init(row: [String: JSONScalar], expectedValues: [String: JSONScalar]? = nil, expectedErrors: [String]? = nil, pointer: String = "") {
        self.row = row; self.expectedValues = expectedValues; self.expectedErrors = expectedErrors; self.pointer = pointer
    }
}
