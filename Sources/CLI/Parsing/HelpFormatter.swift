/// Renders help in swift-argument-parser's layout: OVERVIEW, USAGE, ARGUMENTS, OPTIONS.
enum HelpFormatter {
    static func help(for spec: CommandSpec) -> String {
        var out = "OVERVIEW: \(spec.abstract)\n"
        if let d = spec.discussion { out += "\n" + d + "\n" }
        out += "\nUSAGE: \(spec.usage)\n"
        if !spec.arguments.isEmpty {
            out += "\nARGUMENTS:\n"
            for a in spec.arguments { out += row("<\(a.name)>", a.help) }
        }
        out += "\nOPTIONS:\n"
        for o in spec.options {
            var left = o.short.map { "-\($0), " } ?? ""
            left += "--\(o.long)"
            if let v = o.valueName { left += " <\(v)>" }
            var help = o.help
            if let env = o.environment { help += " (env: \(env))" }
            if let d = o.defaultValue { help += " (default: \(d))" }
            out += row(left, help)
        }
        return out
    }

    static func row(_ left: String, _ help: String) -> String {
        let width = 26
        if left.count + 2 < width {
            return "  " + left + String(repeating: " ", count: width - left.count - 2) + help + "\n"
        }
        return "  " + left + "\n" + String(repeating: " ", count: width) + help + "\n"
    }

    static func overview(commands: [CommandSpec]) -> String {
        var out = "OVERVIEW: Ingest: declarative, validated imports of CSV, XLSX and JSON files into SQLite.\n\n"
        out += "USAGE: ingest <subcommand>\n\nOPTIONS:\n"
        out += row("-h, --help", "Show help information.")
        out += row("--version", "Show the version.")
        out += "\nSUBCOMMANDS:\n"
        for c in commands { out += row(c.name, c.abstract) }
        out += "\n  See 'ingest help <subcommand>' for detailed help.\n"
        return out
    }
}
