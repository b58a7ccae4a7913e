import Definitions

/// The executable form of one column: everything `RowProcessor` needs, precomputed.
struct ColumnPlan: Sendable {
    /// Where the raw text comes from, before header resolution.
    enum Input: Sendable {
        /// Header keys (already normalised for matching) and the names as written.
        case from(keys: [String], names: [String])
        case template(InputTemplate, keys: [String?])
        case constant(JSONScalar)
    }

    /// A `default`, already coerced to the column's type.
    struct Default: Sendable {
        let text: String
        let value: TypedValue
    }

    let name: String
    let input: Input
    let transforms: [Transform]
    let separators: NumberText.Separators
    let coercion: Coercion
    let defaultValue: Default?
    let validators: [Validator]
    /// Message for a value that does not coerce to the type.
    let typeMessage: String
    /// Message for a well-formed date that does not exist (2021-02-30).
    let calendarMessage: String
    /// Message for a numeric transform (`multiply`…) that met text.
    let numberMessage: String
    let sizeKind: MessageCatalog.SizeKind
    /// Index into the processor's seen-values sets, when the column is `distinct`.
    let distinctSlot: Int?

    var type: ColumnType { coercion.type }
}
