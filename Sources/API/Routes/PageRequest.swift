import HTTP

/// `?page=N&per_page=N` of a paginated endpoint, checked.
///
/// `page` defaults to 1 and `per_page` to ``APIConfiguration/defaultPerPage`` (15); a value that
/// is not an integer from 1 to ``maxValue`` is a `422`, and `per_page` above
/// ``APIConfiguration/maxPerPage`` (100) is lowered to it rather than refused, as most paginated
/// APIs do.
struct PageRequest: Equatable {
    /// 1-based page number.
    var page: Int
    /// Items per page.
    var perPage: Int
    /// Whether the client chose `per_page`, so page links keep it.
    var perPageGiven: Bool

    /// Rows skipped before this page.
    var offset: Int { (page - 1) * perPage }

    /// Reads `page` and `per_page` from `query`.
    init(query: QueryParameters, defaultPerPage: Int, maxPerPage: Int) throws(APIError) {
        page = try PageRequest.positiveInteger(query["page"], field: "page") ?? 1
        if let given = try PageRequest.positiveInteger(query["per_page"], field: "per_page") {
            perPage = min(given, maxPerPage)
            perPageGiven = true
        } else {
            perPage = defaultPerPage
            perPageGiven = false
        }
    }

    /// The largest `page` or `per_page` accepted: 1,000,000,000, so that `(page - 1) * perPage`
    /// cannot overflow. The OpenAPI document states it as both parameters' `maximum`.
    static let maxValue = 1_000_000_000

    private static func positiveInteger(_ text: String?, field: String) throws(APIError) -> Int? {
        guard let text else { return nil }
        guard let value = Int(text), value >= 1, value <= maxValue else {
            throw .invalid(field: field, message: "The \(field.replacingUnderscores) field must be an integer between 1 and \(maxValue).")
        }
        return value
    }
}

extension String {
    /// `per_page` → `per page`, as Laravel names fields in its messages.
    var replacingUnderscores: String { String(map { $0 == "_" ? " " : $0 }) }
}
