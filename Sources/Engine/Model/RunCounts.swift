/// Row counters of a run. `successful` includes created, updated and skipped duplicates.
package struct RunCounts: Sendable, Equatable, Codable {
    package var total = 0
    package var processed = 0
    package var successful = 0
    package var failed = 0
    package var created = 0
    package var updated = 0
    package var skipped = 0
    package init() {}

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
