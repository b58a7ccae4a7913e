/// A reason that ends a whole run as `failed` (as opposed to one failing row).
struct RunFailure: Error, Sendable {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
