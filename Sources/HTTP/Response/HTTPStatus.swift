/// An HTTP response status code and its reason phrase (RFC 9110 §15).
package struct HTTPStatus: Hashable, Sendable, CustomStringConvertible {
    /// The three-digit code.
    package let code: Int
    /// The reason phrase sent on the status line; informational only (RFC 9112 §4).
    package let reasonPhrase: String

    /// Creates a status; `reasonPhrase` defaults to the standard phrase for known codes.
    package init(code: Int, reasonPhrase: String? = nil) {
        self.code = code
        self.reasonPhrase = reasonPhrase ?? HTTPStatus.standardPhrase(for: code)
    }

    /// Statuses are equal when their codes are; the phrase is informational.
    package static func == (lhs: HTTPStatus, rhs: HTTPStatus) -> Bool { lhs.code == rhs.code }
    /// Hashes the code only, matching `==`.
    package func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// The code and phrase, e.g. `404 Not Found`.
    package var description: String { "\(code) \(reasonPhrase)" }

    /// Whether a response with this status never has content (RFC 9110 §6.4.1: 1xx, 204, 304).
    package var forbidsContent: Bool { (100..<200).contains(code) || code == 204 || code == 304 }

    /// `100`.
    package static let `continue` = HTTPStatus(code: 100)
    /// `200`.
    package static let ok = HTTPStatus(code: 200)
    /// `201`.
    package static let created = HTTPStatus(code: 201)
    /// `202`.
    package static let accepted = HTTPStatus(code: 202)
    /// `204`.
    package static let noContent = HTTPStatus(code: 204)
    /// `301`.
    package static let movedPermanently = HTTPStatus(code: 301)
    /// `302`.
    package static let found = HTTPStatus(code: 302)
    /// `304`.
    package static let notModified = HTTPStatus(code: 304)
    /// `400`.
    package static let badRequest = HTTPStatus(code: 400)
    /// `401`.
    package static let unauthorized = HTTPStatus(code: 401)
    /// `403`.
    package static let forbidden = HTTPStatus(code: 403)
    /// `404`.
    package static let notFound = HTTPStatus(code: 404)
    /// `405`.
    package static let methodNotAllowed = HTTPStatus(code: 405)
    /// `408`.
    package static let requestTimeout = HTTPStatus(code: 408)
    /// `409`.
    package static let conflict = HTTPStatus(code: 409)
    /// `411`.
    package static let lengthRequired = HTTPStatus(code: 411)
    /// `413`.
    package static let contentTooLarge = HTTPStatus(code: 413)
    /// `414`.
    package static let uriTooLong = HTTPStatus(code: 414)
    /// `415`.
    package static let unsupportedMediaType = HTTPStatus(code: 415)
    /// `417`.
    package static let expectationFailed = HTTPStatus(code: 417)
    /// `422`.
    package static let unprocessableContent = HTTPStatus(code: 422)
    /// `429`.
    package static let tooManyRequests = HTTPStatus(code: 429)
    /// `431`.
    package static let requestHeaderFieldsTooLarge = HTTPStatus(code: 431)
    /// `500`.
    package static let internalServerError = HTTPStatus(code: 500)
    /// `501`.
    package static let notImplemented = HTTPStatus(code: 501)
    /// `503`.
    package static let serviceUnavailable = HTTPStatus(code: 503)
    /// `505`.
    package static let httpVersionNotSupported = HTTPStatus(code: 505)

    static func standardPhrase(for code: Int) -> String {
        switch code {
        case 100: "Continue"
        case 101: "Switching Protocols"
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 206: "Partial Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 303: "See Other"
        case 304: "Not Modified"
        case 307: "Temporary Redirect"
        case 308: "Permanent Redirect"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 406: "Not Acceptable"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 410: "Gone"
        case 411: "Length Required"
        case 412: "Precondition Failed"
        case 413: "Content Too Large"
        case 414: "URI Too Long"
        case 415: "Unsupported Media Type"
        case 417: "Expectation Failed"
        case 422: "Unprocessable Content"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        case 505: "HTTP Version Not Supported"
        default: "Unknown"
        }
    }
}
