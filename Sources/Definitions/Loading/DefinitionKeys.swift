/// The keys the decoder accepts at each level of a definition, in the order the docs list them.
///
/// Anything else is an "unknown key" problem with a suggestion. These lists are public so a
/// test can hold them equal to the `properties` of `schemas/importer.schema.json`: docs, schema
/// and decoder cannot drift apart silently.
package enum DefinitionKeys {
    /// Top level. `$schema` lets editors find the JSON Schema; it is otherwise ignored.
    package static let topLevel = [
        "$schema", "slug", "name", "description", "source", "target", "columns", "headers",
        "transaction", "chunk_size", "row_log", "error_budget", "limits", "examples", "webhooks", "nest",
    ]
    /// One entry of `nest`.
    package static let nest = ["path", "table", "parent_column", "columns", "key", "on_duplicate", "create_table"]
    /// One entry of `webhooks`.
    package static let webhook = ["url", "events", "secret_env"]
    /// `source`.
    package static let source = [
        "type", "formats", "max_size_mb", "path", "url", "timeout_s", "headers", "host", "port", "username",
        "password_env", "private_key_path", "passive", "host_key_sha256", "known_hosts_path", "ca_path",
        "format", "csv", "xlsx", "json",
    ]
    /// `source.csv`.
    package static let csv = ["delimiter", "quote", "encoding", "header_row"]
    /// `source.xlsx`.
    package static let xlsx = ["sheet"]
    /// `source.json`.
    package static let json = ["pointer"]
    /// `target`.
    package static let target = ["table", "key", "on_duplicate", "newer_by", "allow_empty_key", "create_table", "alter", "without_rowid", "route"]
    /// `target.route`.
    package static let route = ["column", "tables"]
    /// `headers`.
    package static let headers = ["match", "strict"]
    /// `error_budget`.
    package static let errorBudget = ["max_failed_rows", "max_failed_ratio"]
    /// `limits`.
    package static let limits = ["max_value_bytes", "max_row_bytes"]
    /// One entry of `columns`.
    package static let column = [
        "from", "value", "template", "transform", "default", "type", "formats", "true_values",
        "false_values", "decimal_separator", "thousands_separator", "rules", "lookup", "nullable",
        "unique_in_file", "sql_type", "label", "when", "relate_many",
    ]
    /// A `when` condition (on a column, a transform step or a rule).
    package static let when = ["column", "equals", "in", "matches", "not"]
    /// A column's `lookup`.
    package static let lookup = ["table", "match", "select", "on_missing", "create_missing"]
    /// A column's `relate_many`.
    package static let relateMany = ["table", "parent_column", "related", "related_column", "separator", "mode"]
    /// `relate_many.related`.
    package static let related = ["table", "match", "select", "on_missing"]
    /// One entry of `examples`.
    package static let example = ["row", "expect"]
    /// An example's `expect`.
    package static let expect = ["values", "errors"]
    /// A rule written as an object with its own message: `{"rule": "regex:/…/", "message": "…"}`.
    package static let ruleWithMessage = ["rule", "message", "when"]
    /// Keys any transform step object may carry beside the transform's name.
    package static let stepCondition = ["when"]
    /// The `{"map": {…}}` transform step, which may carry a sibling `default` (and, as every
    /// step, a `when`).
    package static let mapStep = ["map", "default", "when"]
    /// Arguments of `{"replace": {…}}`.
    package static let replaceArguments = ["from", "to"]
    /// Arguments of `{"regex_replace": {…}}`.
    package static let regexReplaceArguments = ["pattern", "with"]
    /// Arguments of `{"pad_left": {…}}`.
    package static let padLeftArguments = ["length", "with"]
    /// Arguments of `{"concat": {…}}`.
    package static let concatArguments = ["columns", "separator"]
    /// Arguments of `{"substring": {…}}`.
    package static let substringArguments = ["start", "length"]
}
