/// `exists:table,column`: the value must exist in another table; the engine checks per chunk.
public struct ExistsRule: Sendable, Equatable {
    /// The table that must contain the value.
    public let table: String
    /// The column compared with the value (the rule's column name when the rule names none).
    public let column: String
    /// The message for a missing value, e.g. "The selected category id is invalid."
    public let message: String
    public init(table: String, column: String, message: String) {
        self.table = table; self.column = column; self.message = message
    }
}
