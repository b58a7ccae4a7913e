import Engine
import HTTP

/// A page of resources in the shape of Laravel's paginated resource collections:
///
/// ```json
/// {"data": [...],
///  "links": {"first": URL, "last": URL, "prev": URL|null, "next": URL|null},
///  "meta": {"current_page", "from", "last_page", "path", "per_page", "to", "total"}}
/// ```
///
/// Links keep the filters of the request, so a client can follow `next` without rebuilding the
/// query. They start with the configured public URL (``APIConfiguration/publicURL``), or are
/// relative to the server root (`/api/v1/ingest?page=2`) when none is configured; they are never
/// built from the request's `Host` header, which the client controls.
struct PaginatedResource {
    /// The items of this page, already rendered.
    var items: [JSONValue]
    /// Items across all pages.
    var total: Int
    /// The page asked for.
    var page: PageRequest
    /// The URL of the collection, without a query: `/api/v1/ingest` or
    /// `https://ingest.example.com/api/v1/ingest`.
    var path: String
    /// Query items every link keeps (filters), in order; `page` is added per link.
    var filters: [(String, String)]

    /// Pages in total; at least 1, as Laravel counts.
    var lastPage: Int { max(1, (total + page.perPage - 1) / page.perPage) }

    /// The JSON document.
    var json: JSONValue {
        let from: JSONValue = items.isEmpty ? .null : .integer(Int64(page.offset + 1))
        let to: JSONValue = items.isEmpty ? .null : .integer(Int64(page.offset + items.count))
        return .object([
            ("data", .array(items)),
            ("links", .object([
                ("first", .string(url(page: 1))),
                ("last", .string(url(page: lastPage))),
                ("prev", page.page > 1 ? .string(url(page: page.page - 1)) : .null),
                ("next", page.page < lastPage ? .string(url(page: page.page + 1)) : .null),
            ])),
            ("meta", .object([
                ("current_page", .integer(Int64(page.page))),
                ("from", from),
                ("last_page", .integer(Int64(lastPage))),
                ("path", .string(path)),
                ("per_page", .integer(Int64(page.perPage))),
                ("to", to),
                ("total", .integer(Int64(total))),
            ])),
        ])
    }

    /// `200` with the document.
    var response: HTTPResponse { .json(json) }

    /// The link to page `number`.
    func url(page number: Int) -> String {
        var query = filters
        if page.perPageGiven { query.append(("per_page", String(page.perPage))) }
        query.append(("page", String(number)))
        return path + "?" + query.map { URLText.encodeQueryComponent($0.0) + "=" + URLText.encodeQueryComponent($0.1) }.joined(separator: "&")
    }
}
