/// The keys the decoder accepts at each level of a definition, in the order the docs list them.
///
/// Anything else is an "unknown key" problem with a suggestion. These lists are public so a
/// test can hold them equal to the `properties` of `schemas/importer.schema.json`: docs, schema
/// and decoder cannot drift apart silently.
public enum DefinitionKeys {
    /// Top level. `$schema` lets editors find the JSON Schema; it is otherwise ignored.
    public static let topLevel = [
        "$schema", "slug", "name", "description", "source", "target", "columns", "headers",
        "transaction", "chunk_size", "row_log", "error_budget", "limits", "examples",
    ]
    /// `source`.
    public static let source = [
        "type", "formats", "max_size_mb", "path", "url", "timeout_s", "headers", "format", "csv", "xlsx", "json",
    ]
    /// `source.csv`.
    public static let csv = ["delimiter", "quote", "encoding", "header_row"]
    /// `source.xlsx`.
    public static let xlsx = ["sheet"]
    /// `source.json`.
    public static let json = ["pointer"]
    /// `target`.
    public static let target = ["table", "key", "on_duplicate", "newer_by", "allow_empty_key", "create_table"]
    /// `headers`.
    public static let headers = ["match", "strict"]
    /// `error_budget`.
    public static let errorBudget = ["max_failed_rows", "max_failed_ratio"]
    /// `limits`.
    public static let limits = ["max_value_bytes", "max_row_bytes"]
    /// One entry of `columns`.
    public static let column = [
        "from", "value", "template", "transform", "default", "type", "formats", "true_values",
        "false_values", "decimal_separator", "thousands_separator", "rules", "lookup", "nullable",
        "unique_in_file", "sql_type",
    ]
    /// A column's `lookup`.
    public static let lookup = ["table", "match", "select", "create_missing"]
    /// One entry of `examples`.
    public static let example = ["row", "expect"]
    /// An example's `expect`.
    public static let expect = ["values", "errors"]
    /// A rule written as an object with its own message: `{"rule": "regex:/…/", "message": "…"}`.
    public static let ruleWithMessage = ["rule", "message"]
    /// The `{"map": {…}}` transform step, which may carry a sibling `default`.
    public static let mapStep = ["map", "default"]
    /// Arguments of `{"replace": {…}}`.
    public static let replaceArguments = ["from", "to"]
    /// Arguments of `{"regex_replace": {…}}`.
    public static let regexReplaceArguments = ["pattern", "with"]
    /// Arguments of `{"pad_left": {…}}`.
    public static let padLeftArguments = ["length", "with"]
    /// Arguments of `{"substring": {…}}`.
    public static let substringArguments = ["start", "length"]
}
