/// One `"key": value` member of an object, with the position of its key.
package struct JSONMember: Sendable, Equatable {
    /// The key, unescaped.
    package var key: String
    /// Position of the key's opening quote: where "unknown key" problems point.
    package var keyPosition: SourcePosition
    /// The member's value.
    package var value: JSONNode

    package init(key: String, keyPosition: SourcePosition, value: JSONNode) {
        self.key = key; self.keyPosition = keyPosition; self.value = value
    }
}
