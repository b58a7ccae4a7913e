/// One `"key": value` member of an object, with the position of its key.
public struct JSONMember: Sendable, Equatable {
    /// The key, unescaped.
    public var key: String
    /// Position of the key's opening quote: where "unknown key" problems point.
    public var keyPosition: SourcePosition
    /// The member's value.
    public var value: JSONNode

    public init(key: String, keyPosition: SourcePosition, value: JSONNode) {
        self.key = key; self.keyPosition = keyPosition; self.value = value
    }
}
