/// Where something sits in a definition file, so every problem can point at it.
///
/// `line` and `column` are 1-based, as editors and compilers print them; `column` counts Unicode
/// scalars (not bytes) from the start of the line, so a name with accents still lines up.
package struct SourcePosition: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// 0-based byte offset from the start of the file.
    package var offset: Int
    /// 1-based line number.
    package var line: Int
    /// 1-based column, in Unicode scalars.
    package var column: Int

    package init(offset: Int, line: Int, column: Int) {
        self.offset = offset; self.line = line; self.column = column
    }

    /// `line:column`, the form editors jump to.
    package var description: String { "\(line):\(column)" }

    /// The position `scalars` Unicode scalars further on the same line.
    func advanced(byScalars scalars: Int, bytes: Int) -> SourcePosition {
        SourcePosition(offset: offset + bytes, line: line, column: column + scalars)
    }
}
