/// A condition on the source row: `{"column": "Type", "equals": "product"}`.
///
/// It reads the cell of the source column `column` (found by the definition's header
/// matching), trims surrounding whitespace, and compares the text exactly (case matters):
/// `equals` one value, `in` one of a list, or `matches` a pattern (the linear regex engine,
/// `/…/flags` or a bare pattern, matching anywhere unless anchored). `not: true` inverts it.
/// A missing cell (a short row) reads as empty.
package struct WhenSpec: Sendable, Equatable {
    /// The comparison, exactly one per condition.
    package enum Test: Sendable, Equatable {
        case equals(String)
        case oneOf([String])
        case matches(String)
    }

    /// The source header whose cell is tested.
    package var column: String
    package var test: Test
    /// `not: true`: the condition holds when the test fails.
    package var negated: Bool
    /// JSON pointer of the `when` object (`/columns/status/when`), for messages.
    package var pointer: String

    package init(column: String, test: Test, negated: Bool = false, pointer: String = "") {
        self.column = column; self.test = test; self.negated = negated; self.pointer = pointer
    }

    /// The operators, in the order the docs list them.
    package static let operators = ["equals", "in", "matches"]
}
