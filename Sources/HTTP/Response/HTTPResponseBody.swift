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
    /// A long-lived `text/event-stream`: after the head, the connection leaves its thread and its
    /// slot and is served by the server's event-stream thread (``EventStreamHub``) until the
    /// producer's last batch, the client closing, or shutdown; the end of the content is the
    /// close of the connection. Refused with `503` past ``HTTPServerConfiguration/maxEventStreams``.
    case eventStream(any EventStreamProducer)
}
