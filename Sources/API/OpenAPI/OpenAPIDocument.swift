import Engine
import HTTP

/// Builds the OpenAPI 3.1 document of the API from its endpoint list.
///
/// Paths come from the same ``APIEndpoint`` values the router is built from, so the document
/// cannot list a route that is not served or miss one that is (a test checks both directions).
enum OpenAPIDocument {
    /// The whole document; `prefix` becomes the server URL, so paths are relative to it.
    static func make(endpoints: [APIEndpoint], prefix: String) -> JSONValue {
        var paths: [(String, [(String, JSONValue)])] = []
        for endpoint in endpoints {
            let key = endpoint.path
            let operation = (endpoint.method.rawValue.lowercased(), endpoint.operation.json(
                access: endpoint.access, scope: endpoint.scope, stateChanging: endpoint.method != .get))
            if let index = paths.firstIndex(where: { $0.0 == key }) {
                paths[index].1.append(operation)
            } else {
                paths.append((key, [operation]))
            }
        }
        return .object([
            ("openapi", "3.1.0"),
            ("info", .object([
                ("title", "Ingest API"),
                ("version", "1.0.0"),
                ("description", .string("""
                    Declarative, validated imports of CSV, TSV, XLSX, JSON and NDJSON files into SQLite. \
                    Uploads, triggers and retries create a pending run and answer 202 at once; poll \
                    GET /{ingestRun} until its status is completed, completed_with_errors, failed or cancelled. \
                    Every error body is {"message": ...}, plus "errors" for 422.
                    """)),
            ])),
            ("servers", .array([.object([("url", .string(prefix.isEmpty ? "/" : prefix))])])),
            ("security", .array([.object([("bearerAuth", .array([]))]), .object([("sessionCookie", .array([]))])])),
            ("tags", .array([
                .object([("name", "Runs"), ("description", "Ingest runs: start, inspect, cancel, retry.")]),
                .object([("name", "Importers"), ("description", "The importer definitions being served.")]),
                .object([("name", "Service"), ("description", "Health and this document.")]),
                .object([("name", "Session"), ("description", "Signing in to the dashboard, and the tokens.")]),
            ])),
            ("paths", .object(paths.map { ($0.0, .object($0.1)) })),
            ("components", .object([
                ("securitySchemes", .object([
                    ("bearerAuth", .object([
                        ("type", "http"), ("scheme", "bearer"),
                        ("description", "A token from `ingest token create --name NAME [--scope read,run,admin]`, sent as `Authorization: Bearer ingest_…`. Each operation needs the scope in its `x-required-scope`."),
                    ])),
                    ("sessionCookie", .object([
                        ("type", "apiKey"), ("in", "cookie"), ("name", "ingest_session"),
                        ("description", "The dashboard's session from `POST /session`. State-changing requests must also send `X-CSRF-Token` with the session's `csrf_token`."),
                    ])),
                ])),
                ("schemas", OpenAPISchemas.components),
            ])),
        ])
    }

    /// Every (path, method) the document lists, e.g. `("/{ingestRun}/cancel", "POST")`.
    static func operations(in document: JSONValue) -> [(path: String, method: String)] {
        var result: [(path: String, method: String)] = []
        for (path, item) in document["paths"]?.objectValue ?? [] {
            for (method, _) in item.objectValue ?? [] { result.append((path, method.uppercased())) }
        }
        return result
    }
}
