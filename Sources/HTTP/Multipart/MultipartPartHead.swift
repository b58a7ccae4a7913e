/// The headers of one part, with the `Content-Disposition` parameters already decoded.
package struct MultipartPartHead: Sendable, Equatable {
    /// The form field name (`name` parameter), or `nil` when absent.
    package var name: String?
    /// The file name as sent (`filename*` preferred over `filename`, RFC 6266 §4.3), or `nil`
    /// for a plain field. It is client input: never use it as a path.
    package var filename: String?
    /// The part's `Content-Type`, or `nil` (RFC 7578 §4.4 then implies `text/plain`).
    package var contentType: String?
    /// Every header of the part, in order.
    package var headers: HTTPHeaders

    /// Creates a part head.
    package init(name: String?, filename: String?, contentType: String?, headers: HTTPHeaders) {
        self.name = name
        self.filename = filename
        self.contentType = contentType
        self.headers = headers
    }

    /// Whether the part is a file upload (has a file name).
    package var isFile: Bool { filename != nil }
}
