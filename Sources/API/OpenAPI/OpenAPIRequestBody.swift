import Engine

/// The request body of an operation (OpenAPI 3.1 Request Body Object).
struct OpenAPIRequestBody: Sendable {
    var description: String
    var required: Bool
    var mediaType: String
    var schema: JSONValue

    /// The optional `{"dry_run": true}` of trigger and retry.
    static let dryRunJSON = OpenAPIRequestBody(
        description: "Optional. `{\"dry_run\": true}` runs the whole pipeline and then rolls back.",
        required: false, mediaType: "application/json", schema: OpenAPISchemas.ref("DryRunRequest"))

    /// The token of a sign-in.
    static let signInJSON = OpenAPIRequestBody(
        description: "`{\"token\": \"ingest_…\"}`: the token to sign in with.",
        required: true, mediaType: "application/json", schema: OpenAPISchemas.ref("SignInRequest"))

    /// The multipart form of an upload.
    static let uploadForm = OpenAPIRequestBody(
        description: "The data file in `file`, and optionally `dry_run`.",
        required: true, mediaType: "multipart/form-data", schema: OpenAPISchemas.ref("UploadRequest"))

    var json: JSONValue {
        .object([
            ("description", .string(description)),
            ("required", .bool(required)),
            ("content", .object([(mediaType, .object([("schema", schema)]))])),
        ])
    }
}
