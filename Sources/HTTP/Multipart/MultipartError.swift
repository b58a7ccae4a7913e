/// Why a `multipart/form-data` body was refused.
///
/// Adopts ``HTTPResponseError`` so a handler can let it propagate: malformed input and too many
/// parts are `400`, byte limits `413`, a non-multipart request `415`, body stream failures keep their own
/// status, and file-system failures are a `500` that reveals no path.
package enum MultipartError: Error, Sendable, Equatable, HTTPResponseError {
    /// The request is not `multipart/form-data` or has no usable `boundary` parameter.
    case notMultipart
    /// The boundary is empty, longer than 70 characters, or otherwise unusable (RFC 2046 §5.1.1).
    case invalidBoundary
    /// The body breaks the multipart syntax; the text says where.
    case malformed(String)
    /// The body ended before the closing boundary.
    case truncated
    /// More parts than ``MultipartLimits/maxParts``.
    case tooManyParts(limit: Int)
    /// A part's header section is larger than ``MultipartLimits/maxPartHeaderBytes``.
    case partHeadersTooLarge(limit: Int)
    /// A non-file field is larger than ``MultipartLimits/maxFieldBytes``.
    case fieldTooLarge(name: String, limit: Int)
    /// A file part is larger than ``MultipartLimits/maxFileBytes``.
    case fileTooLarge(limit: Int)
    /// The preamble is larger than ``MultipartLimits/maxPreambleBytes``.
    case preambleTooLarge(limit: Int)
    /// Reading the request body failed (timeout, size limit, disconnect).
    case body(HTTPError)
    /// Writing an uploaded file failed; `operation` names the system call.
    case fileSystem(operation: String, errno: Int32)

    /// The status of the error response.
    package var status: HTTPStatus {
        switch self {
        case .notMultipart: .unsupportedMediaType
        case .invalidBoundary, .malformed, .truncated, .tooManyParts: .badRequest
        case .partHeadersTooLarge, .fieldTooLarge, .fileTooLarge, .preambleTooLarge: .contentTooLarge
        case .body(let error): error.status
        case .fileSystem: .internalServerError
        }
    }

    /// A client-safe description, sent as `{"message": ...}`.
    package var message: String {
        switch self {
        case .notMultipart: "The request body must be multipart/form-data with a boundary."
        case .invalidBoundary: "The multipart boundary is invalid."
        case .malformed(let detail): "The multipart body is malformed: \(detail)"
        case .truncated: "The multipart body ended before its closing boundary."
        case .tooManyParts(let limit): "The multipart body has more than \(limit) parts."
        case .partHeadersTooLarge(let limit): "A multipart part header section is larger than \(limit) bytes."
        case .fieldTooLarge(let name, let limit): "The form field '\(name)' is larger than \(limit) bytes."
        case .fileTooLarge(let limit): "The uploaded file is larger than \(limit) bytes."
        case .preambleTooLarge(let limit): "The multipart preamble is larger than \(limit) bytes."
        case .body(let error): error.message
        case .fileSystem: "Internal server error."
        }
    }
}
