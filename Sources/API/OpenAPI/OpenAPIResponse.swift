import Engine

/// One documented response of an operation (OpenAPI 3.1 Response Object).
struct OpenAPIResponse: Sendable {
    var status: Int
    var description: String
    /// Media type → schema; empty for a response without content.
    var content: [(String, JSONValue)]

    /// A JSON response whose body is the component schema `schema`.
    static func json(_ status: Int, _ description: String, schema: String) -> OpenAPIResponse {
        OpenAPIResponse(status: status, description: description, content: [("application/json", OpenAPISchemas.ref(schema))])
    }

    /// An error response `{"message": ...}`.
    static func message(_ status: Int, _ description: String) -> OpenAPIResponse {
        json(status, description, schema: "Message")
    }

    /// `401`, added to every authenticated operation.
    static let unauthenticated = OpenAPIResponse(
        status: 401, description: "Missing or unknown bearer token, or no live session cookie: `{\"message\": \"Unauthenticated.\"}` with `WWW-Authenticate: Bearer`.",
        content: [("application/json", OpenAPISchemas.ref("Message"))])
    /// `403`, added to every authenticated operation: the scope it needs (`nil`: any token) and,
    /// for state-changing methods, the CSRF token of a cookie session.
    static func forbidden(scope: TokenScope?, stateChanging: Bool) -> OpenAPIResponse {
        var text = scope.map { "The token (or the session's token) lacks the `\($0.rawValue)` scope." } ?? ""
        if stateChanging {
            text += (text.isEmpty ? "" : " Or: ") + "signed in with the session cookie, the request has no matching `X-CSRF-Token` header."
        }
        return message(403, text)
    }
    /// `408`, added to every operation that takes a request body.
    static let bodyTooSlow = message(408, """
        The request body did not arrive in time: it stalled for 30 s, or after its first 30 s it averaged less than \
        the server's minimum rate (1 KiB/s by default). The connection is closed.
        """)
    /// `422` with Laravel's `errors` object.
    static func validation(_ description: String) -> OpenAPIResponse {
        json(422, description, schema: "ValidationError")
    }
    /// `500`, added to every operation.
    static let serverError = message(500, "Unexpected failure: `{\"message\": \"Server Error.\"}`; details are only logged.")

    var json: JSONValue {
        var members: [(String, JSONValue)] = [("description", .string(description))]
        if !content.isEmpty {
            members.append(("content", .object(content.map { ($0.0, .object([("schema", $0.1)])) })))
        }
        return .object(members)
    }
}
