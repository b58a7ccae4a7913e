import Definitions

/// The executable form of one column: everything `RowProcessor` needs, precomputed.
///
/// A final class, not a struct: the processor reads a plan per cell, and copying a struct of
/// this many references would cost a retain/release per field each time.
final class ColumnPlan: Sendable {
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

    /// Messages for the checks every row gets whatever its rules: its key and its size.
    struct Refusals: Sendable {
        /// For a key column (unless `target.allow_empty_key`): the value is empty.
        let emptyKey: String?
        /// The value passed `limits.max_value_bytes`.
        let tooLarge: String
        /// This column's value took the row past `limits.max_row_bytes`.
        let rowTooLarge: String
    }

    let name: String
    let input: Input
    let transforms: [Transform]
    let separators: NumberText.Separators
    let coercion: Coercion
    let defaultValue: Default?
    let validators: [Validator]
    /// Tables the validators refer to by index.
    let messages: [String]
    let patterns: [PatternMatcher]
    let stringLists: [[String]]
    let columnLists: [[Int]]
    let dateFormats: [DateFormat]
    /// How the `date` rule parses a value of a text column (ISO, or the column's formats).
    let dateRuleCoercion: Coercion
    /// Message for a value that does not coerce to the type.
    let typeMessage: String
    /// Message for a well-formed date that does not exist (2021-02-30).
    let calendarMessage: String
    /// Message for a numeric transform (`multiply`…) that met text.
    let numberMessage: String
    let sizeKind: MessageCatalog.SizeKind
    /// Index into the processor's seen-values sets, when the column is `distinct`.
    let distinctSlot: Int?
    let refusals: Refusals
    /// Conditions, as indexes into the importer's conditions (-1: none): the column's own
    /// `when`, one per transform step, and one per validator.
    let when: Int
    let transformWhen: [Int]
    let validatorWhen: [Int]

    let type: ColumnType

    init(name: String, input: Input, transforms: [Transform], separators: NumberText.Separators, coercion: Coercion,
         defaultValue: Default?, validators: [Validator], tables: ValidatorTables, typeMessage: String, calendarMessage: String,
         numberMessage: String, sizeKind: MessageCatalog.SizeKind, distinctSlot: Int?, refusals: Refusals,
         when: Int = -1, transformWhen: [Int] = [], validatorWhen: [Int] = []) {
        self.name = name; self.input = input; self.transforms = transforms; self.separators = separators
        self.coercion = coercion; self.defaultValue = defaultValue; self.validators = validators
        self.messages = tables.messages; self.patterns = tables.patterns; self.stringLists = tables.stringLists
        self.columnLists = tables.columnLists; self.dateFormats = tables.dateFormats
        self.dateRuleCoercion = tables.dateRuleCoercion
        self.typeMessage = typeMessage; self.calendarMessage = calendarMessage; self.numberMessage = numberMessage
        self.sizeKind = sizeKind; self.distinctSlot = distinctSlot; self.type = coercion.type
        self.refusals = refusals
        self.when = when
        self.transformWhen = transformWhen.count == transforms.count ? transformWhen : Array(repeating: -1, count: transforms.count)
        self.validatorWhen = validatorWhen.count == validators.count ? validatorWhen : Array(repeating: -1, count: validators.count)
    }
}

/// The side tables a column's validators index into, filled while compiling its rules.
struct ValidatorTables {
    var messages: [String] = []
    var patterns: [PatternMatcher] = []
    var stringLists: [[String]] = []
    var columnLists: [[Int]] = []
    var dateFormats: [DateFormat] = []
    var dateRuleCoercion: Coercion

    mutating func add(message: String) -> Int { messages.append(message); return messages.count - 1 }
    mutating func add(pattern: PatternMatcher) -> Int { patterns.append(pattern); return patterns.count - 1 }
    mutating func add(strings: [String]) -> Int { stringLists.append(strings); return stringLists.count - 1 }
    mutating func add(columns: [Int]) -> Int { columnLists.append(columns); return columnLists.count - 1 }
    mutating func add(format: DateFormat) -> Int { dateFormats.append(format); return dateFormats.count - 1 }
}
