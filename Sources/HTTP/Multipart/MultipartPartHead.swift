/// The headers of one part, with the `Content-Disposition` parameters already decoded.
public struct MultipartPartHead: Sendable, Equatable {
    /// The form field name (`name` parameter), or `nil` when absent.
    public var name: String?
    /// The file name as sent (`filename*` preferred over `filename`, RFC 6266 §4.3), or `nil`
    /// for a plain field. It is client input: never use it as a path.
    public var filename: String?
    /// The part's `Content-Type`, or `nil` (RFC 7578 §4.4 then implies `text/plain`).
    public var contentType: String?
    /// Every header of the part, in order.
    public var headers: HTTPHeaders

    /// Creates a part head.
    public init(name: String?, filename: String?, contentType: String?, headers: HTTPHeaders) {
        self.name = name
        self.filename = filename
        self.contentType = contentType
        self.headers = headers
    }

    /// Whether the part is a file upload (has a file name).
    public var isFile: Bool { filename != nil }
}
