/// A parsed form: plain fields in memory, file parts on disk.
package struct MultipartForm: Sendable, Equatable {
    /// One non-file field.
    package struct Field: Sendable, Equatable {
        /// The name, decoded.
        package var name: String
        /// The value, decoded.
        package var value: String
        /// Creates one name/value pair.
        package init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// Non-file fields in the order sent.
    package var fields: [Field]
    /// File parts in the order sent; the caller owns (moves or deletes) their files.
    package var files: [MultipartFile]

    /// Creates a form.
    package init(fields: [Field] = [], files: [MultipartFile] = []) {
        self.fields = fields
        self.files = files
    }

    /// The first value of the field `name`, or `nil`.
    package subscript(field name: String) -> String? {
        fields.first { $0.name == name }?.value
    }

    /// The first file part named `name`, or `nil`.
    package func file(named name: String) -> MultipartFile? {
        files.first { $0.name == name }
    }
}
