/// Bytes that are not strict RFC 8259 JSON, with the place where reading stopped.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was wrong, e.g. "expected ',' or '}' after an object member".
    public var message: String
    /// Where the offending byte is.
    public var position: SourcePosition

    public init(message: String, position: SourcePosition) {
        self.message = message; self.position = position
    }

    /// `line:column: message`.
    public var description: String { "\(position): \(message)" }
}
