/// Everything tunable about ``HTTPServer``: where it listens and every limit it enforces.
///
/// The defaults suit an API behind a reverse proxy on a small machine; tests shorten the
/// timeouts. Each limit is answered with its own status so clients can tell what went wrong.
package struct HTTPServerConfiguration: Sendable {
    /// The address to bind: an IPv4 or IPv6 literal or a host name. Default `127.0.0.1`.
    package var host: String
    /// The TCP port; `0` asks the system for a free one (read it back from ``HTTPServer/port``).
    /// Default 8080.
    package var port: Int
    /// The most connections served at once (one thread each). Default 64.
    package var maxConnections: Int
    /// The most of the served connections that may be *unauthenticated*: not yet past a route's
    /// ``AdmissionCheck`` as ``Admission/authenticated(principal:)`` (anonymous requests, heads
    /// still arriving, idle connections that never authenticated). Past it, the unauthenticated
    /// connection that has been open longest (and at least ``evictionGrace``) is closed to make
    /// room, taken from the address that holds the most; authenticated connections are never
    /// closed for room. So slow or anonymous clients can hold at most this many of the
    /// ``maxConnections`` slots. Default 32.
    package var maxUnauthenticatedConnections: Int
    /// The most unauthenticated connections from one client address (IPv6: one /64); past it the
    /// oldest of that address's own is closed to make room. Behind a reverse proxy every client
    /// has the proxy's address, so raise it to ``maxUnauthenticatedConnections``. Default 8.
    package var maxUnauthenticatedConnectionsPerAddress: Int
    /// How long an unauthenticated connection is safe from being closed to make room, so that a
    /// burst of clients whose heads are still in flight does not evict itself (newcomers wait
    /// instead, at most this long after a flood). Keep it below ``connectionQueueTimeout``.
    /// Default 500 ms.
    package var evictionGrace: Duration
    /// The `listen()` backlog, and the most accepted connections waiting in the server for a
    /// slot; more are answered `503` at once. Default 128.
    package var backlog: Int
    /// How long an accepted connection may wait for a slot before it is answered `503` with
    /// `Retry-After`. Each connection's wait starts when it arrives, so a queue of them is
    /// answered together, not one after the other. Default 1 s.
    package var connectionQueueTimeout: Duration
    /// The `Retry-After` value sent with that `503`, in seconds. Default 1.
    package var retryAfterSeconds: Int
    /// The longest request line, in bytes; longer is `414`. Default 8 KiB.
    package var maxRequestLineBytes: Int
    /// The largest request head (request line plus headers), in bytes; larger is `431`.
    /// Also bounds a chunked body's trailer section. Default 64 KiB.
    package var maxHeadBytes: Int
    /// The most header fields in a request; more is `431`. Default 100.
    package var maxHeaderCount: Int
    /// How long a client has to send a whole request head once it starts (or, for the first
    /// request, once connected); slower is `408` and the connection is closed, which stops
    /// slowloris clients. Default 10 s.
    package var headTimeout: Duration
    /// How long a kept-alive connection may sit between requests before it is closed quietly.
    /// Default 5 s.
    package var idleTimeout: Duration
    /// The longest wait for the next bytes of a request body; longer is `408`. Default 30 s.
    package var bodyReadTimeout: Duration
    /// The time a request body gets before ``minBodyBytesPerSecond`` counts: the whole body must
    /// have arrived `bodyTimeout + received / minBodyBytesPerSecond` after its first read (the
    /// `100 Continue`, when the client asked for one), else `408` and the connection is closed.
    /// A body trickled byte by byte is cut off after about this long; a `Content-Length` body
    /// is never allowed more than `bodyTimeout + Content-Length / minBodyBytesPerSecond`.
    /// Default 30 s.
    package var bodyTimeout: Duration
    /// The slowest average rate a request body may arrive at past ``bodyTimeout``, in bytes per
    /// second. Default 1024 (1 KiB/s).
    package var minBodyBytesPerSecond: Int
    /// The longest wait for the client to accept more response bytes; longer closes the
    /// connection. Default 30 s.
    package var writeTimeout: Duration
    /// The largest body read into memory for a route without ``RouteOptions/streamingBody``
    /// or its own ``RouteOptions/maxBodyBytes``, in bytes; larger is `413`. Default 1 MiB.
    package var maxBufferedBodyBytes: Int
    /// The largest body of a streaming route without its own ``RouteOptions/maxBodyBytes``,
    /// in bytes; larger is `413`. Default 1 GiB.
    package var maxStreamingBodyBytes: Int
    /// How long graceful shutdown waits for in-flight requests before closing their sockets.
    /// Default 10 s.
    package var drainTimeout: Duration
    /// The most `text/event-stream` responses open at once. They are served by one thread of
    /// their own (``EventStreamHub``), not by connection threads, so they never count against
    /// ``maxConnections``; past this budget a stream request is answered `503`. Each open stream
    /// holds one socket descriptor. Default 256.
    package var maxEventStreams: Int
    /// How often every open event stream's producer is asked for events. Default 250 ms.
    package var eventStreamTick: Duration
    /// How long an event stream may stay silent before a `: keep-alive` comment is sent, so
    /// proxies and clients see the connection alive. Default 15 s.
    package var eventStreamHeartbeat: Duration
    /// Which browser origins may call the server cross-origin (``CORSPolicy``); `nil` (the
    /// default) answers no preflight, and `OPTIONS` is routed like any other method.
    package var cors: CORSPolicy?

    /// Creates a configuration; every parameter has the default documented on its property.
    package init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        maxConnections: Int = 64,
        maxUnauthenticatedConnections: Int = 32,
        maxUnauthenticatedConnectionsPerAddress: Int = 8,
        evictionGrace: Duration = .milliseconds(500),
        backlog: Int = 128,
        connectionQueueTimeout: Duration = .seconds(1),
        retryAfterSeconds: Int = 1,
        maxRequestLineBytes: Int = 8 * 1024,
        maxHeadBytes: Int = 64 * 1024,
        maxHeaderCount: Int = 100,
        headTimeout: Duration = .seconds(10),
        idleTimeout: Duration = .seconds(5),
        bodyReadTimeout: Duration = .seconds(30),
        bodyTimeout: Duration = .seconds(30),
        minBodyBytesPerSecond: Int = 1024,
        writeTimeout: Duration = .seconds(30),
        maxBufferedBodyBytes: Int = 1024 * 1024,
        maxStreamingBodyBytes: Int = 1024 * 1024 * 1024,
        drainTimeout: Duration = .seconds(10),
        maxEventStreams: Int = 256,
        eventStreamTick: Duration = .milliseconds(250),
        eventStreamHeartbeat: Duration = .seconds(15),
        cors: CORSPolicy? = nil
    ) {
        self.host = host
        self.port = port
        self.maxConnections = maxConnections
        self.maxUnauthenticatedConnections = maxUnauthenticatedConnections
        self.maxUnauthenticatedConnectionsPerAddress = maxUnauthenticatedConnectionsPerAddress
        self.evictionGrace = evictionGrace
        self.backlog = backlog
        self.connectionQueueTimeout = connectionQueueTimeout
        self.retryAfterSeconds = retryAfterSeconds
        self.maxRequestLineBytes = maxRequestLineBytes
        self.maxHeadBytes = maxHeadBytes
        self.maxHeaderCount = maxHeaderCount
        self.headTimeout = headTimeout
        self.idleTimeout = idleTimeout
        self.bodyReadTimeout = bodyReadTimeout
        self.bodyTimeout = bodyTimeout
        self.minBodyBytesPerSecond = max(1, minBodyBytesPerSecond)
        self.writeTimeout = writeTimeout
        self.maxBufferedBodyBytes = maxBufferedBodyBytes
        self.maxStreamingBodyBytes = maxStreamingBodyBytes
        self.drainTimeout = drainTimeout
        self.maxEventStreams = max(0, maxEventStreams)
        self.eventStreamTick = eventStreamTick
        self.eventStreamHeartbeat = eventStreamHeartbeat
        self.cors = cors
    }
}
