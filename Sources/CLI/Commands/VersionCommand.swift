import Engine

/// `ingest version`: this binary's version and the versions of the libraries it runs with.
enum VersionCommand: Command {
    static let spec = CommandSpec(name: "version", abstract: "Show the version of ingest, of the SQLite and libcurl it runs with, and of its database schema.",
                                  options: [CommonOptions.json])

    static func run(_ args: ParsedArguments, _ context: CommandContext) throws -> Int32 {
        let versions = ComponentVersions.current
        if args.flag("json") {
            let json = JSONValue.object([
                ("ingest", .string(IngestCommand.version)), ("sqlite", .string(versions.sqlite)),
                ("libcurl", .string(versions.libcurl)), ("schema", .integer(Int64(versions.schema))),
            ])
            context.print(json.prettyText)
            return ExitCode.success
        }
        var table = TextTable(["COMPONENT", "VERSION"])
        table.add(["ingest", IngestCommand.version])
        table.add(["sqlite", versions.sqlite])
        table.add(["libcurl", versions.libcurl])
        table.add(["schema", String(versions.schema)])
        context.stdout(table.rendered)
        return ExitCode.success
    }
}
