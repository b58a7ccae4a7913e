import Engine
import HTTP

/// The endpoint table: every route the API serves, with its OpenAPI description.
extension IngestAPI {
    /// Every endpoint, in the order of the seed's reference, then Ingest's additions.
    package var endpoints: [APIEndpoint] {
        runReads + starts + runControl + runReports + liveEvents + service + session
    }

    private var run: OpenAPIParameter { .ingestRun }
    private var slug: OpenAPIParameter { .importerSlug }
    private var notFound: OpenAPIResponse { .message(404, "No ingest run with this ID.") }
    private var importerNotFound: OpenAPIResponse { .message(404, "No importer with this slug: `No importer found with the slug 'x'.`") }
    private var importerBroken: OpenAPIResponse {
        .message(503, "The importer's definition has never compiled; see GET /importers/{importerSlug}.")
    }
    private var jsonBody: RouteOptions { RouteOptions(maxBodyBytes: configuration.maxJSONBodyBytes) }

    /// The run list and one run.
    private var runReads: [APIEndpoint] {
        [
            APIEndpoint(.get, "/", operation: OpenAPIOperation(
                operationID: "listIngestRuns", summary: "List ingest runs",
                description: "A paginated list of runs, newest first, optionally filtered by importer and status.",
                tag: "Runs",
                parameters: [
                    .page, .perPage,
                    .query("importer", "Only runs of this importer slug; empty means any.", schema: OpenAPISchemas.string),
                    .query("status", "Only runs with this status; empty means any.", schema: OpenAPISchemas.enumeration(RunStatusNames.all + [""])),
                ],
                responses: [
                    .json(200, "A page of runs.", schema: "IngestRunCollection"),
                    .validation("`page` or `per_page` is not a positive integer, or `status` is unknown."),
                ]), handler: listRuns),
            APIEndpoint(.get, "/{ingestRun}", operation: OpenAPIOperation(
                operationID: "showIngestRun", summary: "Show an ingest run",
                description: "One run with its progress, summary and its first 100 logged rows.",
                tag: "Runs",
                parameters: [run, .query("rows", """
                    How many logged rows to embed: 0 for none (`rows: []`, for cheap polling), at most 100 (larger \
                    values are lowered to 100). Default 100.
                    """, schema: .object([("type", "integer"), ("minimum", 0)]))],
                responses: [
                    .json(200, "The run.", schema: "IngestRunResource"), notFound,
                    .validation("`rows` is not a non-negative integer."),
                ]), handler: showRun),
        ]
    }

    /// Uploads and triggers: what starts a run.
    private var starts: [APIEndpoint] {
        [
            APIEndpoint(.post, "/upload/{importerSlug}",
                        options: RouteOptions(streamingBody: true, maxBodyBytes: Int.max),
                        operation: OpenAPIOperation(
                operationID: "uploadIngestFile", summary: "Upload a file and start a run",
                description: """
                    Streams the file to disk, records a pending run and answers 202 at once; a worker runs it. \
                    The size limit is the importer's `max_size_mb`, else the server's `--max-upload-mb`; a larger \
                    Content-Length is refused before the body is read.
                    """,
                tag: "Runs", parameters: [slug], requestBody: .uploadForm,
                responses: [
                    .json(202, "The run was created (status `pending`).", schema: "IngestRunResource"),
                    .message(400, "The multipart body is malformed, or has more than 16 parts."),
                    importerNotFound,
                    .message(413, """
                        The file is larger than the importer's limit (`The file may not be larger than 1024 MB.`), or a \
                        form field (16 KB), a part's headers (8 KB) or the text before the first boundary (8 KB) is \
                        larger than its own limit; the message says which.
                        """),
                    .json(415, """
                        Not multipart/form-data, a file format the importer does not accept, or content that is none of \
                        its formats (an image, random bytes, a ZIP archive that is not a workbook), with `accepted_formats`.
                        """, schema: "UnsupportedFormatError"),
                    .validation("""
                        `file` is missing (`The file field is required.`), `dry_run` is not 1, 0, true or false, or the \
                        file is CSV or TSV whose header matches none of the importer's columns (`errors.file` names the headers found).
                        """),
                    importerBroken,
                ]), handler: upload),
            APIEndpoint(.post, "/trigger/{importerSlug}", options: jsonBody, operation: OpenAPIOperation(
                operationID: "triggerIngestRun", summary: "Start a run of a non-upload source",
                description: "Starts a run of an importer whose source is a file under the data root or a URL.",
                tag: "Runs", parameters: [slug], requestBody: .dryRunJSON,
                responses: [
                    .json(202, "The run was created (status `pending`).", schema: "IngestRunResource"),
                    .message(400, "The body is not a JSON object."),
                    importerNotFound,
                    .json(415, """
                        The `filesystem` source's file is a format the importer does not accept, or content that is none of \
                        its formats, with `accepted_formats`.
                        """, schema: "UnsupportedFormatError"),
                    .validation("""
                        The importer imports uploads only, its source cannot be read (or is CSV or TSV whose header matches \
                        none of its columns), or `dry_run` is not a boolean.
                        """),
                    importerBroken,
                ]), handler: trigger),
        ]
    }

    /// Cancel, retry, apply and resume: what acts on a run.
    private var runControl: [APIEndpoint] {
        [
            APIEndpoint(.post, "/{ingestRun}/cancel", operation: OpenAPIOperation(
                operationID: "cancelIngestRun", summary: "Cancel an ingest run",
                description: "A pending run is cancelled at once; a processing run stops after its current chunk and ends `cancelled`.",
                tag: "Runs", parameters: [run],
                responses: [
                    .message(200, "`{\"message\": \"Cancellation request sent.\"}`"),
                    notFound,
                    .message(409, "The run has already finished."),
                ]), handler: cancelRun),
            APIEndpoint(.post, "/{ingestRun}/retry", options: jsonBody, operation: OpenAPIOperation(
                operationID: "retryIngestRun", summary: "Retry the failed rows of a run",
                description: "Creates a new run containing only the failed rows of a finished run, under the current definition.",
                tag: "Runs", parameters: [run], requestBody: .dryRunJSON,
                responses: [
                    .json(202, "The retry run was created (status `pending`).", schema: "IngestRunResource"),
                    .message(400, "`The original run has no failed rows to retry.`, or the body is not a JSON object."),
                    notFound,
                    .message(409, "The run has not finished yet, a retry of it is already pending or processing, or a retry of its failed rows alone would leave partial data (a dry run, a rolled-back run, a run stopped before the end of its file); the message says what to do instead."),
                    .validation("`dry_run` is not a boolean."),
                    importerBroken,
                ]), handler: retryRun),
            APIEndpoint(.post, "/{ingestRun}/apply", options: jsonBody, operation: OpenAPIOperation(
                operationID: "applyIngestRun", summary: "Apply a dry run",
                description: """
                    Creates a real run of a completed dry run's file under the same definition version. Refused (409, \
                    with the reason) when the definition or the file changed since the dry run, the file is gone, or \
                    the dry run was already applied.
                    """,
                tag: "Runs", parameters: [run],
                responses: [
                    .json(202, "The run was created (status `pending`).", schema: "IngestRunResource"),
                    notFound,
                    .message(409, "Not a completed dry run, changed definition or file, or already applied."),
                    importerBroken,
                ]), handler: applyRun),
            APIEndpoint(.post, "/{ingestRun}/resume", options: jsonBody, operation: OpenAPIOperation(
                operationID: "resumeIngestRun", summary: "Resume a stopped run",
                description: """
                    Creates a run that continues a cancelled or interrupted run from its last committed chunk: it \
                    skips the rows already committed and starts from the stopped run's counters, so its counters add \
                    up to the file's rows. A `transaction: all` run or a dry run is run again whole. Refused (409, \
                    with the reason) when the definition or the file changed since, or the run failed on its own rows.
                    """,
                tag: "Runs", parameters: [run],
                responses: [
                    .json(202, "The run was created (status `pending`).", schema: "IngestRunResource"),
                    notFound,
                    .message(409, "Not resumable, changed definition or file, or already resumed."),
                    importerBroken,
                ]), handler: resumeRun),
        ]
    }

    /// A run's errors, failed rows, row log and webhook deliveries.
    private var runReports: [APIEndpoint] {
        [
            APIEndpoint(.get, "/{ingestRun}/errors/summary", operation: OpenAPIOperation(
                operationID: "ingestRunErrorSummary", summary: "Get the error summary of a run",
                description: "Failed rows counted by row message and by `column: validation message`, most frequent first.",
                tag: "Runs", parameters: [run],
                responses: [.json(200, "The summary.", schema: "IngestErrorSummaryResource"), notFound]), handler: errorSummary),
            APIEndpoint(.get, "/{ingestRun}/failed-rows/download", operation: OpenAPIOperation(
                operationID: "downloadFailedRows", summary: "Download the failed rows as CSV or XLSX",
                description: """
                    A streamed CSV (or, with `format=xlsx`, a workbook) of the failed rows: the original columns plus \
                    `_error_message` and `_row_number`. Uploaded again, the CSV is accepted by the importer whatever \
                    its `formats`, and the `'` put before formula-like cells is removed.
                    """,
                tag: "Runs",
                parameters: [run, .query("format", "`csv` (the default; empty means csv) or `xlsx`.",
                                         schema: OpenAPISchemas.enumeration(FailedRowsExport.Format.allCases.map(\.rawValue) + [""]))],
                responses: [
                    OpenAPIResponse(status: 200, description: "The file, as an attachment `ingest-run-<id>-failed-rows.csv` (or `.xlsx`).",
                                    content: [("text/csv", OpenAPISchemas.string),
                                              ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", OpenAPISchemas.binary)]),
                    .message(404, "No such run, or `No failed rows found for this ingest run.`"),
                    .validation("`format` is not csv or xlsx."),
                ]), handler: downloadFailedRows),
            APIEndpoint(.get, "/{ingestRun}/rows", operation: OpenAPIOperation(
                operationID: "listIngestRows", summary: "List the logged rows of a run",
                description: "The row log of a run (which rows are logged depends on the importer's `row_log`), paginated.",
                tag: "Runs",
                parameters: [run, .query("status", "Only rows with this status; empty means any.", schema: OpenAPISchemas.enumeration(RunStatusNames.rowStatuses + [""])),
                             .page, .perPage],
                responses: [
                    .json(200, "A page of rows.", schema: "IngestRowCollection"),
                    notFound,
                    .validation("`page` or `per_page` is not a positive integer, or `status` is unknown."),
                ]), handler: listRows),
            APIEndpoint(.get, "/{ingestRun}/webhooks", operation: OpenAPIOperation(
                operationID: "listIngestRunWebhooks", summary: "List the webhook deliveries of a run",
                description: """
                    Every webhook delivery of the run, in the order they were queued, with each attempt (HTTP \
                    status or error, duration, next attempt). The URL is shown without credentials, port or query; \
                    neither the payload nor any secret is included.
                    """,
                tag: "Runs", parameters: [run],
                responses: [.json(200, "The deliveries.", schema: "WebhookDeliveryCollection"), notFound]), handler: listWebhooks),
        ]
    }

    /// Server-Sent Events: one run, and every run.
    private var liveEvents: [APIEndpoint] {
        let lastEventID = OpenAPIParameter.header(
            "Last-Event-ID", "Sent by a reconnecting EventSource: ids go on from it, and the current state is sent at once.",
            schema: OpenAPISchemas.string)
        let tooMany = OpenAPIResponse.message(503, "Too many event streams are open (`--max-event-streams`); `Retry-After` says when to try again.")
        let stream = OpenAPIResponse(status: 200, description: "The event stream.", content: [("text/event-stream", OpenAPISchemas.string)])
        let badLastEventID = OpenAPIResponse.message(400, "`Last-Event-ID` is not a non-negative integer.")
        return [
            APIEndpoint(.get, "/{ingestRun}/events", operation: OpenAPIOperation(
                operationID: "ingestRunEvents", summary: "Follow a run live (Server-Sent Events)",
                description: """
                    A `text/event-stream`. Each event has `id: <integer>`, `event: <name>` and one line of `data:`, the run \
                    object of `GET /{ingestRun}?rows=0`. The first event is `status` (the run as it is now); then `status` \
                    at each change of status, `progress` at most every 250 ms while the counters move, and a final \
                    `completed` (also for `completed_with_errors`), `failed` or `cancelled`, after which the server closes \
                    the stream. A finished run gets its final event at once. A `: keep-alive` comment every 15 s of \
                    silence. Runs executed by another process are followed through the database.
                    """,
                tag: "Events", parameters: [run, lastEventID],
                responses: [stream, badLastEventID, notFound, tooMany]), handler: runEvents),
            APIEndpoint(.get, "/events", operation: OpenAPIOperation(
                operationID: "ingestRunListEvents", summary: "Follow every run live (Server-Sent Events)",
                description: """
                    A `text/event-stream` of `run` events, whose data is the run object of `GET /{ingestRun}?rows=0`, \
                    whenever a run matching the filters is created, progresses or changes status (a run that matched once \
                    is reported until it finishes, so a client sees it leave a `status` filter). After a reconnect with \
                    `Last-Event-ID`, the pending and processing runs that match are sent at once. A `: keep-alive` comment \
                    every 15 s of silence.
                    """,
                tag: "Events",
                parameters: [
                    .query("importer", "Only runs of this importer slug; empty means any.", schema: OpenAPISchemas.string),
                    .query("status", "Only runs with this status; empty means any.", schema: OpenAPISchemas.enumeration(RunStatusNames.all + [""])),
                    lastEventID,
                ],
                responses: [stream, badLastEventID, .validation("`status` is unknown."), tooMany]), handler: listEvents),
        ]
    }

    /// Importers, the OpenAPI document and health.
    private var service: [APIEndpoint] {
        [
            APIEndpoint(.get, "/importers", operation: OpenAPIOperation(
                operationID: "listImporters", summary: "List importers",
                description: "Every definition file with its slug, source, target table, formats, hash and load errors.",
                tag: "Importers",
                responses: [.json(200, "The importers, by slug.", schema: "ImporterCollection")]), handler: listImporters),
            APIEndpoint(.get, "/importers/{importerSlug}", operation: OpenAPIOperation(
                operationID: "showImporter", summary: "Show an importer",
                description: "One importer with its compiled column plan.",
                tag: "Importers", parameters: [slug],
                responses: [.json(200, "The importer.", schema: "ImporterResource"), importerNotFound]), handler: showImporter),
            APIEndpoint(.get, "/importers/{importerSlug}/check", operation: OpenAPIOperation(
                operationID: "checkImporter", summary: "Check an importer",
                description: """
                    What `ingest check` reports: load errors (`file:line:column: pointer: message`), database problems, \
                    notes, warnings and how many of the definition's `examples` pass (a failing one is a problem).
                    """,
                tag: "Importers", parameters: [slug],
                responses: [.json(200, "The check.", schema: "ImporterCheckResource"), importerNotFound]), handler: checkImporter),
            APIEndpoint(.get, "/openapi.json", access: .anonymous, operation: OpenAPIOperation(
                operationID: "openAPIDocument", summary: "This OpenAPI document",
                description: "The OpenAPI 3.1 document of the API. No authentication.",
                tag: "Service",
                responses: [OpenAPIResponse(status: 200, description: "The document.", content: [("application/json", .object([("type", "object")]))])]),
                handler: openAPI),
            APIEndpoint(.get, "/health", access: .anonymous, operation: OpenAPIOperation(
                operationID: "health", summary: "Health check",
                description: "`{\"status\":\"ok\"}` while the server is up. No authentication.",
                tag: "Service",
                responses: [.json(200, "The server is up.", schema: "Health")]), handler: health),
        ]
    }

    /// Signing in to the dashboard, and the token list.
    private var session: [APIEndpoint] {
        [
            APIEndpoint(.post, "/session", access: .signIn, options: RouteOptions(maxBodyBytes: 4096), operation: OpenAPIOperation(
                operationID: "signIn", summary: "Sign in with a token",
                description: """
                    Exchanges `{"token": "ingest_…"}` for a session: sets the `ingest_session` cookie (`HttpOnly; \
                    SameSite=Strict; Path=/`, `Secure` when `--public-url` is https) and returns the session's \
                    `csrf_token`, which every state-changing request made with the cookie must send as `X-CSRF-Token`. \
                    The session has the token's scopes, ends after 12 hours and dies with the token. No token needed in \
                    a header; a token in the URL is refused.
                    """,
                tag: "Session", requestBody: .signInJSON,
                responses: [
                    .json(201, "Signed in; `Set-Cookie` carries the session.", schema: "SessionResource"),
                    .message(400, "The body is not a JSON object, or a token is in the URL."),
                    .message(401, "The token is unknown or revoked: `{\"message\": \"Unauthenticated.\"}`."),
                    .validation("`token` is missing or empty, or another field is sent."),
                ]), handler: signIn),
            APIEndpoint(.get, "/session", anyScope: true, operation: OpenAPIOperation(
                operationID: "showSession", summary: "Show the session",
                description: "Who the request is signed in as: the token's name, user id and scopes, and for a cookie session its `csrf_token` and expiry (`null` with a Bearer token). Any scope.",
                tag: "Session",
                responses: [.json(200, "The session.", schema: "SessionResource")]), handler: showSession),
            APIEndpoint(.delete, "/session", anyScope: true, operation: OpenAPIOperation(
                operationID: "signOut", summary: "Sign out",
                description: "Ends the cookie's session and clears the cookie (with a Bearer token there is no session to end). Any scope; a cookie session must send `X-CSRF-Token`.",
                tag: "Session",
                responses: [.message(200, "`{\"message\": \"Signed out.\"}`, with a `Set-Cookie` that clears the cookie.")]), handler: signOut),
            APIEndpoint(.get, "/tokens", scope: .admin, operation: OpenAPIOperation(
                operationID: "listTokens", summary: "List the tokens",
                description: "Every token's name, user id, scopes, creation and last use (never the token or its hash). Needs the `admin` scope.",
                tag: "Session",
                responses: [.json(200, "The tokens, oldest first.", schema: "TokenCollection")]), handler: listTokens),
        ]
    }
}
