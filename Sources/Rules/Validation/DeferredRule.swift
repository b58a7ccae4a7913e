/// A rule only the engine can check against the database (`unique`): Rules supplies the message.
package struct DeferredRule: Sendable, Equatable {
    /// The message for a failing value, e.g. "The sku has already been taken."
    package let message: String
    package init(message: String) { self.message = message }
}
