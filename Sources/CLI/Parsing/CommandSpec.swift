/// The declared shape of one command: what `--help` prints and what the parser accepts.
package struct CommandSpec: Sendable {
    package struct Argument: Sendable {
        package var name: String
        package var help: String
        package var isOptional: Bool
        /// Takes every remaining positional value.
        package var isVariadic: Bool
        package init(_ name: String, help: String, optional: Bool = false, variadic: Bool = false) {
            self.name = name; self.help = help; self.isOptional = optional; self.isVariadic = variadic
        }
    }

    package struct Option: Sendable {
        package var long: String
        package var short: Character?
        /// nil for a flag (no value).
        package var valueName: String?
        package var help: String
        /// Environment variable read when the option is absent.
        package var environment: String?
        package var defaultValue: String?
        package init(_ long: String, short: Character? = nil, value: String? = nil, help: String,
                    environment: String? = nil, default defaultValue: String? = nil) {
            self.long = long; self.short = short; self.valueName = value; self.help = help
            self.environment = environment; self.defaultValue = defaultValue
        }
        package var isFlag: Bool { valueName == nil }
    }

    package var name: String
    package var abstract: String
    package var discussion: String?
    package var arguments: [Argument]
    package var options: [Option]

    package init(name: String, abstract: String, discussion: String? = nil, arguments: [Argument] = [], options: [Option] = []) {
        self.name = name; self.abstract = abstract; self.discussion = discussion
        self.arguments = arguments
        self.options = options + [Option("help", short: "h", help: "Show help information.")]
    }

    /// `ingest run <slug> [<file>] [--dry-run] …`
    package var usage: String {
        var parts = ["ingest", name]
        for a in arguments {
            var text = "<\(a.name)>"
            if a.isVariadic { text += " ..." }
            parts.append(a.isOptional ? "[\(text)]" : text)
        }
        for o in options where o.long != "help" {
            let text = o.isFlag ? "--\(o.long)" : "--\(o.long) <\(o.valueName ?? "value")>"
            parts.append("[\(text)]")
        }
        return parts.joined(separator: " ")
    }
}
