import Definitions

/// Laravel's English validation messages (`lang/en/validation.php`, Laravel 10 and later) and
/// the placeholder substitution they use.
///
/// Messages are built once at compile time, so a failing cell costs one array append.
enum MessageCatalog {
    /// What `min`/`max`/`between`/`size` measure for a column.
    enum SizeKind: Sendable, Equatable { case numeric, string, array }

    static let templates: [String: String] = [
        "after": "The :attribute field must be a date after :date.",
        "alpha": "The :attribute field must only contain letters.",
        "alpha_dash": "The :attribute field must only contain letters, numbers, dashes, and underscores.",
        "alpha_num": "The :attribute field must only contain letters and numbers.",
        "ascii": "The :attribute field must only contain single-byte alphanumeric characters and symbols.",
        "before": "The :attribute field must be a date before :date.",
        "boolean": "The :attribute field must be true or false.",
        "date": "The :attribute field must be a valid date.",
        "date_format": "The :attribute field must match the format :format.",
        "digits": "The :attribute field must be :digits digits.",
        "digits_between": "The :attribute field must be between :min and :max digits.",
        "distinct": "The :attribute field has a duplicate value.",
        "email": "The :attribute field must be a valid email address.",
        "ends_with": "The :attribute field must end with one of the following: :values.",
        "exists": "The selected :attribute is invalid.",
        "in": "The selected :attribute is invalid.",
        "integer": "The :attribute field must be an integer.",
        "ip": "The :attribute field must be a valid IP address.",
        "json": "The :attribute field must be a valid JSON string.",
        "not_in": "The selected :attribute is invalid.",
        "not_regex": "The :attribute field format is invalid.",
        "numeric": "The :attribute field must be a number.",
        "regex": "The :attribute field format is invalid.",
        "required": "The :attribute field is required.",
        "required_if": "The :attribute field is required when :other is :value.",
        "required_with": "The :attribute field is required when :values is present.",
        "required_without": "The :attribute field is required when :values is not present.",
        "starts_with": "The :attribute field must start with one of the following: :values.",
        "string": "The :attribute field must be a string.",
        "unique": "The :attribute has already been taken.",
        "url": "The :attribute field must be a valid URL.",
        "uuid": "The :attribute field must be a valid UUID.",
    ]

    static let sizeTemplates: [String: [SizeKind: String]] = [
        "between": [
            .numeric: "The :attribute field must be between :min and :max.",
            .string: "The :attribute field must be between :min and :max characters.",
            .array: "The :attribute field must have between :min and :max items.",
        ],
        "max": [
            .numeric: "The :attribute field must not be greater than :max.",
            .string: "The :attribute field must not be greater than :max characters.",
            .array: "The :attribute field must not have more than :max items.",
        ],
        "min": [
            .numeric: "The :attribute field must be at least :min.",
            .string: "The :attribute field must be at least :min characters.",
            .array: "The :attribute field must have at least :min items.",
        ],
        "size": [
            .numeric: "The :attribute field must be :size.",
            .string: "The :attribute field must be :size characters.",
            .array: "The :attribute field must contain :size items.",
        ],
    ]

    /// How Laravel shows an attribute: `str_replace('_', ' ', Str::snake($attribute))`, so
    /// `category_id` → `category id`, `Customer Email` → `customer email`, `releasedOn` →
    /// `released on` and, as in Laravel, `SKU` → `s k u` (a column's `label` overrides it).
    static func attribute(_ name: String) -> String {
        snake(name).replacingUnderscores()
    }

    /// What messages call a column: its `label`; else, as Laravel Ingest's validator sees the
    /// source row, its source header (the first `from` name); else (a `template` or `value`
    /// column, which has no single header) its name.
    static func attribute(of spec: ColumnSpec) -> String {
        if let label = spec.label { return label }
        if case .from(let names) = spec.input, let first = names.first {
            let shown = attribute(first)
            if !shown.isEmpty { return shown }
        }
        return attribute(spec.name)
    }

    /// Laravel's `Str::snake` with `_`: unless the text is only ASCII lower-case letters,
    /// `ucwords` (ASCII letters after space, TAB, CR, LF, FF, VT), whitespace removed, `_`
    /// before every ASCII capital that follows a character, then lower-cased.
    static func snake(_ value: String) -> String {
        if !value.isEmpty && value.utf8.allSatisfy({ $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }) { return value }
        var words: [Character] = []
        var atWordStart = true
        for c in value {
            let isDelimiter = c == " " || c == "\t" || c == "\r" || c == "\n" || c == "\u{0C}" || c == "\u{0B}"
            if atWordStart, c.isASCII, c.isLowercase { words.append(Character(c.uppercased())) } else { words.append(c) }
            atWordStart = isDelimiter
        }
        let squeezed = words.filter { !$0.isWhitespace }
        var out = ""
        for (i, c) in squeezed.enumerated() {
            if i > 0, c.isASCII, c.isUppercase { out.append("_") }
            out.append(c)
        }
        return out.lowercased()
    }

    /// A byte count for people: `1 MiB`, `512 KiB`, or `1000 bytes`.
    static func bytes(_ count: Int) -> String {
        if count >= 1 << 20 && count % (1 << 20) == 0 { return "\(count >> 20) MiB" }
        if count >= 1 << 10 && count % (1 << 10) == 0 { return "\(count >> 10) KiB" }
        return count == 1 ? "1 byte" : "\(count) bytes"
    }

    /// The message for `rule`, from `custom` when given, with placeholders filled.
    static func message(rule: String, custom: String?, sizeKind: SizeKind, placeholders: [String: String]) -> String {
        let template = custom ?? sizeTemplates[rule]?[sizeKind] ?? templates[rule] ?? "The :attribute field is invalid."
        return fill(template, placeholders)
    }

    /// Replaces `:name`, `:Name` and `:NAME`; longer names first so `:values` is not read as `:value`.
    static func fill(_ template: String, _ placeholders: [String: String]) -> String {
        guard template.contains(":") else { return template }
        var out = template
        for key in placeholders.keys.sorted(by: { $0.count > $1.count }) {
            guard let value = placeholders[key] else { continue }
            let capitalized = key.prefix(1).uppercased() + key.dropFirst()
            let capitalizedValue = value.prefix(1).uppercased() + value.dropFirst()
            out = out.replacingAll(":" + key.uppercased(), with: value.uppercased())
            out = out.replacingAll(":" + capitalized, with: capitalizedValue)
            out = out.replacingAll(":" + key, with: value)
        }
        return out
    }
}

extension String {
    /// `a_b` → `a b`, as Laravel writes attribute names.
    func replacingUnderscores() -> String {
        String(map { $0 == "_" ? " " : $0 })
    }

    /// Every occurrence of `target` replaced (literal, no Foundation needed).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        return split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
