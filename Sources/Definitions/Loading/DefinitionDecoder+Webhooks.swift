import IngestSupport

extension DefinitionDecoder {
    /// The most webhooks one importer may declare.
    static let maxWebhooks = 20

    /// `webhooks`: a list of `{"url", "events", "secret_env"}`.
    func decodeWebhooks(_ node: JSONNode) -> [WebhookSpec] {
        let pointer = "/webhooks"
        guard case .array(let items) = node.value else {
            report("expected an array of webhooks, got \(node.kindDescription)", at: pointer, node.position)
            return []
        }
        if items.count > Self.maxWebhooks {
            report("at most \(Self.maxWebhooks) webhooks, got \(items.count)", at: pointer, node.position)
        }
        return items.enumerated().compactMap { i, item in decodeWebhook(item, JSONPointer.appending(pointer, i)) }
    }

    private func decodeWebhook(_ node: JSONNode, _ pointer: String) -> WebhookSpec? {
        guard let members = object(node, pointer, allowed: DefinitionKeys.webhook) else { return nil }
        var url: String?
        if let m = members["url"] {
            if let text = string(m.value, pointer + "/url", nonEmpty: true) {
                if Self.isHTTPURL(text) { url = text } else {
                    report("expected an http or https URL with a host, got '\(text)'", at: pointer + "/url", m.value.position)
                }
            }
        } else {
            report("missing required key 'url'", at: pointer, node.position)
        }
        var events = WebhookEvent.finalEvents
        if let m = members["events"] { events = decodeWebhookEvents(m.value, pointer + "/events") }
        // The name itself is checked by `checkEnvironmentNames`, as every `*_env` value is.
        var secretEnv: String?
        if let m = members["secret_env"] {
            secretEnv = string(m.value, pointer + "/secret_env", nonEmpty: true)
        } else {
            report("missing required key 'secret_env': every delivery is signed, with the secret in an environment variable named "
                   + "\(SecretEnvironment.prefix)…", at: pointer, node.position)
        }
        guard let url, let secretEnv else { return nil }
        return WebhookSpec(url: url, events: events, secretEnv: secretEnv, pointer: pointer)
    }

    private func decodeWebhookEvents(_ node: JSONNode, _ pointer: String) -> [WebhookEvent] {
        guard let items = stringList(node, pointer) else { return [] }
        var events: [WebhookEvent] = []
        for (_, item, itemPointer) in items {
            guard let event = enumeration(WebhookEvent.self, item, itemPointer) else { continue }
            if events.contains(event) {
                report("'\(event.rawValue)' is listed twice", at: itemPointer, item.position)
            } else {
                events.append(event)
            }
        }
        return events
    }

    /// The `*_env` rule, once for the whole file: every key ending in `_env` (today `secret_env`;
    /// any such key added later gets the same check) must name an environment variable with the
    /// prefix `INGEST_SECRET_`. Objects whose keys are data rather than definition keys (column
    /// names, example rows, `map` steps, HTTP header names) are walked into but their keys are
    /// not checked.
    func checkEnvironmentNames(_ node: JSONNode, _ pointer: String, keysAreData: Bool = false) {
        switch node.value {
        case .object(let members):
            for member in members {
                let child = JSONPointer.appending(pointer, member.key)
                if !keysAreData && member.key.hasSuffix("_env") { checkEnvironmentName(member.value, child) }
                guard child != "/examples" else { continue }
                checkEnvironmentNames(member.value, child, keysAreData: Self.holdsDataKeys(child, key: member.key))
            }
        case .array(let items):
            for (i, item) in items.enumerated() { checkEnvironmentNames(item, JSONPointer.appending(pointer, i)) }
        default:
            break
        }
    }

    /// Objects keyed by names from the data or the wire, not by definition keys.
    private static func holdsDataKeys(_ pointer: String, key: String) -> Bool {
        pointer == "/columns" || pointer == "/source/headers" || key == "map"
            || (pointer.hasPrefix("/nest/") && key == "columns" && pointer.split(separator: "/").count == 3)
    }

    private func checkEnvironmentName(_ node: JSONNode, _ pointer: String) {
        guard case .string(let name) = node.value else {
            report("expected the name of an environment variable starting with \(SecretEnvironment.prefix), got \(node.kindDescription)",
                   at: pointer, node.position)
            return
        }
        guard !SecretEnvironment.isAllowed(name) else { return }
        report("'\(name)' may not be named here: a definition may name only environment variables starting with "
               + "\(SecretEnvironment.prefix) followed by A-Z, 0-9 or _ (e.g. \(SecretEnvironment.prefix)WEBHOOK)",
               at: pointer, node.position)
    }
}
