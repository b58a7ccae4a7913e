/// A mistake in how a command was called: printed as `Error: …` with the usage, exit code 64.
package struct UsageError: Error, Sendable, Equatable, CustomStringConvertible {
    package let message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}
