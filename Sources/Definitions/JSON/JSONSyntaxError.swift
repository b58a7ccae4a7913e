/// Bytes that are not strict RFC 8259 JSON, with the place where reading stopped.
package struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was wrong, e.g. "expected ',' or '}' after an object member".
    package var message: String
    /// Where the offending byte is.
    package var position: SourcePosition

    package init(message: String, position: SourcePosition) {
        self.message = message; self.position = position
    }

    /// `line:column: message`.
    package var description: String { "\(position): \(message)" }
}
