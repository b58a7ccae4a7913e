/// One validation rule as written: `min:2` is name `min`, arguments `["2"]`.
package struct RuleSpec: Sendable, Equatable {
    /// The rule's name, one of `RuleSpec.names`.
    package var name: String
    /// Arguments as written, in order. `regex`/`not_regex` keep the whole `/…/flags` text (see `DelimitedRegex`).
    package var arguments: [String]
    /// A custom message that replaces the built-in one.
    package var message: String?
    /// JSON pointer of the rule in the definition (`/columns/name/rules/1`).
    package var pointer: String
    /// `when`: the rule is checked only for rows where this holds (`{"rule": "required", "when": …}`).
    package var when: WhenSpec?
    package init(name: String, arguments: [String] = [], message: String? = nil, pointer: String = "", when: WhenSpec? = nil) {
        self.name = name; self.arguments = arguments; self.message = message; self.pointer = pointer; self.when = when
    }

    /// Every rule name in the vocabulary, for validation and "did you mean".
    package static let names: [String] = [
        "required", "nullable", "required_if", "required_with", "required_without", "string", "integer",
        "numeric", "boolean", "email", "url", "uuid", "ip", "date", "date_format", "before", "after",
        "min", "max", "between", "size", "digits", "digits_between", "in", "not_in", "regex", "not_regex",
        "alpha", "alpha_num", "alpha_dash", "ascii", "starts_with", "ends_with", "distinct", "unique", "exists",
    ]
}
