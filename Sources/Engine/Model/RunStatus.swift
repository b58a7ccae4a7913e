/// Where a run is in its life: `pending → processing → completed | completed_with_errors | failed | cancelled`.
package enum RunStatus: String, Sendable, Equatable, CaseIterable, Codable {
    case pending, processing, completed
    case completedWithErrors = "completed_with_errors"
    case failed, cancelled

    /// True once the run can no longer change.
    package var isFinished: Bool {
        switch self {
        case .pending, .processing: return false
        default: return true
        }
    }
}
