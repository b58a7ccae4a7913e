/// Why a `regex:` argument is not a usable delimited pattern.
public struct DelimitedRegexError: Error, Sendable, Equatable {
    /// What is wrong, e.g. "unknown regex flag 'g' (use i, m, s, x or u)".
    public var message: String
    /// Unicode-scalar offset inside the scanned text where the problem is.
    public var scalarOffset: Int
    /// Where scanning can safely resume (past the literal), when the literal's end is known.
    public var resumeOffset: Int?

    public init(message: String, scalarOffset: Int, resumeOffset: Int? = nil) {
        self.message = message; self.scalarOffset = scalarOffset; self.resumeOffset = resumeOffset
    }
}
