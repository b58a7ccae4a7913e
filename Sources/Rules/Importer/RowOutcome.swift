/// What became of one source row: target values, or the reasons it failed.
package struct RowOutcome: Sendable {
    /// One value per `CompiledColumn`, in column order; lookup columns carry the value to look up.
    /// Meaningful only when `isValid`.
    package var values: [TypedValue]
    /// Failing columns in column order, each with its messages in rule order; empty when valid.
    package var errors: [(column: String, messages: [String])]

    /// Whether the row may be written.
    package var isValid: Bool { errors.isEmpty }

    package init(values: [TypedValue], errors: [(column: String, messages: [String])] = []) {
        self.values = values; self.errors = errors
    }
}
