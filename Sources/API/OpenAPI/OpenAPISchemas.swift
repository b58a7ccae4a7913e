import Definitions
import Engine

/// The JSON Schemas (2020-12, as OpenAPI 3.1 uses them) of the API's resources.
///
/// They describe what `IngestRun.json(rows:)`, `LoggedRow.json`, `ErrorSummary.json` and
/// `ImporterSummary.json` write; a test validates live responses against the required fields.
enum OpenAPISchemas {
    /// `{"$ref": "#/components/schemas/<name>"}`.
    static func ref(_ name: String) -> JSONValue {
        .object([("$ref", .string("#/components/schemas/" + name))])
    }

    /// `components.schemas`.
    static var components: JSONValue {
        .object([
            ("IngestRun", ingestRun),
            ("IngestRunProgress", progress),
            ("IngestRunSummary", runSummary),
            ("IngestRow", ingestRow),
            ("RowErrors", rowErrors),
            ("IngestRunResource", envelope(ref("IngestRun"))),
            ("IngestRunCollection", collection(of: "IngestRun")),
            ("IngestRowCollection", collection(of: "IngestRow")),
            ("PaginationLinks", paginationLinks),
            ("PaginationMeta", paginationMeta),
            ("ErrorSummaryEntry", object(["message": string, "count": integer], required: ["message", "count"])),
            ("IngestErrorSummaryResource", envelope(errorSummary)),
            ("Importer", importer),
            ("ImporterDetail", importerDetail),
            ("ImporterColumn", importerColumn),
            ("ImporterCollection", envelope(array(of: ref("Importer")))),
            ("ImporterResource", envelope(ref("ImporterDetail"))),
            ("ImporterCheckResource", envelope(importerCheck)),
            ("SignInRequest", object(["token": string], required: ["token"], additional: false)),
            ("SessionResource", envelope(session)),
            ("TokenCollection", envelope(array(of: token))),
            ("UploadRequest", uploadRequest),
            ("DryRunRequest", object(["dry_run": .object([
                ("enum", .array([true, false, 1, 0, "1", "0", "true", "false", .null])), ("default", false),
                ("description", "`true`, `1`, `\"1\"` or `\"true\"` simulates the run; `false`, `0`, their strings, `null` or no key run it for real."),
            ])], required: [], additional: false)),
            ("Message", object(["message": string], required: ["message"])),
            ("ValidationError", validationError),
            ("UnsupportedFormatError", object(["message": string, "accepted_formats": array(of: string)],
                                              required: ["message", "accepted_formats"])),
            ("Health", object(["status": .object([("type", "string"), ("const", "ok")])], required: ["status"])),
            ("WebhookDelivery", webhookDelivery),
            ("WebhookAttempt", webhookAttempt),
            ("WebhookDeliveryCollection", envelope(array(of: ref("WebhookDelivery")))),
        ])
    }

    /// What `WebhookDelivery.json` writes: no payload and no secret, the URL without query.
    static var webhookDelivery: JSONValue {
        object([
            "delivery_id": string, "event": enumeration(WebhookEvent.allCases.map(\.rawValue)),
            "url": .object([("type", "string"), ("description", "scheme://host/path: no credentials, port or query.")]),
            "status": enumeration(WebhookDelivery.Status.allCases.map(\.rawValue)), "attempts": integer,
            "next_attempt_at": nullableTimestamp, "last_status_code": nullableInteger, "last_error": nullableString,
            "created_at": timestamp, "delivered_at": nullableTimestamp, "attempt_log": array(of: ref("WebhookAttempt")),
        ], required: ["delivery_id", "event", "url", "status", "attempts", "next_attempt_at", "last_status_code", "last_error",
                      "created_at", "delivered_at", "attempt_log"])
    }

    static var webhookAttempt: JSONValue {
        object([
            "attempt": integer, "started_at": timestamp, "duration_ms": integer, "status_code": nullableInteger,
            "error": nullableString, "next_attempt_at": nullableTimestamp,
        ], required: ["attempt", "started_at", "duration_ms", "status_code", "error", "next_attempt_at"])
    }

    // MARK: - Building blocks

    static let string: JSONValue = .object([("type", "string")])
    /// Any bytes (a workbook download).
    static let binary: JSONValue = .object([("type", "string"), ("format", "binary")])
    static let integer: JSONValue = .object([("type", "integer")])
    static let boolean: JSONValue = .object([("type", "boolean")])
    static let nullableString: JSONValue = .object([("type", .array(["string", "null"]))])
    static let nullableInteger: JSONValue = .object([("type", .array(["integer", "null"]))])
    static let nullableTimestamp: JSONValue = .object([
        ("type", .array(["string", "null"])), ("format", "date-time"),
        ("description", "ISO 8601 UTC with microseconds, e.g. 2023-10-27T10:00:00.000000Z."),
    ])
    static let timestamp: JSONValue = .object([("type", "string"), ("format", "date-time")])

    static func array(of items: JSONValue) -> JSONValue {
        .object([("type", "array"), ("items", items)])
    }

    /// An object schema whose properties keep the order written.
    static func object(_ properties: KeyValuePairs<String, JSONValue>, required: [String], additional: Bool = true,
                       description: String? = nil) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("type", "object"),
            ("properties", .object(properties.map { ($0.key, $0.value) })),
        ]
        if let description { members.append(("description", .string(description))) }
        if !required.isEmpty { members.append(("required", .array(required.map(JSONValue.string)))) }
        if !additional { members.append(("additionalProperties", false)) }
        return .object(members)
    }

    /// `{"data": schema}`.
    static func envelope(_ schema: JSONValue) -> JSONValue {
        object(["data": schema], required: ["data"])
    }

    /// A Laravel-style paginated collection of `item`.
    static func collection(of item: String) -> JSONValue {
        object(["data": array(of: ref(item)), "links": ref("PaginationLinks"), "meta": ref("PaginationMeta")],
               required: ["data", "links", "meta"])
    }

    static func enumeration(_ values: [String]) -> JSONValue {
        .object([("type", "string"), ("enum", .array(values.map(JSONValue.string)))])
    }

    // MARK: - Resources

    static var ingestRun: JSONValue {
        object([
            "id": integer,
            "importer": .object([("type", "string"), ("description", "The importer slug.")]),
            "status": enumeration(RunStatus.allCases.map(\.rawValue)),
            "user_id": nullableInteger,
            "original_filename": nullableString,
            "progress": ref("IngestRunProgress"),
            "summary": .object([("oneOf", .array([ref("IngestRunSummary"), .object([("type", "null")])]))]),
            "started_at": nullableTimestamp,
            "completed_at": nullableTimestamp,
            "rows": .object([("type", "array"), ("items", ref("IngestRow")),
                             ("description", "Only on GET /{ingestRun} (and its events, empty): the first 100 logged rows, or `?rows=N` of them.")]),
            "dry_run": boolean,
            "parent_id": nullableInteger,
            "retried_from_run_id": nullableInteger,
            "definition_hash": nullableString,
            "failure_reason": nullableString,
            "cancel_requested": boolean,
            "created_at": timestamp,
            "resumable": .object([("type", "boolean"), ("description", "Whether `POST /{ingestRun}/resume` can continue the run.")]),
            "resumed_from_run_id": nullableInteger,
            "applied_from_run_id": nullableInteger,
            "rolled_back_rows": .object([("type", "integer"), ("description", "Valid rows written and then rolled back (not in the table).")]),
            "rows_per_second": .object([("type", .array(["number", "null"])), ("description", """
                Rows processed per second since the run started (for a finished run, over its whole run); null before it starts.
                """)]),
            "eta_seconds": .object([("type", .array(["number", "null"])), ("description", """
                Seconds until a processing run reaches the end of its source at its rate so far (from bytes read of the file's \
                size); null when unknown and once the run is not processing.
                """)]),
        ], required: ["id", "importer", "status", "user_id", "original_filename", "progress", "summary", "started_at", "completed_at"])
    }

    static var progress: JSONValue {
        object([
            "total": integer, "processed": integer, "successful": integer, "failed": integer,
            "created": integer, "updated": integer, "skipped": integer,
            "bytes_read": integer, "bytes_total": nullableInteger,
        ], required: ["total", "processed", "successful", "failed"])
    }

    static var runSummary: JSONValue {
        object([
            "errors": array(of: string),
            "warnings": array(of: string),
            "meta": object([
                "total_rows": integer, "successful_rows": integer, "failed_rows": integer, "created_rows": integer,
                "updated_rows": integer, "skipped_rows": integer, "duration_ms": integer, "rows_per_second": integer,
                "dry_run": boolean, "source": .object([("type", "object"), ("additionalProperties", string)]),
                "rolled_back": object(["created": integer, "updated": integer, "skipped": integer], required: ["created", "updated", "skipped"]),
                "threads": object(["read_validate_cpu_ms": integer, "write_cpu_ms": integer, "write_sqlite_ms": integer],
                                  required: ["read_validate_cpu_ms", "write_cpu_ms", "write_sqlite_ms"]),
                "relations": object(["attached": integer, "detached": integer, "created": integer],
                                    required: ["attached", "detached", "created"]),
                "tables": .object([("type", "object"), ("description", "target.route and nest importers: created, updated and skipped rows per table (the target, each routed table, each child table)."),
                                   ("additionalProperties", object(["created": integer, "updated": integer, "skipped": integer],
                                                                   required: ["created", "updated", "skipped"]))]),
            ], required: ["total_rows", "successful_rows", "failed_rows", "created_rows", "updated_rows", "skipped_rows",
                          "duration_ms", "rows_per_second"]),
        ], required: ["errors", "warnings", "meta"])
    }

    static var ingestRow: JSONValue {
        object([
            "row_number": .object([("type", "integer"), ("description", "The record number in the source: header = 1, first data row = 2.")]),
            "status": enumeration(LoggedRow.Status.allCases.map(\.rawValue)),
            "data": .object([("type", "object"), ("additionalProperties", string),
                             ("description", "The original row keyed by source header.")]),
            "errors": .object([("oneOf", .array([ref("RowErrors"), .object([("type", "null")])]))]),
        ], required: ["row_number", "status", "data", "errors"])
    }

    static var rowErrors: JSONValue {
        object([
            "message": string,
            "validation": .object([("type", "object"), ("additionalProperties", array(of: string)),
                                   ("description", "Column → messages.")]),
        ], required: ["message"])
    }

    static var paginationLinks: JSONValue {
        object([
            "first": .object([("type", "string"), ("format", "uri-reference")]),
            "last": .object([("type", "string"), ("format", "uri-reference")]),
            "prev": .object([("type", .array(["string", "null"])), ("format", "uri-reference")]),
            "next": .object([("type", .array(["string", "null"])), ("format", "uri-reference")]),
        ], required: ["first", "last", "prev", "next"], description: """
            Relative to the server root (`/api/v1/ingest?page=2`), or absolute under the server's \
            configured public URL (`--public-url`); never built from the request's Host header.
            """)
    }

    static var paginationMeta: JSONValue {
        object([
            "current_page": integer, "from": nullableInteger, "last_page": integer,
            "path": .object([("type", "string"), ("format", "uri-reference")]),
            "per_page": integer, "to": nullableInteger, "total": integer,
        ], required: ["current_page", "from", "last_page", "path", "per_page", "to", "total"])
    }

    static var errorSummary: JSONValue {
        object([
            "total_failed_rows": integer,
            "error_summary": array(of: ref("ErrorSummaryEntry")),
            "validation_summary": array(of: ref("ErrorSummaryEntry")),
        ], required: ["total_failed_rows", "error_summary", "validation_summary"])
    }

    static var importer: JSONValue {
        object([
            "slug": string,
            "name": nullableString,
            "description": nullableString,
            "source": .object([("type", .array(["string", "null"])), ("enum", .array(["upload", "filesystem", "url", "ftp", "ftps", "sftp", .null]))]),
            "target_table": nullableString,
            "formats": array(of: enumeration(["csv", "tsv", "xlsx", "json", "ndjson"])),
            "definition_hash": .object([("type", "string"), ("description", "SHA-256 of the definition version served.")]),
            "file": string,
            "valid": boolean,
            "serving_previous_version": .object([("type", "boolean"),
                                                 ("description", "The file is broken now; its last good version is still served.")]),
            "errors": array(of: string),
            "loaded_at": timestamp,
        ], required: ["slug", "definition_hash", "valid", "errors"])
    }

    static var importerDetail: JSONValue {
        .object([
            ("allOf", .array([
                ref("Importer"),
                object([
                    "key": array(of: string),
                    "on_duplicate": string,
                    "transaction": string,
                    "chunk_size": integer,
                    "columns": array(of: ref("ImporterColumn")),
                ], required: []),
            ])),
        ])
    }

    static var importerColumn: JSONValue {
        object([
            "name": string, "type": string, "sql_type": string,
            "from": array(of: string), "value": nullableString, "template": string,
            "transforms": array(of: string),
            "rules": array(of: string),
            "lookup": object(["table": string, "match": string, "select": string, "on_missing": string, "create_missing": boolean], required: []),
        ], required: ["name", "type", "sql_type", "transforms", "rules"])
    }

    static var importerCheck: JSONValue {
        object([
            "slug": string, "file": string, "ok": boolean,
            "problems": array(of: string), "notes": array(of: string), "warnings": array(of: string),
            "examples_passed": integer, "examples_total": integer,
        ], required: ["slug", "file", "ok", "problems", "notes", "warnings", "examples_passed", "examples_total"])
    }

    static var session: JSONValue {
        object([
            "token_name": string, "user_id": nullableInteger, "scopes": array(of: enumeration(TokenScope.allCases.map(\.rawValue))),
            "csrf_token": nullableString, "expires_at": nullableTimestamp,
        ], required: ["token_name", "user_id", "scopes", "csrf_token", "expires_at"])
    }

    static var token: JSONValue {
        object([
            "name": string, "user_id": nullableInteger, "scopes": array(of: enumeration(TokenScope.allCases.map(\.rawValue))),
            "created_at": timestamp, "last_used_at": nullableTimestamp,
        ], required: ["name", "user_id", "scopes", "created_at", "last_used_at"])
    }

    static var uploadRequest: JSONValue {
        object([
            // `format: binary` as well: the file part is any bytes, never a JSON value of some type.
            "file": .object([("type", "string"), ("format", "binary"), ("contentMediaType", "application/octet-stream"),
                             ("description", "The data file (CSV, TSV, XLSX, JSON, NDJSON).")]),
            "dry_run": .object([("type", "string"), ("enum", .array(["1", "0", "true", "false"])),
                                ("description", "`1` or `true` simulates the run without saving data.")]),
        ], required: ["file"], additional: false)
    }

    static var validationError: JSONValue {
        object([
            "message": string,
            "errors": .object([("type", "object"), ("additionalProperties", array(of: string))]),
        ], required: ["message", "errors"])
    }
}
