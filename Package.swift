// swift-tools-version:6.0
// Ingest has no Swift package dependencies by design: only the toolchain and the
// system C libraries sqlite3, zlib, libcurl and libpq, linked through the systemLibrary targets below.
import PackageDescription

let swiftSettings: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "Ingest",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ingest", targets: ["ingest"]),
    ],
    targets: [
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CPq", path: "Sources/CPq", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .target(name: "IngestSupport", swiftSettings: swiftSettings),
        .target(name: "SQLStore", swiftSettings: swiftSettings),
        .target(name: "SQLite", dependencies: ["CSQLite", "SQLStore"], swiftSettings: swiftSettings),
        .target(name: "Postgres", dependencies: ["CPq", "SQLStore"], swiftSettings: swiftSettings),
        // The tests' private PostgreSQL cluster (`.ci/postgres`) and fresh databases on it. Not shipped.
        .target(name: "PostgresTestServer", dependencies: ["Postgres"], swiftSettings: swiftSettings),
        .target(name: "Tabular", dependencies: ["CZlib", "IngestSupport"], swiftSettings: swiftSettings),
        .target(name: "RegexEngine", swiftSettings: swiftSettings),
        .target(name: "Definitions", dependencies: ["IngestSupport", "RegexEngine"], swiftSettings: swiftSettings),
        .target(name: "Rules", dependencies: ["Definitions", "IngestSupport", "RegexEngine"], swiftSettings: swiftSettings),
        .target(name: "Outbound", dependencies: ["CCurl", "IngestSupport"], swiftSettings: swiftSettings),
        .target(name: "Engine", dependencies: ["SQLStore", "SQLite", "Postgres", "Tabular", "Definitions", "Rules", "Outbound", "IngestSupport"], swiftSettings: swiftSettings),
        .target(name: "HTTP", dependencies: ["IngestSupport"], swiftSettings: swiftSettings),
        .target(name: "API", dependencies: ["HTTP", "Engine", "Definitions", "IngestSupport"], swiftSettings: swiftSettings),
        .target(name: "CLI", dependencies: ["API", "Engine", "Definitions", "HTTP", "IngestSupport"], swiftSettings: swiftSettings),
        .executableTarget(name: "ingest", dependencies: ["CLI"], swiftSettings: swiftSettings),
        // bench/run.sh's write floor: SQLite's own work for the products feed's keyed upsert. Not shipped.
        .executableTarget(name: "ingest-floor", dependencies: ["CSQLite", "Tabular"], swiftSettings: swiftSettings),
        .testTarget(name: "IngestSupportTests", dependencies: ["IngestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "SQLiteTests", dependencies: ["SQLite"], swiftSettings: swiftSettings),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "PostgresTestServer"], swiftSettings: swiftSettings),
        .testTarget(name: "TabularTests", dependencies: ["Tabular"], resources: [.copy("Fixtures")], swiftSettings: swiftSettings),
        .testTarget(name: "RegexEngineTests", dependencies: ["RegexEngine"], swiftSettings: swiftSettings),
        .testTarget(name: "DefinitionsTests", dependencies: ["Definitions", "IngestSupport", "RegexEngine"], swiftSettings: swiftSettings),
        .testTarget(name: "RulesTests", dependencies: ["Rules", "Definitions", "RegexEngine"], swiftSettings: swiftSettings),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "Definitions", "HTTP", "SQLite", "Postgres", "PostgresTestServer", "Rules"], swiftSettings: swiftSettings),
        .testTarget(name: "OutboundTests", dependencies: ["Outbound", "HTTP"], swiftSettings: swiftSettings),
        .testTarget(name: "HTTPTests", dependencies: ["HTTP"], swiftSettings: swiftSettings),
        .testTarget(name: "APITests", dependencies: ["API", "CLI", "Engine", "HTTP", "Definitions", "Rules", "SQLite", "Postgres", "PostgresTestServer", "Tabular", "RegexEngine"], swiftSettings: swiftSettings),
        .testTarget(name: "CLITests", dependencies: ["CLI", "Engine"], exclude: ["Golden"], swiftSettings: swiftSettings),
    ]
)
