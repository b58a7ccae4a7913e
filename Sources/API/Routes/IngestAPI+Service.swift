import Engine
import HTTP

/// Endpoints about the service itself.
extension IngestAPI {
    /// `GET /health`: `{"status":"ok"}` without authentication, for load balancers.
    func health(_ request: HTTPRequest, _ token: AuthenticatedToken?) throws -> HTTPResponse {
        .json(.object([("status", .string("ok"))]), headers: ["Cache-Control": "no-store"])
    }

    /// `GET /openapi.json`: the OpenAPI 3.1 document. Served without authentication: it describes
    /// the routes and shapes, which are public in the README anyway, and tools such as Swagger UI
    /// fetch it without credentials.
    func openAPI(_ request: HTTPRequest, _ token: AuthenticatedToken?) throws -> HTTPResponse {
        .json(bytes: openAPIBytes())
    }
}
