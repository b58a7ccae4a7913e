import Engine

/// The status vocabularies, as the OpenAPI document and validation messages list them.
enum RunStatusNames {
    /// Run statuses: `pending`, `processing`, `completed`, `completed_with_errors`, `failed`, `cancelled`.
    static var all: [String] { RunStatus.allCases.map(\.rawValue) }
    /// Logged row statuses: `success`, `failed`, `skipped`, `rolled_back`.
    static var rowStatuses: [String] { LoggedRow.Status.allCases.map(\.rawValue) }
}
