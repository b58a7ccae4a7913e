/// What the ``MultipartParser`` found in the bytes it was fed.
///
/// Chunk boundaries depend on how the input was split; the sequence of events with adjacent
/// ``bodyChunk(_:)`` values joined does not.
package enum MultipartEvent: Sendable, Equatable {
    /// A part begins; its headers are complete.
    case partHeaders(MultipartPartHead)
    /// Some content of the current part.
    case bodyChunk([UInt8])
    /// The current part is complete.
    case partEnd
    /// The closing boundary was seen; anything after it is epilogue and ignored.
    case end
}
