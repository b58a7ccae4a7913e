/// The declared shape of one command: what `--help` prints and what the parser accepts.
public struct CommandSpec: Sendable {
    public struct Argument: Sendable {
        public var name: String
        public var help: String
        public var isOptional: Bool
        /// Takes every remaining positional value.
        public var isVariadic: Bool
        public init(_ name: String, help: String, optional: Bool = false, variadic: Bool = false) {
            self.name = name; self.help = help; self.isOptional = optional; self.isVariadic = variadic
        }
    }

    public struct Option: Sendable {
        public var long: String
        public var short: Character?
        /// nil for a flag (no value).
        public var valueName: String?
        public var help: String
        /// Environment variable read when the option is absent.
        public var environment: String?
        public var defaultValue: String?
        public init(_ long: String, short: Character? = nil, value: String? = nil, help: String,
                    environment: String? = nil, default defaultValue: String? = nil) {
            self.long = long; self.short = short; self.valueName = value; self.help = help
            self.environment = environment; self.defaultValue = defaultValue
        }
        public var isFlag: Bool { valueName == nil }
    }

    public var name: String
    public var abstract: String
    public var discussion: String?
    public var arguments: [Argument]
    public var options: [Option]

    public init(name: String, abstract: String, discussion: String? = nil, arguments: [Argument] = [], options: [Option] = []) {
        self.name = name; self.abstract = abstract; self.discussion = discussion
        self.arguments = arguments
        self.options = options + [Option("help", short: "h", help: "Show help information.")]
    }

    /// `ingest run <slug> [<file>] [--dry-run] …`
    public var usage: String {
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
