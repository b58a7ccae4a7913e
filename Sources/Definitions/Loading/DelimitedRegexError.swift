/// Why a `regex:` argument is not a usable delimited pattern.
package struct DelimitedRegexError: Error, Sendable, Equatable {
    /// What is wrong, e.g. "unknown regex flag 'g' (use i, m, s, x or u)".
    package var message: String
    /// Unicode-scalar offset inside the scanned text where the problem is.
    package var scalarOffset: Int
    /// Where scanning can safely resume (past the literal), when the literal's end is known.
    package var resumeOffset: Int?

    package init(message: String, scalarOffset: Int, resumeOffset: Int? = nil) {
        self.message = message; self.scalarOffset = scalarOffset; self.resumeOffset = resumeOffset
    }
}
