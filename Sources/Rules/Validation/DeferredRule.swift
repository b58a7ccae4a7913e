/// A rule only the engine can check against the database (`unique`): Rules supplies the message.
public struct DeferredRule: Sendable, Equatable {
    /// The message for a failing value, e.g. "The sku has already been taken."
    public let message: String
    public init(message: String) { self.message = message }
}
