/// A mistake in how a command was called: printed as `Error: …` with the usage, exit code 64.
public struct UsageError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
