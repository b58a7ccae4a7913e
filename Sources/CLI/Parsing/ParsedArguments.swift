import IngestSupport
/// The values of one command line, checked against its `CommandSpec`.
package struct ParsedArguments: Sendable {
    package private(set) var positionals: [String: [String]] = [:]
    package private(set) var values: [String: String] = [:]
    package private(set) var flags: Set<String> = []

    /// Parses `arguments` (without the command name) for `spec`, reading option defaults from `environment`.
    package init(_ arguments: [String], spec: CommandSpec, environment: [String: String]) throws(UsageError) {
        var positional: [String] = []
        var i = 0
        var onlyPositionals = false
        func option(named name: String) throws(UsageError) -> CommandSpec.Option {
            if let o = spec.options.first(where: { $0.long == name }) { return o }
            let names = spec.options.map(\.long)
            var message = "Unknown option '--\(name)'."
            if let close = closest(name, in: names) { message += " Did you mean '--\(close)'?" }
            throw UsageError(message)
        }
        while i < arguments.count {
            let arg = arguments[i]
            i += 1
            if onlyPositionals || arg == "-" || !arg.hasPrefix("-") {
                positional.append(arg)
                continue
            }
            if arg == "--" { onlyPositionals = true; continue }
            var name: String
            var inlineValue: String?
            if arg.hasPrefix("--") {
                name = String(arg.dropFirst(2))
                if let eq = name.firstIndex(of: "=") {
                    inlineValue = String(name[name.index(after: eq)...])
                    name = String(name[..<eq])
                }
            } else {
                let letters = Array(arg.dropFirst())
                guard letters.count == 1, let o = spec.options.first(where: { $0.short == letters[0] }) else {
                    throw UsageError("Unknown option '\(arg)'.")
                }
                name = o.long
            }
            let o = try option(named: name)
            if o.isFlag {
                if inlineValue != nil { throw UsageError("The flag '--\(o.long)' does not take a value.") }
                flags.insert(o.long)
            } else {
                if let inlineValue {
                    values[o.long] = inlineValue
                } else {
                    guard i < arguments.count else { throw UsageError("Missing value for '--\(o.long) <\(o.valueName ?? "value")>'.") }
                    values[o.long] = arguments[i]
                    i += 1
                }
            }
        }
        if flags.contains("help") { return }
        var index = 0
        for a in spec.arguments {
            if a.isVariadic {
                positionals[a.name] = Array(positional[min(index, positional.count)...])
                index = positional.count
            } else if index < positional.count {
                positionals[a.name] = [positional[index]]
                index += 1
            } else if !a.isOptional {
                throw UsageError("Missing expected argument '<\(a.name)>'.")
            }
        }
        if index < positional.count {
            throw UsageError("Unexpected argument '\(positional[index])'.")
        }
        for o in spec.options where !o.isFlag && values[o.long] == nil {
            if let env = o.environment, let v = environment[env], !v.isEmpty { values[o.long] = v } else if let d = o.defaultValue { values[o.long] = d }
        }
    }

    package var wantsHelp: Bool { flags.contains("help") }
    package func argument(_ name: String) -> String? { positionals[name]?.first }
    package func arguments(_ name: String) -> [String] { positionals[name] ?? [] }
    package func value(_ name: String) -> String? { values[name] }
    package func flag(_ name: String) -> Bool { flags.contains(name) }

    /// An integer option or argument, with a usage error when it is not one.
    package func integer(_ name: String, argument: Bool = false) throws(UsageError) -> Int64? {
        guard let text = argument ? self.argument(name) : value(name) else { return nil }
        guard let v = Int64(text) else {
            throw UsageError("The value '\(text)' is invalid for '\(argument ? "<\(name)>" : "--\(name)")': expected an integer.")
        }
        return v
    }
}

/// The candidate closest to `word` (edit distance ≤ 2), for "did you mean".
/// The candidate closest to `word` ("did you mean"), as everywhere in Ingest.
func closest(_ word: String, in candidates: [String]) -> String? {
    Suggestion.closest(to: word, in: candidates)
}
