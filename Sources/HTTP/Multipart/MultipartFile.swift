/// A file part written to disk by ``MultipartFormReader``.
package struct MultipartFile: Sendable, Equatable {
    /// The form field name.
    package var name: String
    /// The file name the client sent; client input, never a path to trust.
    package var filename: String
    /// The part's `Content-Type`, if sent.
    package var contentType: String?
    /// Where the content was written: a fresh file (mode 0600) in the directory passed to the
    /// reader, with a generated name.
    package var path: String
    /// The content size, in bytes.
    package var size: Int

    /// Creates a file description.
    package init(name: String, filename: String, contentType: String?, path: String, size: Int) {
        self.name = name
        self.filename = filename
        self.contentType = contentType
        self.path = path
        self.size = size
    }
}
