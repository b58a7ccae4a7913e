/// `exists:table,column`: the value must exist in another table; the engine checks per chunk.
package struct ExistsRule: Sendable, Equatable {
    /// The table that must contain the value.
    package let table: String
    /// The column compared with the value (the rule's column name when the rule names none).
    package let column: String
    /// The message for a missing value, e.g. "The selected category id is invalid."
    package let message: String
    package init(table: String, column: String, message: String) {
        self.table = table; self.column = column; self.message = message
    }
}
