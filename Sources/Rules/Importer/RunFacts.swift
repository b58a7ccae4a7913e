/// Facts about the run that `value` templates (`{{run.id}}`…) can use.
///
/// The engine knows them, Rules only substitutes them, so processing stays pure.
package struct RunFacts: Sendable, Equatable {
    /// The run's id in `ingest_runs`.
    package var id: Int64
    /// The uploaded file's name, when there was one.
    package var originalFilename: String?
    /// ISO 8601 start time (`2026-11-29T10:47:35Z`); also "now"/"today" for `before`/`after`.
    package var startedAt: String

    package init(id: Int64, originalFilename: String? = nil, startedAt: String) {
        self.id = id; self.originalFilename = originalFilename; self.startedAt = startedAt
    }
}
