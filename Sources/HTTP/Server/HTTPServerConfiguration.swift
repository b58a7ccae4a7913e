/// Everything tunable about ``HTTPServer``: where it listens and every limit it enforces.
///
/// The defaults suit an API behind a reverse proxy on a small machine; tests shorten the
/// timeouts. Each limit is answered with its own status so clients can tell what went wrong.
public struct HTTPServerConfiguration: Sendable {
    /// The address to bind: an IPv4 or IPv6 literal or a host name. Default `127.0.0.1`.
    public var host: String
    /// The TCP port; `0` asks the system for a free one (read it back from ``HTTPServer/port``).
    /// Default 8080.
    public var port: Int
    /// The most connections served at once (one thread each). Default 64.
    public var maxConnections: Int
    /// The `listen()` backlog: connections the kernel queues while the server is at
    /// ``maxConnections``. Default 128.
    public var backlog: Int
    /// How long a new connection may wait in the backlog for a free slot before it is answered
    /// `503` with `Retry-After`. Default 1 s.
    public var connectionQueueTimeout: Duration
    /// The `Retry-After` value sent with that `503`, in seconds. Default 1.
    public var retryAfterSeconds: Int
    /// The longest request line, in bytes; longer is `414`. Default 8 KiB.
    public var maxRequestLineBytes: Int
    /// The largest request head (request line plus headers), in bytes; larger is `431`.
    /// Also bounds a chunked body's trailer section. Default 64 KiB.
    public var maxHeadBytes: Int
    /// The most header fields in a request; more is `431`. Default 100.
    public var maxHeaderCount: Int
    /// How long a client has to send a whole request head once it starts (or, for the first
    /// request, once connected); slower is `408` and the connection is closed, which stops
    /// slowloris clients. Default 10 s.
    public var headTimeout: Duration
    /// How long a kept-alive connection may sit between requests before it is closed quietly.
    /// Default 5 s.
    public var idleTimeout: Duration
    /// The longest wait for the next bytes of a request body; longer is `408`. Default 30 s.
    public var bodyReadTimeout: Duration
    /// The longest wait for the client to accept more response bytes; longer closes the
    /// connection. Default 30 s.
    public var writeTimeout: Duration
    /// The largest body read into memory for a route without ``RouteOptions/streamingBody``
    /// or its own ``RouteOptions/maxBodyBytes``, in bytes; larger is `413`. Default 1 MiB.
    public var maxBufferedBodyBytes: Int
    /// The largest body of a streaming route without its own ``RouteOptions/maxBodyBytes``,
    /// in bytes; larger is `413`. Default 1 GiB.
    public var maxStreamingBodyBytes: Int
    /// How long graceful shutdown waits for in-flight requests before closing their sockets.
    /// Default 10 s.
    public var drainTimeout: Duration

    /// Creates a configuration; every parameter has the default documented on its property.
    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        maxConnections: Int = 64,
        backlog: Int = 128,
        connectionQueueTimeout: Duration = .seconds(1),
        retryAfterSeconds: Int = 1,
        maxRequestLineBytes: Int = 8 * 1024,
        maxHeadBytes: Int = 64 * 1024,
        maxHeaderCount: Int = 100,
        headTimeout: Duration = .seconds(10),
        idleTimeout: Duration = .seconds(5),
        bodyReadTimeout: Duration = .seconds(30),
        writeTimeout: Duration = .seconds(30),
        maxBufferedBodyBytes: Int = 1024 * 1024,
        maxStreamingBodyBytes: Int = 1024 * 1024 * 1024,
        drainTimeout: Duration = .seconds(10)
    ) {
        self.host = host
        self.port = port
        self.maxConnections = maxConnections
        self.backlog = backlog
        self.connectionQueueTimeout = connectionQueueTimeout
        self.retryAfterSeconds = retryAfterSeconds
        self.maxRequestLineBytes = maxRequestLineBytes
        self.maxHeadBytes = maxHeadBytes
        self.maxHeaderCount = maxHeaderCount
        self.headTimeout = headTimeout
        self.idleTimeout = idleTimeout
        self.bodyReadTimeout = bodyReadTimeout
        self.writeTimeout = writeTimeout
        self.maxBufferedBodyBytes = maxBufferedBodyBytes
        self.maxStreamingBodyBytes = maxStreamingBodyBytes
        self.drainTimeout = drainTimeout
    }
}
