// swift-tools-version:6.0
// Ingest has no Swift package dependencies by design: only the toolchain and the
// system C libraries sqlite3 and zlib, linked through the systemLibrary targets below.
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
        .target(name: "SQLite", dependencies: ["CSQLite"], swiftSettings: swiftSettings),
        .target(name: "Tabular", dependencies: ["CZlib"], swiftSettings: swiftSettings),
        .target(name: "RegexEngine", swiftSettings: swiftSettings),
        .target(name: "Definitions", dependencies: ["RegexEngine"], swiftSettings: swiftSettings),
        .target(name: "Rules", dependencies: ["Definitions", "RegexEngine"], swiftSettings: swiftSettings),
        .target(name: "Engine", dependencies: ["SQLite", "Tabular", "Definitions", "Rules"], swiftSettings: swiftSettings),
        .target(name: "HTTP", swiftSettings: swiftSettings),
        .target(name: "API", dependencies: ["HTTP", "Engine", "SQLite", "Definitions"], swiftSettings: swiftSettings),
        .target(name: "CLI", dependencies: ["API", "Engine"], swiftSettings: swiftSettings),
        .executableTarget(name: "ingest", dependencies: ["CLI"], swiftSettings: swiftSettings),
        .testTarget(name: "SQLiteTests", dependencies: ["SQLite"], swiftSettings: swiftSettings),
        .testTarget(name: "TabularTests", dependencies: ["Tabular"], resources: [.copy("Fixtures")], swiftSettings: swiftSettings),
        .testTarget(name: "RegexEngineTests", dependencies: ["RegexEngine"], swiftSettings: swiftSettings),
        .testTarget(name: "DefinitionsTests", dependencies: ["Definitions", "RegexEngine"], swiftSettings: swiftSettings),
        .testTarget(name: "RulesTests", dependencies: ["Rules", "RegexEngine"], swiftSettings: swiftSettings),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "HTTP"], swiftSettings: swiftSettings),
        .testTarget(name: "HTTPTests", dependencies: ["HTTP"], swiftSettings: swiftSettings),
        .testTarget(name: "APITests", dependencies: ["API", "CLI"], swiftSettings: swiftSettings),
        .testTarget(name: "CLITests", dependencies: ["CLI"], exclude: ["Golden"], swiftSettings: swiftSettings),
    ]
)
