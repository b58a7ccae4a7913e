/// Builds `multipart/form-data` bodies (RFC 7578) for upload tests.
struct MultipartBody {
    let boundary = "----ingest-test-boundary-7MA4YWxkTrZu0gW"
    private(set) var bytes: [UInt8] = []

    var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    /// Adds a plain field.
    mutating func field(_ name: String, _ value: String) {
        bytes += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
    }

    /// Adds a file part.
    mutating func file(_ name: String, filename: String, contentType: String = "text/csv", content: [UInt8]) {
        bytes += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(filename)\"\r\nContent-Type: \(contentType)\r\n\r\n".utf8)
        bytes += content
        bytes += Array("\r\n".utf8)
    }

    /// The body with its closing delimiter.
    var finished: [UInt8] { bytes + Array("--\(boundary)--\r\n".utf8) }
}
