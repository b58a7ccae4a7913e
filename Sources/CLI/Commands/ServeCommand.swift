import API
import Engine
import Foundation
import HTTP

/// `ingest serve`: the HTTP API with background run workers, until SIGINT or SIGTERM.
enum ServeCommand: Command {
    static let spec = CommandSpec(
        name: "serve",
        abstract: "Serve the HTTP API, with background workers running the imports.",
        discussion: """
            Every endpoint but /health, /openapi.json and the sign-in (POST /session) needs
            'Authorization: Bearer <token>' (see 'ingest token create') with the endpoint's scope, or
            the dashboard's session cookie. The dashboard is served at / (sign in with a token),
            unless --prefix is empty. Importer definitions are reloaded
            within a second of an edit.
            SIGINT or SIGTERM stops accepting, finishes in-flight requests, cancels running imports
            (they end 'cancelled') and exits 0.
            """,
        options: CommonOptions.storage + [
            .init("host", value: "address", help: "The address to listen on.", environment: "INGEST_HOST", default: "127.0.0.1"),
            .init("port", value: "port", help: "The TCP port (0 picks a free one).", environment: "INGEST_PORT", default: "8080"),
            .init("workers", value: "n", help: "Imports run at once.", environment: "INGEST_WORKERS", default: "2"),
            .init("prefix", value: "path", help: "The path prefix of every route.", environment: "INGEST_PREFIX", default: "/api/v1/ingest"),
            .init("max-upload-mb", value: "mb", help: "Upload limit in MiB for importers without max_size_mb.",
                  environment: "INGEST_MAX_UPLOAD_MB", default: "1024"),
            CommonOptions.dataRoot,
            .init("uploads", value: "dir", help: "Where uploads wait for their run (default: <database>-uploads).", environment: "INGEST_UPLOADS"),
            CommonOptions.allowPrivateURLs,
            .init("public-url", value: "url", help: "The base URL clients reach the server at (e.g. https://ingest.example.com); "
                  + "pagination links start with it, and https makes the dashboard's session cookie Secure. "
                  + "Default: links relative to the server root.", environment: "INGEST_PUBLIC_URL"),
            .init("max-connections", value: "n", help: "Connections served at once (a thread each).",
                  environment: "INGEST_MAX_CONNECTIONS", default: "64"),
            .init("max-unauthenticated-connections", value: "n", help: "Of those, the most without a valid token yet "
                  + "(anonymous, or still sending their head); past it the oldest is closed.",
                  environment: "INGEST_MAX_UNAUTHENTICATED_CONNECTIONS", default: "32"),
            .init("max-unauthenticated-per-address", value: "n", help: "The most unauthenticated connections from one client "
                  + "address (IPv6: one /64); raise it behind a reverse proxy.",
                  environment: "INGEST_MAX_UNAUTHENTICATED_PER_ADDRESS", default: "8"),
            .init("head-timeout", value: "seconds", help: "Time a client has to send a whole request head.",
                  environment: "INGEST_HEAD_TIMEOUT", default: "10"),
            .init("body-timeout", value: "seconds", help: "Time a request body gets before --min-body-rate counts.",
                  environment: "INGEST_BODY_TIMEOUT", default: "30"),
            .init("min-body-rate", value: "bytes/s", help: "The slowest average rate a request body may arrive at after --body-timeout.",
                  environment: "INGEST_MIN_BODY_RATE", default: "1024"),
            .init("retention", value: "age", help: "Prune finished runs older than this (30d, 12h, 90m; see 'ingest prune') "
                  + "at start and then daily. Default: keep every run.", environment: "INGEST_RETENTION"),
            .init("max-event-streams", value: "n", help: "Event streams (GET .../events) open at once; they share one thread "
                  + "and take no connection slot. Past it: 503.", environment: "INGEST_MAX_EVENT_STREAMS", default: "256"),
            .init("lease", value: "seconds", help: "With PostgreSQL: how long a node's claim on a run lasts unrenewed (renewed every "
                  + "third of it); after it, another node recovers the run.", environment: "INGEST_LEASE_SECONDS", default: "30"),
            .init("auto-resume", value: "on|off", help: "Resume runs a stopped node left interrupted from their last committed chunk. "
                  + "Default: on with PostgreSQL, off with SQLite.", environment: "INGEST_AUTO_RESUME"),
            .init("cors-origin", value: "origins", help: "Browser origins allowed to call the API cross-origin, comma-separated "
                  + "(e.g. https://app.example.com). Default: none (CORS off).", environment: "INGEST_CORS_ORIGINS"),
        ])

    static func run(_ args: ParsedArguments, _ context: CommandContext) throws -> Int32 {
        let configuration = try serverConfiguration(args, context)
        let server = try IngestServer(configuration: configuration, logger: { line in context.stderr(TerminalText.escapeKeepingNewlines(line) + "\n") })
        let startup = try server.start()
        if !startup.interruptedRunIDs.isEmpty {
            let ids = startup.interruptedRunIDs.map(String.init).joined(separator: ", ")
            context.stderr("Recovered \(startup.interruptedRunIDs.count) interrupted run(s), now failed: \(ids)\n")
        } else {
            context.stderr("Recovered 0 interrupted runs.\n")
        }
        let importers = server.engine.importerSummaries()
        let broken = importers.filter { !$0.problems.isEmpty }.count
        context.stderr("Serving \(importers.count) importer(s) from \(TerminalText.escape(configuration.engine.importersDirectory))"
                       + (broken > 0 ? " (\(broken) with errors; see GET /importers)" : "") + ", \(configuration.workers) worker(s).\n")
        // The display form: a PostgreSQL URL never shows its password.
        context.stderr("Database: \(TerminalText.escape(configuration.engine.database.description))\n")
        let host = configuration.http.host.contains(":") ? "[\(configuration.http.host)]" : configuration.http.host
        if let retention = startup.retention {
            context.stderr(PruneCommand.describe(retention, age: args.value("retention") ?? "") + " Again every day.\n")
        }
        context.stderr("Listening on http://\(host):\(startup.port)\(configuration.api.prefix)\n")
        if !configuration.api.prefix.isEmpty {
            context.stderr("Dashboard at http://\(host):\(startup.port)/ (sign in with a token)\n")
        }
        try server.runUntilSignalled { signal in
            context.stderr("Received signal \(signal): finishing requests, cancelling running imports…\n")
        }
        context.stderr("Stopped.\n")
        return ExitCode.success
    }

    /// The server configuration from the options (and their environment variables).
    static func serverConfiguration(_ args: ParsedArguments, _ context: CommandContext) throws(UsageError) -> IngestServerConfiguration {
        let host = args.value("host") ?? "127.0.0.1"
        guard let port = try args.integer("port"), (0...65_535).contains(port) else {
            throw UsageError("'--port' must be between 0 and 65535.")
        }
        guard let workers = try args.integer("workers"), (1...64).contains(workers) else {
            throw UsageError("'--workers' must be between 1 and 64.")
        }
        guard let maxUploadMB = try args.integer("max-upload-mb"), maxUploadMB >= 1, maxUploadMB <= 1 << 30 else {
            throw UsageError("'--max-upload-mb' must be a positive number of MiB.")
        }
        let rawPrefix = args.value("prefix") ?? "/api/v1/ingest"
        guard let prefix = APIConfiguration.normalizedPrefix(rawPrefix) else {
            throw UsageError("'--prefix' must be a path of letters, digits and -._~ segments, e.g. /api/v1/ingest.")
        }
        var engine = EngineConfiguration(
            databasePath: args.value("database") ?? "ingest.sqlite", importersDirectory: args.value("importers") ?? "importers",
            uploadsDirectory: args.value("uploads"), maxUploadBytes: maxUploadMB << 20)
        CommonOptions.applySources(args, context.environment, to: &engine)
        CommonOptions.applySecrets(context.environment, to: &engine)
        try CommonOptions.applyTimeouts(context.environment, to: &engine)
        guard let lease = try args.integer("lease"), (1...86_400).contains(lease) else {
            throw UsageError("'--lease' must be between 1 and 86400 seconds.")
        }
        engine.leaseDuration = .seconds(lease)
        switch args.value("auto-resume")?.lowercased() {
        case nil, "": engine.autoResume = engine.database.sqlitePath == nil
        case "on", "1", "true", "yes": engine.autoResume = true
        case "off", "0", "false", "no": engine.autoResume = false
        case let other?: throw UsageError("'--auto-resume' must be on or off, not '\(other)'.")
        }
        var publicURL: String?
        if let given = args.value("public-url"), !given.isEmpty {
            guard let normalized = APIConfiguration.normalizedPublicURL(given) else {
                throw UsageError("'--public-url' must be an http or https URL with a host and no query, e.g. https://ingest.example.com.")
            }
            publicURL = normalized
        }
        let api = APIConfiguration(prefix: prefix, publicURL: publicURL)
        var configuration = IngestServerConfiguration(engine: engine, http: try httpConfiguration(args, host: host, port: Int(port)),
                                                      api: api, workers: Int(workers))
        if let text = args.value("retention"), !text.isEmpty {
            configuration.retention = try AgeText.parse(text, option: "retention")
        }
        return configuration
    }

    /// `--cors-origin`: a comma-separated list of origins, each checked.
    static func corsPolicy(_ text: String?) throws(UsageError) -> CORSPolicy? {
        guard let text, !text.isEmpty else { return nil }
        var origins: [String] = []
        for item in text.split(separator: ",") {
            let trimmed = item.trimmingCharacters(in: .whitespaces)
            guard let origin = CORSPolicy.normalizedOrigin(trimmed) else {
                throw UsageError("'--cors-origin' takes origins like https://app.example.com (scheme, host and optional port; "
                                 + "no path and no '*'), not '\(trimmed)'.")
            }
            origins.append(origin)
        }
        return CORSPolicy(origins: origins)
    }

    /// The listener's limits from the options.
    private static func httpConfiguration(_ args: ParsedArguments, host: String, port: Int) throws(UsageError) -> HTTPServerConfiguration {
        func positive(_ name: String, upTo maximum: Int64) throws(UsageError) -> Int {
            guard let value = try args.integer(name), (1...maximum).contains(value) else {
                throw UsageError("'--\(name)' must be between 1 and \(maximum).")
            }
            return Int(value)
        }
        let maxConnections = try positive("max-connections", upTo: 4096)
        // Uploads may be as large as the largest importer allows; the API enforces per-importer
        // limits itself, so the listener's streaming cap must not be lower.
        return HTTPServerConfiguration(
            host: host, port: port, maxConnections: maxConnections,
            maxUnauthenticatedConnections: try positive("max-unauthenticated-connections", upTo: 4096),
            maxUnauthenticatedConnectionsPerAddress: try positive("max-unauthenticated-per-address", upTo: 4096),
            headTimeout: .seconds(try positive("head-timeout", upTo: 3600)),
            bodyTimeout: .seconds(try positive("body-timeout", upTo: 86_400)),
            minBodyBytesPerSecond: try positive("min-body-rate", upTo: 1 << 40),
            maxStreamingBodyBytes: Int.max,
            maxEventStreams: try positive("max-event-streams", upTo: 100_000),
            cors: try corsPolicy(args.value("cors-origin")))
    }
}
