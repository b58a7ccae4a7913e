/// A parsed form: plain fields in memory, file parts on disk.
public struct MultipartForm: Sendable, Equatable {
    /// One non-file field.
    public struct Field: Sendable, Equatable {
        /// The name, decoded.
        public var name: String
        /// The value, decoded.
        public var value: String
        /// Creates one name/value pair.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// Non-file fields in the order sent.
    public var fields: [Field]
    /// File parts in the order sent; the caller owns (moves or deletes) their files.
    public var files: [MultipartFile]

    /// Creates a form.
    public init(fields: [Field] = [], files: [MultipartFile] = []) {
        self.fields = fields
        self.files = files
    }

    /// The first value of the field `name`, or `nil`.
    public subscript(field name: String) -> String? {
        fields.first { $0.name == name }?.value
    }

    /// The first file part named `name`, or `nil`.
    public func file(named name: String) -> MultipartFile? {
        files.first { $0.name == name }
    }
}
