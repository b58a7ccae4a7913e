/// Definition files used by the tests, kept as Swift literals so the test target needs no
/// resources (SwiftPM would otherwise warn about unhandled files).
extension TestFixtures {
    /// The complete example of DEFINITIONS.md, verbatim.
    static let completeExample = #"""
{
  "$schema": "../schemas/importer.schema.json",
  "name": "Product catalogue",
  "description": "Nightly product feed and manual uploads",
  "source": { "type": "upload", "formats": ["csv", "xlsx"] },
  "target": {
    "table": "products",
    "key": ["sku"],
    "on_duplicate": "update"
  },
  "headers": { "match": "normalized", "strict": false },
  "transaction": "chunk",
  "chunk_size": 1000,
  "row_log": "failed",
  "columns": {
    "sku":         { "from": ["SKU", "Product Code"], "type": "text", "rules": "required|regex:/^SKU-[0-9]{8}$/" },
    "name":        { "from": "Name", "transform": ["trim", "collapse_whitespace"], "rules": "required|min:2|max:200" },
    "email":       { "from": "Contact Email", "transform": ["trim", "lowercase"], "rules": "nullable|email" },
    "price":       { "from": "Price", "type": "decimal", "rules": "required|min:0" },
    "stock":       { "from": "Stock", "type": "integer", "default": 0, "rules": "min:0" },
    "category_id": { "from": "Category", "lookup": { "table": "categories", "match": "slug", "select": "id", "create_missing": true } },
    "released_on": { "from": "Released On", "type": "date", "formats": ["yyyy-MM-dd", "dd.MM.yyyy"] },
    "active":      { "from": "Active", "type": "boolean" },
    "weight_g":    { "from": "Weight (kg)", "type": "decimal", "transform": [{ "multiply": 1000 }] }
  }
}
"""#

    /// A valid definition that uses every key of the format.
    static let kitchenSink = #"""
{
  "$schema": "../../../schemas/importer.schema.json",
  "slug": "kitchen-sink",
  "name": "Every key",
  "description": "Uses every key of the format once, so the schema and the decoder are both exercised.",
  "source": {
    "type": "url",
    "url": "https://example.com/feed.csv",
    "timeout_s": 30,
    "headers": { "Accept": "text/csv", "X-Api-Version": "2" },
    "format": "csv",
    "csv": { "delimiter": ";", "quote": "'", "encoding": "windows-1252", "header_row": 2 },
    "xlsx": { "sheet": 2 },
    "json": { "pointer": "/data/items" }
  },
  "target": { "table": "people", "key": ["email", "team"], "on_duplicate": "update_if_newer", "newer_by": "updated_at", "allow_empty_key": true, "create_table": false, "alter": true },
  "headers": { "match": "exact", "strict": true },
  "transaction": "row",
  "chunk_size": 500,
  "row_log": "all",
  "error_budget": { "max_failed_rows": 100, "max_failed_ratio": 0.05 },
  "limits": { "max_value_bytes": 65536, "max_row_bytes": 1048576 },
  "webhooks": [{ "url": "https://hooks.example.com/ingest", "events": ["run.started", "run.chunk", "run.completed"], "secret_env": "INGEST_SECRET_HOOK" }],
  "columns": {
    "email": { "from": ["E-mail", "Email Address"], "transform": ["trim", "lowercase"], "rules": "required|email|max:255" },
    "team": { "from": "Team", "rules": ["required", { "in": ["red", "blue", "a,b"] }, { "rule": "regex:/^[a-z|,]+$/i", "message": "Teams are lower-case words." }] },
    "full_name": { "template": "{First Name} {Last Name}", "transform": ["collapse_whitespace", "title_case"] },
    "code": { "from": "Code", "transform": [
      "strip_non_digits",
      { "pad_left": { "length": 8, "with": "0" } },
      { "prefix": "C-" },
      { "suffix": "-X" },
      { "substring": { "start": 0, "length": 12 } },
      { "replace": { "from": "--", "to": "-" } },
      { "regex_replace": { "pattern": "\\s+", "with": " " } }
    ], "rules": "required_with:email|required_without:team|starts_with:C-|ends_with:-X", "sql_type": "VARCHAR(12)" },
    "status": { "from": "Status", "transform": ["uppercase", { "null_if": ["", "N/A", "-"] }, { "map": { "A": "active", "I": "inactive" }, "default": "unknown" }], "default": "unknown", "rules": "in:active,inactive,unknown|required_if:team,red" },
    "amount_cents": { "from": "Amount", "type": "integer", "decimal_separator": ",", "thousands_separator": ".", "transform": [{ "multiply": 100 }, { "round": 0 }], "rules": "integer|between:0,1000000|digits_between:1,7" },
    "ratio": { "from": "Ratio", "type": "decimal", "transform": [{ "divide": 100 }], "rules": "numeric|min:0|max:1|size:1" },
    "subscribed": { "from": "Subscribed", "type": "boolean", "true_values": ["ja", "J"], "false_values": ["nein", "N"], "rules": "boolean" },
    "born_on": { "from": "Born", "type": "date", "formats": ["dd.MM.yyyy", "yyyy-MM-dd"], "rules": "date|after:1900-01-01|before:today" },
    "updated_at": { "from": "Updated", "type": "datetime", "formats": ["yyyy-MM-dd'T'HH:mm:ss", "dd/MM/yyyy hh:mm a"], "rules": ["date_format:Y-m-d\\TH:i:s"] },
    "tags": { "from": "Tags", "type": "json", "transform": [{ "split": "," }] },
    "country_id": { "from": "Country", "lookup": { "table": "countries", "match": "code", "select": "id", "on_missing": "null", "create_missing": false }, "rules": "exists:countries,code|alpha|size:2" },
    "handle": { "from": "Handle", "transform": ["slug"], "rules": "alpha_dash|not_in:admin,root|not_regex:/^-/|distinct|unique", "unique_in_file": true, "nullable": true },
    "website": { "from": "Web", "rules": "nullable|url|string" },
    "ip_address": { "from": "IP", "rules": "ip" },
    "external_id": { "from": "ID", "rules": "uuid|alpha_num" },
    "phone": { "from": "Phone", "rules": "digits:10" },
    "batch": { "value": "{{run.id}} from {{ run.original_filename }}" },
    "imported_at": { "value": "{{run.started_at}}" },
    "origin": { "value": 7 }
  },
  "examples": [
    { "row": { "E-mail": " Ann@Example.com ", "Team": "red", "Amount": "1.234,5", "Subscribed": "ja", "Empty": null, "N": 3 },
      "expect": { "values": { "email": "ann@example.com", "team": "red", "amount_cents": 123450, "subscribed": true, "handle": null } } },
    { "row": { "E-mail": "bad" }, "expect": { "errors": ["email", "team"] } }
  ]
}
"""#
}
