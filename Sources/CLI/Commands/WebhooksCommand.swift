import Engine

/// `ingest webhooks ID`: the webhook deliveries of a run and every attempt.
enum WebhooksCommand: Command {
    static let spec = CommandSpec(
        name: "webhooks", abstract: "Show the webhook deliveries of a run and the attempts made to send them.",
        discussion: """
            One line per delivery (event, URL without query, status, attempts, next attempt), then its
            attempts (HTTP status or error, duration). Pending deliveries are sent by 'ingest serve'.
            """,
        arguments: [.init("id", help: "The run id.")],
        options: CommonOptions.storage + [CommonOptions.json])

    static func run(_ args: ParsedArguments, _ context: CommandContext) throws -> Int32 {
        let (id, store) = try CommonOptions.existingRun(args, context)
        let deliveries = try store.webhookDeliveries(of: id)
        if args.flag("json") {
            context.print(JSONValue.array(deliveries.map(\.json)).prettyText)
            return ExitCode.success
        }
        guard !deliveries.isEmpty else {
            context.print("Run \(id): no webhook deliveries.")
            return ExitCode.success
        }
        context.print("Run \(id): \(deliveries.count) webhook deliver\(deliveries.count == 1 ? "y" : "ies")")
        for delivery in deliveries {
            context.print("")
            var table = TextTable(["EVENT", "URL", "STATUS", "ATTEMPTS", "NEXT ATTEMPT", "DELIVERY"])
            table.add([delivery.event.rawValue, delivery.redactedURL, delivery.status.rawValue, String(delivery.attempts),
                       delivery.status == .pending ? delivery.nextAttemptAt ?? "-" : "-", delivery.deliveryID])
            context.stdout(table.rendered)
            for attempt in delivery.attemptLog {
                let outcome = attempt.error ?? "HTTP \(attempt.statusCode ?? 0)"
                let next = attempt.nextAttemptAt.map { " Next attempt \($0)." } ?? ""
                context.print("  #\(attempt.attempt) \(attempt.startedAt) \(attempt.durationMs) ms: \(TerminalText.escape(outcome))\(next)")
            }
        }
        return ExitCode.success
    }
}
