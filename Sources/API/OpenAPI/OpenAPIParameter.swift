import Engine

/// A path or query parameter of an operation (OpenAPI 3.1 Parameter Object).
struct OpenAPIParameter: Sendable {
    /// Where the parameter is sent.
    enum Location: String, Sendable { case path, query, header }

    var name: String
    var location: Location
    var description: String
    var required: Bool
    var schema: JSONValue

    /// A required path parameter.
    static func path(_ name: String, _ description: String, schema: JSONValue) -> OpenAPIParameter {
        OpenAPIParameter(name: name, location: .path, description: description, required: true, schema: schema)
    }

    /// An optional query parameter.
    static func query(_ name: String, _ description: String, schema: JSONValue) -> OpenAPIParameter {
        OpenAPIParameter(name: name, location: .query, description: description, required: false, schema: schema)
    }

    /// An optional request header.
    static func header(_ name: String, _ description: String, schema: JSONValue) -> OpenAPIParameter {
        OpenAPIParameter(name: name, location: .header, description: description, required: false, schema: schema)
    }

    /// The run id segment shared by most endpoints.
    static let ingestRun = path("ingestRun", "The ID of the ingest run.", schema: .object([("type", "integer"), ("minimum", 1)]))
    /// The importer slug segment.
    static let importerSlug = path("importerSlug", "The slug of the importer definition (its file name), e.g. `products`.",
                                   schema: .object([("type", "string")]))
    /// `?page=N`.
    static let page = query("page", "The 1-based page number (default 1).",
                            schema: .object([("type", "integer"), ("minimum", 1), ("maximum", .integer(Int64(PageRequest.maxValue)))]))
    /// `?per_page=N`: accepted up to the same maximum as `page`, then lowered to 100.
    static let perPage = query("per_page", "Items per page (default 15; values above 100 are lowered to 100).",
                               schema: .object([("type", "integer"), ("minimum", 1), ("maximum", .integer(Int64(PageRequest.maxValue)))]))

    var json: JSONValue {
        .object([
            ("name", .string(name)),
            ("in", .string(location.rawValue)),
            ("description", .string(description)),
            ("required", .bool(required)),
            ("schema", schema),
        ])
    }
}
