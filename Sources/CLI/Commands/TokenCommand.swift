import API
import Engine
import IngestSupport

/// `ingest token create|list|revoke`: the bearer tokens of the API.
enum TokenCommand: Command {
    static let spec = CommandSpec(
        name: "token",
        abstract: "Create, list or revoke API bearer tokens.",
        discussion: """
            ingest token create --name NAME [--user-id N] [--scope read,run,admin]
                                                             prints a new token once; only its SHA-256 is stored
            ingest token list                                names, user ids, scopes, creation and last use
            ingest token revoke NAME                         the token stops working at once
            Send a token as 'Authorization: Bearer <token>', or sign in to the dashboard with it. Runs started
            with it record its user id. Scopes: read (runs, rows, errors, importers), run (upload, trigger,
            retry, cancel, apply, resume), admin (the token list). Tokens made before scopes have read,run.
            """,
        arguments: [
            .init("action", help: "create, list or revoke."),
            .init("name", help: "The token's name (revoke; or use --name).", optional: true),
        ],
        options: [
            CommonOptions.database,
            .init("name", value: "name", help: "The token's name: unique, 1 to 100 characters (create)."),
            .init("user-id", value: "id", help: "The user id recorded on runs the token starts (create)."),
            .init("scope", value: "list", help: "What the token may do, a comma-separated list of read, run and admin (create).",
                  default: "read,run"),
            CommonOptions.json,
        ])

    static func run(_ args: ParsedArguments, _ context: CommandContext) throws -> Int32 {
        guard let action = args.argument("action") else { throw UsageError("Missing expected argument '<action>'.") }
        switch action {
        case "create":
            guard let name = args.value("name") ?? args.argument("name") else {
                throw UsageError("'token create' needs '--name <name>'.")
            }
            let userID = try args.integer("user-id")
            let scopes = try TokenScope.parse(args.value("scope") ?? "read,run")
            let (token, record) = try store(args).create(name: name, userID: userID, scopes: scopes)
            if args.flag("json") {
                context.print(JSONValue.object([("name", .string(record.name)), ("user_id", .optional(record.userID)),
                                                ("scopes", scopesJSON(record.scopes)),
                                                ("created_at", .string(record.createdAt)), ("token", .string(token))]).prettyText)
            } else {
                context.print(token)
                context.stderr("Created the token '\(record.name)' with the scopes \(TokenScope.text(record.scopes)). "
                               + "Store it now: it cannot be shown again.\n")
            }
            return ExitCode.success
        case "list":
            if args.argument("name") != nil { throw UsageError("'token list' takes no name.") }
            let tokens = try store(args).list()
            if args.flag("json") {
                context.print(JSONValue.array(tokens.map { token in
                    .object([("name", .string(token.name)), ("user_id", .optional(token.userID)),
                             ("scopes", scopesJSON(token.scopes)), ("created_at", .string(token.createdAt)), ("last_used_at", .optional(token.lastUsedAt))])
                }).prettyText)
                return ExitCode.success
            }
            if tokens.isEmpty {
                context.print("No tokens. Create one with 'ingest token create --name NAME'.")
                return ExitCode.success
            }
            var table = TextTable(["NAME", "USER ID", "SCOPES", "CREATED", "LAST USED"])
            for token in tokens {
                table.add([token.name, token.userID.map(String.init) ?? "-", TokenScope.text(token.scopes), token.createdAt,
                           token.lastUsedAt ?? "never"])
            }
            context.stdout(table.rendered)
            return ExitCode.success
        case "revoke":
            guard let name = args.argument("name") ?? args.value("name") else {
                throw UsageError("'token revoke' needs the token's name.")
            }
            try store(args).revoke(name: name)
            context.print("Revoked the token '\(name)'.")
            return ExitCode.success
        default:
            var message = "Unknown token action '\(action)'; use create, list or revoke."
            if let close = closest(action, in: ["create", "list", "revoke"]) { message += " Did you mean '\(close)'?" }
            throw UsageError(message)
        }
    }

    /// `["read", "run"]`.
    private static func scopesJSON(_ scopes: Set<TokenScope>) -> JSONValue {
        .array(scopes.sorted().map { .string($0.rawValue) })
    }

    /// The token table of `--database`, migrated on open.
    private static func store(_ args: ParsedArguments) throws -> TokenStore {
        let runs = try RunStore(location: DatabaseLocation(args.value("database") ?? "ingest.sqlite"))
        return TokenStore(runs)
    }
}
