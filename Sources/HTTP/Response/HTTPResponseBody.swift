/// The content of a response.
package enum HTTPResponseBody {
    /// No content; sent with `Content-Length: 0` unless the status forbids content.
    case empty
    /// Content held in memory; sent with `Content-Length`.
    case bytes([UInt8])
    /// Content produced while it is sent, with chunked transfer coding (RFC 9112 §7.1), for
    /// downloads too large to hold in memory. The closure runs on the connection thread after
    /// the head is written; it is not called for `HEAD`. If it throws, the connection is closed
    /// without the final chunk so that the client sees an incomplete response.
    case stream((ResponseBodyWriter) throws -> Void)
}
