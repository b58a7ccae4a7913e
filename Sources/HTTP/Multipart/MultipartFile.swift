/// A file part written to disk by ``MultipartFormReader``.
public struct MultipartFile: Sendable, Equatable {
    /// The form field name.
    public var name: String
    /// The file name the client sent; client input, never a path to trust.
    public var filename: String
    /// The part's `Content-Type`, if sent.
    public var contentType: String?
    /// Where the content was written: a fresh file (mode 0600) in the directory passed to the
    /// reader, with a generated name.
    public var path: String
    /// The content size, in bytes.
    public var size: Int

    /// Creates a file description.
    public init(name: String, filename: String, contentType: String?, path: String, size: Int) {
        self.name = name
        self.filename = filename
        self.contentType = contentType
        self.path = path
        self.size = size
    }
}
