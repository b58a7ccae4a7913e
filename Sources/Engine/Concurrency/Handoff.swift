/// Hands a non-`Sendable` value to exactly one other thread.
///
/// Used for the reader and row processor, which are created on the calling thread and then owned
/// by the parse thread alone; the creating thread never touches them again.
struct Handoff<Value>: @unchecked Sendable {
    let value: Value
}
