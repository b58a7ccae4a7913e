/// One transform step, applied in order before type coercion.
package enum TransformSpec: Sendable, Equatable {
    case trim, collapseWhitespace, lowercase, uppercase, titleCase, slug, stripNonDigits
    case replace(from: String, to: String)
    case regexReplace(pattern: String, with: String)
    /// Values that become null (empty), compared after the previous steps.
    case nullIf([String])
    /// Exact-match mapping; `default` applies to unmapped values (nil keeps them as they are).
    case map([String: JSONScalar], default: JSONScalar?)
    case prefix(String), suffix(String)
    case padLeft(length: Int, with: String)
    case substring(start: Int, length: Int?)
    case multiply(Double), divide(Double)
    case round(Int)
    /// Splits text into a list on the separator (stored as a JSON array).
    case split(String)
    /// Replaces the value with the cells of these source columns joined by `separator`,
    /// skipping empty ones (Laravel Ingest's Concat).
    case concat(columns: [String], separator: String)

    /// Every transform name as written in definitions, for "did you mean".
    package static let names: [String] = [
        "trim", "collapse_whitespace", "lowercase", "uppercase", "title_case", "slug", "strip_non_digits",
        "replace", "regex_replace", "null_if", "map", "prefix", "suffix", "pad_left", "substring",
        "multiply", "divide", "round", "split", "concat",
    ]
}
