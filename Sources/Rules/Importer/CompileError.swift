/// Every semantic problem found while compiling a definition, reported at once.
///
/// The loader has already checked the shape; these are problems only execution knows about:
/// a regex that does not compile, an unknown date pattern letter, a rule argument that is not
/// a number, a rule naming a column that does not exist.
package struct CompileError: Error, CustomStringConvertible, Sendable, Equatable {
    /// One problem at one place in the definition.
    package struct Problem: Sendable, Equatable {
        /// JSON pointer into the definition, e.g. `/columns/sku/rules/1`.
        package let pointer: String
        package let message: String
        package init(pointer: String, message: String) { self.pointer = pointer; self.message = message }
    }

    /// Every problem, in definition order; never empty.
    package let problems: [Problem]

    package init(problems: [Problem]) { self.problems = problems }

    /// One line per problem: `pointer: message`.
    package var description: String {
        problems.map { "\($0.pointer): \($0.message)" }.joined(separator: "\n")
    }
}
