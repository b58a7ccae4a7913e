/// How much of a file's header an importer found: enough to tell a file meant for it from one
/// that is not (a file whose header matches none of its columns is refused before a run).
extension HeaderResolution {
    /// Whether any column reads its value from a header (`from`, or a `template` naming one).
    package var readsHeaders: Bool {
        inputs.contains { input in
            switch input {
            case .cell: return true
            case .template(let pieces): return pieces.contains { if case .cell = $0 { return true }; return false }
            case .constant: return false
            }
        }
    }

    /// Whether at least one column's header (or template header) was found in the file.
    package var matchesAnyHeader: Bool {
        inputs.contains { input in
            switch input {
            case .cell(let index): return index != nil
            case .template(let pieces): return pieces.contains { if case .cell(let i) = $0 { return i != nil }; return false }
            case .constant: return false
            }
        }
    }
}
