/// Per-route choices the server needs before it runs the handler.
package struct RouteOptions: Sendable {
    /// When true, the handler receives the body as a stream it pulls from the socket
    /// (``BodyStream/read(into:maxBytes:)``), for uploads too large to hold in memory. When false,
    /// the server reads the whole body into memory first.
    package var streamingBody: Bool
    /// The largest body accepted, in bytes; `nil` uses the server's
    /// ``HTTPServerConfiguration/maxBufferedBodyBytes`` (1 MiB by default) or, for streaming
    /// routes, ``HTTPServerConfiguration/maxStreamingBodyBytes``. A `Content-Length` above it is
    /// answered `413` before any of the body is read.
    package var maxBodyBytes: Int?
    /// Checks the request head (e.g. its credentials) before any body byte is read; `nil` admits
    /// every request as ``Admission/anonymous``. See ``AdmissionCheck``.
    package var admission: AdmissionCheck?

    /// Creates options.
    package init(streamingBody: Bool = false, maxBodyBytes: Int? = nil, admission: AdmissionCheck? = nil) {
        self.streamingBody = streamingBody
        self.maxBodyBytes = maxBodyBytes
        self.admission = admission
    }
}
