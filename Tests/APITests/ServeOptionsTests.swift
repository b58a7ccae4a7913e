import API
import HTTP
import Testing
@testable import CLI

@Suite("ingest serve options")
struct ServeOptionsTests {
    static func configuration(_ arguments: [String], environment: [String: String] = [:]) throws -> IngestServerConfiguration {
        let context = CommandContext(environment: environment, stdout: { _ in }, stderr: { _ in }, stderrIsTerminal: false)
        let parsed = try ParsedArguments(arguments, spec: ServeCommand.spec, environment: environment)
        return try ServeCommand.serverConfiguration(parsed, context)
    }

    @Test("the defaults are the documented ones")
    func defaults() throws {
        let configuration = try Self.configuration([])
        #expect(configuration.http.maxConnections == 64)
        #expect(configuration.http.maxUnauthenticatedConnections == 32)
        #expect(configuration.http.maxUnauthenticatedConnectionsPerAddress == 8)
        #expect(configuration.http.headTimeout == .seconds(10))
        #expect(configuration.http.bodyTimeout == .seconds(30))
        #expect(configuration.http.minBodyBytesPerSecond == 1024)
        #expect(configuration.api.publicURL == nil)
    }

    @Test("connection caps, deadlines and the public URL come from options or the environment")
    func options() throws {
        let configuration = try Self.configuration([
            "--max-connections", "100", "--max-unauthenticated-connections", "40", "--max-unauthenticated-per-address", "40",
            "--head-timeout", "5", "--body-timeout", "60", "--min-body-rate", "4096", "--public-url", "https://ingest.example.com/",
        ])
        #expect(configuration.http.maxConnections == 100)
        #expect(configuration.http.maxUnauthenticatedConnections == 40)
        #expect(configuration.http.maxUnauthenticatedConnectionsPerAddress == 40)
        #expect(configuration.http.headTimeout == .seconds(5))
        #expect(configuration.http.bodyTimeout == .seconds(60))
        #expect(configuration.http.minBodyBytesPerSecond == 4096)
        #expect(configuration.api.publicURL == "https://ingest.example.com")

        let environment = try Self.configuration([], environment: [
            "INGEST_MAX_UNAUTHENTICATED_CONNECTIONS": "12", "INGEST_MAX_UNAUTHENTICATED_PER_ADDRESS": "3",
            "INGEST_PUBLIC_URL": "http://10.0.0.5:8080",
        ])
        #expect(environment.http.maxUnauthenticatedConnections == 12)
        #expect(environment.http.maxUnauthenticatedConnectionsPerAddress == 3)
        #expect(environment.api.publicURL == "http://10.0.0.5:8080")
    }

    @Test("out-of-range caps and deadlines and a bad public URL are usage errors", arguments: [
        ["--max-unauthenticated-connections", "0"], ["--max-unauthenticated-per-address", "-1"], ["--max-connections", "many"],
        ["--head-timeout", "0"], ["--body-timeout", "0"], ["--min-body-rate", "0"], ["--public-url", "ftp://example.com"],
        ["--public-url", "https://example.com/?a=1"],
    ])
    func usageErrors(arguments: [String]) {
        #expect(throws: UsageError.self) { try Self.configuration(arguments) }
    }
}
