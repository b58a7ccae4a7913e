/// One thing wrong with a definition file, located as precisely as the file allows.
///
/// Loading collects every problem of a file at once, so a person fixes them in one pass.
/// `description` is the form `ingest check` prints and the API returns:
/// `importers/products.json:14:22: /target/on_duplicate: expected one of skip, update, …`,
/// or `importers/products.json: /columns: …` when no position is known. Problems about the whole
/// file (unreadable, not JSON) have an empty pointer, which is then left out.
package struct DefinitionProblem: Error, Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The file as shown to people, e.g. `importers/products.json`.
    package var file: String
    /// RFC 6901 pointer to the offending value or key inside the file (`/columns/price/rules/2`).
    package var pointer: String
    /// 1-based line, when known.
    package var line: Int?
    /// 1-based column in Unicode scalars, when known.
    package var column: Int?
    /// What is wrong and, where possible, how to fix it.
    package var message: String

    package init(file: String, pointer: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.file = file; self.pointer = pointer; self.line = line; self.column = column; self.message = message
    }

    package init(file: String, pointer: String, position: SourcePosition?, message: String) {
        self.init(file: file, pointer: pointer, line: position?.line, column: position?.column, message: message)
    }

    /// `file:line:column: pointer: message`, dropping what is unknown.
    package var description: String {
        var text = file
        if let line, let column { text += ":\(line):\(column)" }
        text += ": "
        if !pointer.isEmpty { text += pointer + ": " }
        return text + message
    }
}
