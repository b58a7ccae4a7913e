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
            Every endpoint but /health and /openapi.json needs 'Authorization: Bearer <token>'
            (see 'ingest token create'). Importer definitions are reloaded within a second of an edit.
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
            .init("data-root", value: "dir", help: "The folder 'filesystem' sources are read from.", environment: "INGEST_DATA_ROOT", default: "."),
            .init("uploads", value: "dir", help: "Where uploads wait for their run (default: <database>-uploads).", environment: "INGEST_UPLOADS"),
            .init("allow-private-urls", help: "Let 'url' sources reach loopback and private addresses (env: INGEST_ALLOW_PRIVATE_URLS=1)."),
        ])

    static func run(_ args: ParsedArguments, _ context: CommandContext) throws -> Int32 {
        let configuration = try serverConfiguration(args, context)
        let server = try IngestServer(configuration: configuration, logger: { line in context.stderr(line + "\n") })
        let startup = try server.start()
        if !startup.interruptedRunIDs.isEmpty {
            let ids = startup.interruptedRunIDs.map(String.init).joined(separator: ", ")
            context.stderr("Recovered \(startup.interruptedRunIDs.count) interrupted run(s), now failed: \(ids)\n")
        } else {
            context.stderr("Recovered 0 interrupted runs.\n")
        }
        let importers = server.engine.importerSummaries()
        let broken = importers.filter { !$0.problems.isEmpty }.count
        context.stderr("Serving \(importers.count) importer(s) from \(configuration.engine.importersDirectory)"
                       + (broken > 0 ? " (\(broken) with errors; see GET /importers)" : "") + ", \(configuration.workers) worker(s).\n")
        let host = configuration.http.host.contains(":") ? "[\(configuration.http.host)]" : configuration.http.host
        context.stderr("Listening on http://\(host):\(startup.port)\(configuration.api.prefix)\n")
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
        let allowPrivate = args.flag("allow-private-urls")
            || ["1", "true", "yes"].contains(context.environment["INGEST_ALLOW_PRIVATE_URLS"]?.lowercased() ?? "")
        var engine = EngineConfiguration(
            databasePath: args.value("database") ?? "ingest.sqlite", importersDirectory: args.value("importers") ?? "importers",
            uploadsDirectory: args.value("uploads"), dataRoot: args.value("data-root") ?? ".",
            allowPrivateURLs: allowPrivate, maxUploadBytes: maxUploadMB << 20)
        try CommonOptions.applyTimeouts(context.environment, to: &engine)
        if let hosts = context.environment["INGEST_ALLOWED_URL_HOSTS"], !hosts.isEmpty {
            engine.allowedURLHosts = hosts.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        }
        let displayHost = host.contains(":") ? "[\(host)]" : host
        let api = APIConfiguration(prefix: prefix, fallbackHost: "\(displayHost):\(port)")
        // Uploads may be as large as the largest importer allows; the API enforces per-importer
        // limits itself, so the listener's streaming cap must not be lower.
        let http = HTTPServerConfiguration(host: host, port: Int(port), maxStreamingBodyBytes: Int.max)
        return IngestServerConfiguration(engine: engine, http: http, api: api, workers: Int(workers))
    }
}
