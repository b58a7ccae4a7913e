import Engine

/// What the OpenAPI document says about one endpoint (OpenAPI 3.1 Operation Object).
struct OpenAPIOperation: Sendable {
    var operationID: String
    var summary: String
    var description: String
    var tag: String
    var parameters: [OpenAPIParameter] = []
    var requestBody: OpenAPIRequestBody?
    /// The endpoint's own responses; `401`, `408` and `500` are added by ``json(access:)``.
    var responses: [OpenAPIResponse]

    /// The Operation Object; anonymous endpoints override the document's bearer requirement, and
    /// authenticated ones name their scope in `x-required-scope`.
    func json(access: APIEndpoint.Access, scope: TokenScope?, stateChanging: Bool) -> JSONValue {
        var all = responses
        if access == .token {
            all.append(.unauthenticated)
            if scope != nil || stateChanging { all.append(.forbidden(scope: scope, stateChanging: stateChanging)) }
        }
        if requestBody != nil { all.append(.bodyTooSlow) }
        all.append(.serverError)
        all.sort { $0.status < $1.status }
        var members: [(String, JSONValue)] = [
            ("operationId", .string(operationID)),
            ("summary", .string(summary)),
            ("description", .string(description)),
            ("tags", .array([.string(tag)])),
        ]
        if !parameters.isEmpty { members.append(("parameters", .array(parameters.map(\.json)))) }
        if let requestBody { members.append(("requestBody", requestBody.json)) }
        members.append(("responses", .object(all.map { (String($0.status), $0.json) })))
        if access != .token { members.append(("security", .array([]))) }
        if access == .token { members.append(("x-required-scope", scope.map { .string($0.rawValue) } ?? .null)) }
        return .object(members)
    }
}
