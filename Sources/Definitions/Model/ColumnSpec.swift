/// How one target column is filled: raw value, transforms, default, type, rules, lookup.
package struct ColumnSpec: Sendable, Equatable {
    /// Where the raw value comes from: exactly one of `from`, `value`, `template`.
    package enum Input: Sendable, Equatable {
        /// Source header names: the first is the name, the rest aliases. Dotted names reach into JSON objects.
        case from([String])
        /// A constant, or a string with `{{run.id}}`, `{{run.original_filename}}`, `{{run.started_at}}`.
        case value(JSONScalar)
        /// A string built from source columns: `"{First Name} {Last Name}"`.
        case template(String)
    }

    /// Target column name.
    package var name: String
    /// JSON pointer of this column in the definition (`/columns/price`), for messages.
    package var pointer: String
    /// Where the raw value comes from.
    package var input: Input
    /// Steps applied in order before type coercion.
    package var transforms: [TransformSpec]
    /// Used when the value is empty (missing column, empty cell, or `null_if` hit).
    package var defaultValue: JSONScalar?
    /// Coercion target (default `text`).
    package var type: ColumnType
    /// Date/datetime patterns (`yyyy-MM-dd`), tried in order; empty means ISO 8601.
    package var formats: [String]
    /// Boolean spellings; nil means the built-in lists.
    package var trueValues: [String]?
    /// Like `trueValues`, for false.
    package var falseValues: [String]?
    /// One character; nil means `.`.
    package var decimalSeparator: String?
    /// One character, different from the decimal separator; nil means none.
    package var thousandsSeparator: String?
    /// Validation rules in the order written.
    package var rules: [RuleSpec]
    /// Turns the value into a foreign key.
    package var lookup: LookupSpec?
    /// `relate_many`: the cell lists related values and the row syncs a pivot table; the column
    /// is then not a column of the target table.
    package var relateMany: RelateManySpec?
    /// An empty value is allowed and stored as NULL (same as the `nullable` rule).
    package var nullable: Bool
    /// Values must be unique within one file (same as the `distinct` rule).
    package var uniqueInFile: Bool
    /// Overrides the SQL type of a created column.
    package var sqlType: String?
    /// What messages call the field (`:attribute`); nil means the source header, Laravel style.
    package var label: String?
    /// `when`: the column is mapped only for rows where this holds; other rows give it no value
    /// (NULL, no default, no transforms, no rules).
    package var when: WhenSpec?
    /// Conditions of transform steps, by index into `transforms` (`{"uppercase": true, "when": …}`).
    package var transformWhen: [Int: WhenSpec]

    package init(
        name: String, pointer: String? = nil, input: Input, transforms: [TransformSpec] = [],
        defaultValue: JSONScalar? = nil, type: ColumnType = .text, formats: [String] = [],
        trueValues: [String]? = nil, falseValues: [String]? = nil,
        decimalSeparator: String? = nil, thousandsSeparator: String? = nil,
        rules: [RuleSpec] = [], lookup: LookupSpec? = nil, nullable: Bool = false,
        uniqueInFile: Bool = false, sqlType: String? = nil, label: String? = nil,
        when: WhenSpec? = nil, transformWhen: [Int: WhenSpec] = [:], relateMany: RelateManySpec? = nil
    ) {
        self.name = name; self.pointer = pointer ?? "/columns/\(name)"; self.input = input
        self.transforms = transforms; self.defaultValue = defaultValue; self.type = type
        self.formats = formats; self.trueValues = trueValues; self.falseValues = falseValues
        self.decimalSeparator = decimalSeparator; self.thousandsSeparator = thousandsSeparator
        self.rules = rules; self.lookup = lookup; self.nullable = nullable
        self.uniqueInFile = uniqueInFile; self.sqlType = sqlType; self.label = label
        self.when = when; self.transformWhen = transformWhen
        self.relateMany = relateMany
    }
}

/// Declared column types; also decide the SQL type of a created table.
package enum ColumnType: String, Sendable, Equatable, CaseIterable {
    case text, integer, decimal, boolean, date, datetime, json
}

/// Turns a value into a foreign key: `SELECT select FROM table WHERE match = value`.
package struct LookupSpec: Sendable, Equatable {
    /// What a value with no matching row does.
    package enum OnMissing: String, Sendable, Equatable, CaseIterable {
        /// The row fails: "No categories found where slug = 'x'." (the default).
        case fail
        /// The row is kept with a NULL foreign key (Laravel Ingest's behaviour).
        case null
        /// `match = value` is inserted into the lookup table (inside the run's transaction).
        case create
    }
    /// The table looked in (an SQL identifier).
    package var table: String
    /// The column compared with the value.
    package var match: String
    /// The column whose value is stored (default `id`).
    package var select: String
    /// What a value with no match does (`on_missing`; `create_missing: true` is `.create`).
    package var onMissing: OnMissing
    /// `create_missing`, the older spelling of `on_missing: create`.
    package var createMissing: Bool {
        get { onMissing == .create }
        set { onMissing = newValue ? .create : (onMissing == .create ? .fail : onMissing) }
    }
    package init(table: String, match: String, select: String = "id", createMissing: Bool = false, onMissing: OnMissing? = nil) {
        self.table = table; self.match = match; self.select = select
        self.onMissing = onMissing ?? (createMissing ? .create : .fail)
    }
}
