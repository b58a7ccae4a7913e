import Definitions

/// Which source column feeds each target column, decided once per file.
package struct HeaderResolution: Sendable {
    /// The header as read from the file.
    package let sourceHeader: [String]
    /// The first `from` name (or template header) of each input whose header was not found.
    package let missing: [String]
    /// Per entry of `missing`, " Did you mean 'X'?" naming the nearest header of the file, or "".
    package let hints: [String]
    /// Fatal problems (strict headers, ambiguous headers), one sentence each; the run must not
    /// start when non-empty.
    package let problems: [String]
    /// Per compiled column, how its raw value is read from a row.
    let inputs: [ResolvedInput]
    /// Per `when` condition of the importer, the cell it reads (-1: header missing, a problem).
    var conditionCells: [Int] = []

    /// Whether rows can be processed with this resolution.
    package var isUsable: Bool { problems.isEmpty }
}

/// How one column's raw text is obtained from a source row.
enum ResolvedInput: Sendable {
    /// The cell at this index; nil when the header is missing (always empty).
    case cell(Int?)
    /// Literal pieces and cell indexes, concatenated; empty when every referenced cell is empty.
    case template([TemplatePiece])
    /// A constant, resolved when the processor is made (run facts substituted).
    case constant(JSONScalar)
}

/// One piece of a `template` after header resolution.
enum TemplatePiece: Sendable {
    case literal(String)
    case cell(Int?)
    case runFact(RunFactName)
}
