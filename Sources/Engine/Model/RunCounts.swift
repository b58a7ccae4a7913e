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

    /// Adds row outcomes and keeps `successful` and `processed` in step with them.
    mutating func add(created: Int, updated: Int, skipped: Int, failed: Int) {
        self.created += created
        self.updated += updated
        self.skipped += skipped
        self.failed += failed
        successful = self.created + self.updated + self.skipped
        processed = successful + self.failed
    }
}
