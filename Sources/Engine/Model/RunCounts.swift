/// Row counters of a run. `successful` includes created, updated and skipped duplicates.
public struct RunCounts: Sendable, Equatable, Codable {
    public var total = 0
    public var processed = 0
    public var successful = 0
    public var failed = 0
    public var created = 0
    public var updated = 0
    public var skipped = 0
    public init() {}
}
