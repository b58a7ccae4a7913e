import Foundation
import Testing
@testable import Outbound

/// The libcurl client against Ingest's own HTTP server on loopback ports: what is refused before
/// any connection, what is pinned, what each redirect hop is checked for, where headers go, and
/// the limits.
@Suite("Outbound HTTP client")
struct OutboundHTTPClientTests {
    /// A client that may reach loopback (the test servers) with the system resolver.
    func openClient(allowedHosts: [String] = []) -> OutboundHTTPClient {
        OutboundHTTPClient(policy: AddressPolicy(allowedHosts: allowedHosts, allowInternal: true))
    }

    /// A client that refuses internal addresses, except the one test server it starts at.
    func guardedClient(exceptFor server: LoopbackServer) -> OutboundHTTPClient {
        OutboundHTTPClient(policy: AddressPolicy(internalExceptions: [.init(loopback, server.port)]))
    }

    // MARK: - Refused before connecting

    @Test("loopback in any spelling, feed.localhost included, is refused without a connection")
    func loopbackRefused() throws {
        let server = try LoopbackServer()
        let client = OutboundHTTPClient(policy: AddressPolicy())
        let spellings: [(host: String, address: String)] = [
            ("feed.localhost", "127.0.0.1"), ("localhost", "127.0.0.1"), ("Feed.LocalHost.", "127.0.0.1"),
            ("127.0.0.1", "127.0.0.1"), ("127.1", "127.0.0.1"), ("2130706433", "127.0.0.1"), ("0x7f000001", "127.0.0.1"),
            ("[::1]", "::1"), ("[::ffff:127.0.0.1]", "::ffff:127.0.0.1"), ("0.0.0.0", "0.0.0.0"),
        ]
        for (host, address) in spellings {
            let error = failure { _ = try fetch(client, "http://\(host):\(server.port)/items.csv") }
            guard case .internalAddress(_, let refused, _)? = error else {
                Issue.record("\(host): expected an internal-address refusal, got \(String(describing: error))")
                continue
            }
            #expect(refused == address, "\(host)")
        }
        let named = failure { _ = try fetch(client, "http://feed.localhost:\(server.port)/items.csv") }
        #expect(named == .internalAddress(host: "feed.localhost", address: "127.0.0.1", range: "loopback"))
        #expect(named?.description == "The host 'feed.localhost' resolves to an internal address (127.0.0.1, loopback); internal addresses are refused.")
        #expect(server.requests.isEmpty)
    }

    @Test("a name that does not resolve is refused, even when internal addresses are allowed")
    func unresolvableRefused() throws {
        let server = try LoopbackServer()
        let names = TableResolver([:])
        for allowInternal in [false, true] {
            let client = OutboundHTTPClient(policy: AddressPolicy(allowInternal: allowInternal, resolver: names.resolver))
            let error = failure { _ = try fetch(client, "http://feeds.example.com:\(server.port)/items.csv") }
            #expect(error == .unresolvable(host: "feeds.example.com", reason: "no such host"))
        }
        #expect(server.requests.isEmpty)
    }

    @Test("every address of a name is checked: one internal address refuses the host")
    func everyAddressChecked() throws {
        let server = try LoopbackServer()
        let names = TableResolver(["mixed.example": [IPAddress(93, 184, 216, 34), IPAddress("fd00::1")!]])
        let client = OutboundHTTPClient(policy: AddressPolicy(resolver: names.resolver))
        let error = failure { _ = try fetch(client, "http://mixed.example:\(server.port)/items.csv") }
        #expect(error == .internalAddress(host: "mixed.example", address: "fd00::1", range: "unique local"))
        #expect(server.requests.isEmpty)
    }

    @Test("schemes other than http and https, hosts off the allow-list and bad headers are refused")
    func otherRefusals() throws {
        let server = try LoopbackServer()
        #expect(failure { _ = try fetch(openClient(), "ftp://127.0.0.1:\(server.port)/items.csv") } == .unsupportedScheme("ftp"))
        #expect(failure { _ = try fetch(openClient(), "file:///etc/passwd") } == .unsupportedScheme("file"))
        #expect(failure { _ = try fetch(openClient(allowedHosts: ["feeds.example.com"]), server.url("/items.csv")) }
                == .hostNotAllowed(host: "127.0.0.1"))
        #expect(failure { _ = try fetch(openClient(), server.url("/items.csv"), headers: [("X-Evil", "a\r\nHost: b")]) }
                == .invalidHeader("X-Evil"))
        #expect(server.requests.isEmpty)
        // The allow-list ignores case and a trailing dot.
        #expect(try fetch(openClient(allowedHosts: ["127.0.0.1", "Feed.Localhost."]), "http://FEED.localhost:\(server.port)/items.csv").body
                == LoopbackServer.csv)
    }

    // MARK: - Pinning

    @Test("the connection goes to the address checked: libcurl never resolves the name itself")
    func pinned() throws {
        let server = try LoopbackServer()
        // Real DNS knows no `feeds.example`: the transfer only works if libcurl uses the pinned address.
        let names = TableResolver(["feeds.example": [loopback]])
        let client = OutboundHTTPClient(policy: AddressPolicy(allowInternal: true, resolver: names.resolver))
        let (response, body) = try fetch(client, "http://feeds.example:\(server.port)/items.csv")
        #expect(response.status == 200 && body == LoopbackServer.csv)
        #expect(server.requests == [SeenRequest(path: "/items.csv", host: "feeds.example:\(server.port)", authorization: nil)])
        #expect(names.lookups == ["feeds.example"], "resolved once, by the check")
    }

    @Test("libcurl gets no socket to an address that was not checked")
    func socketRefused() throws {
        let server = try LoopbackServer()
        let request = PinnedRequest(url: try OutboundURL(server.url("/items.csv")), addresses: [IPAddress(127, 0, 0, 2)],
                                    deadline: .now + .seconds(10), maxBodyBytes: 1 << 20)
        let path = temporaryPath()
        defer { remove(path) }
        let sink = try FileSink(creating: path)
        #expect(failure { _ = try PinnedTransfer.perform(request, into: sink) } == .unexpectedAddress("127.0.0.1"))
        #expect(server.requests.isEmpty)
    }

    @Test("feed.localhost is loopback when internal addresses are allowed")
    func localhostAllowed() throws {
        let server = try LoopbackServer()
        #expect(try fetch(openClient(), "http://feed.localhost:\(server.port)/items.csv").body == LoopbackServer.csv)
        #expect(server.requests.map(\.host) == ["feed.localhost:\(server.port)"])
    }

    // MARK: - Redirects

    @Test("each redirect hop is checked: internal targets, other ports, bad schemes and unresolvable names are refused")
    func redirectHopsChecked() throws {
        let first = try LoopbackServer()
        let other = try LoopbackServer()
        let client = guardedClient(exceptFor: first)
        // The exception lets the first hop through; the same address and port again is fine.
        #expect(try fetch(client, first.url("/redirect?to=/items.csv")).body == LoopbackServer.csv)
        let refusals: [(target: String, reason: OutboundError)] = [
            (other.url("/record"), .internalAddress(host: "127.0.0.1", address: "127.0.0.1", range: "loopback")),
            ("http://feed.localhost:\(other.port)/record", .internalAddress(host: "feed.localhost", address: "127.0.0.1", range: "loopback")),
            ("http://[::1]:\(other.port)/record", .internalAddress(host: "::1", address: "::1", range: "loopback")),
            ("http://169.254.169.254/latest/meta-data/", .internalAddress(host: "169.254.169.254", address: "169.254.169.254", range: "link-local")),
            ("http://[::ffff:10.0.0.1]/", .internalAddress(host: "::ffff:10.0.0.1", address: "::ffff:10.0.0.1", range: "IPv4-mapped private")),
            ("file:///etc/passwd", .unsupportedScheme("file")),
            ("ftp://127.0.0.1:\(other.port)/x", .unsupportedScheme("ftp")),
        ]
        for (target, reason) in refusals {
            let encoded = target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? target
            let error = failure { _ = try fetch(client, first.url("/redirect?to=\(encoded)")) }
            #expect(error == .redirectRefused(reason), "\(target)")
        }
        #expect(other.requests.isEmpty)
    }

    @Test("a redirect to a name that does not resolve, or off the allow-list, is refused")
    func redirectNamesChecked() throws {
        let server = try LoopbackServer()
        let names = TableResolver(["feeds.example": [loopback]])
        let resolving = OutboundHTTPClient(policy: AddressPolicy(allowInternal: true, resolver: names.resolver))
        let error = failure { _ = try fetch(resolving, "http://feeds.example:\(server.port)/redirect?to=http%3A%2F%2Fgone.example%2F") }
        #expect(error == .redirectRefused(.unresolvable(host: "gone.example", reason: "no such host")))
        let listed = openClient(allowedHosts: ["127.0.0.1"])
        let offList = failure { _ = try fetch(listed, server.url("/redirect?to=http%3A%2F%2Flocalhost%3A\(server.port)%2Frecord")) }
        #expect(offList == .redirectRefused(.hostNotAllowed(host: "localhost")))
        #expect(!server.requests.contains { $0.path == "/record" })
    }

    @Test("redirects are followed by hand up to five times, for 301, 302, 303, 307 and 308")
    func redirectLimit() throws {
        let server = try LoopbackServer()
        let client = openClient()
        let (response, body) = try fetch(client, server.url("/hop/4"))
        #expect(response.redirects == 5 && body == LoopbackServer.csv)
        #expect(failure { _ = try fetch(client, server.url("/hop/5")) } == .tooManyRedirects(limit: 5))
        for status in [301, 302, 303, 307, 308] {
            #expect(try fetch(client, server.url("/redirect?status=\(status)&to=/items.csv")).response.redirects == 1)
        }
        #expect(failure { _ = try fetch(client, server.url("/redirect?status=300&to=/items.csv")) } == .httpStatus(300))
    }

    // MARK: - Headers and origins

    @Test("headers go to the first URL's origin only: never to another port or host name, again on the way back")
    func headersStayWithOrigin() throws {
        let origin = try LoopbackServer()
        let other = try LoopbackServer()
        let client = openClient()
        let token = [(name: "Authorization", value: "Bearer s3cret")]
        func follow(_ target: String) throws {
            let encoded = target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? target
            _ = try fetch(client, origin.url("/redirect?to=\(encoded)"), headers: token)
        }
        try follow("/record")                                     // relative: same origin
        try follow(origin.url("/record"))                        // absolute, same origin
        try follow(other.url("/record"))                         // another port
        try follow("http://localhost:\(origin.port)/record")     // another host name, same socket
        try follow(other.url("/redirect?to=" + (origin.url("/record").addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")))
        let atOrigin = origin.requests.filter { $0.path == "/record" }
        #expect(atOrigin.map(\.authorization) == ["Bearer s3cret", "Bearer s3cret", nil, "Bearer s3cret"])
        #expect(atOrigin.map(\.host) == ["127.0.0.1:\(origin.port)", "127.0.0.1:\(origin.port)", "localhost:\(origin.port)", "127.0.0.1:\(origin.port)"])
        #expect(origin.requests.filter { $0.path == "/redirect" }.allSatisfy { $0.authorization == "Bearer s3cret" })
        #expect(other.requests.count == 2 && other.requests.allSatisfy { $0.authorization == nil })
    }

    // MARK: - Limits

    @Test("a body over the cap is refused, announced or streamed; one at the cap is kept")
    func sizeCap() throws {
        let server = try LoopbackServer()
        let client = openClient()
        #expect(try fetch(client, server.url("/sized/4096"), maxBodyBytes: 4096).body.count == 4096)
        #expect(failure { _ = try fetch(client, server.url("/sized/4097"), maxBodyBytes: 4096) } == .tooLarge(limit: 4096))
        let path = temporaryPath()
        defer { remove(path) }
        let sink = try FileSink(creating: path)
        let streamed = failure { _ = try client.get(server.url("/chunked/200000"), timeout: .seconds(10), maxBodyBytes: 10_000, into: sink) }
        sink.close()
        #expect(streamed == .tooLarge(limit: 10_000))
        let written = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? -1
        #expect(written >= 0 && written <= 10_000)
        #expect(streamed?.description == "The response is larger than the limit of 10000 bytes.")
    }

    @Test("compressed bodies are decoded, and the cap counts decoded bytes")
    func compressed() throws {
        let server = try LoopbackServer()
        let client = openClient()
        #expect(try fetch(client, server.url("/gzip/csv")).body == LoopbackServer.csv)
        #expect(try fetch(client, server.url("/gzip/x5000"), maxBodyBytes: 5000).body == String(repeating: "x", count: 5000))
        // 40 bytes on the wire, 5000 decoded: over a 1000-byte cap.
        #expect(failure { _ = try fetch(client, server.url("/gzip/x5000"), maxBodyBytes: 1000) } == .tooLarge(limit: 1000))
    }

    @Test("an error status fails without reading the body")
    func errorStatus() throws {
        let server = try LoopbackServer()
        #expect(failure { _ = try fetch(openClient(), server.url("/missing")) } == .httpStatus(404))
    }

    @Test("a server that never answers times out")
    func timeout() throws {
        let listener = try SilentListener()
        let error = failure { _ = try fetch(openClient(), "http://127.0.0.1:\(listener.port)/items.csv", timeout: .milliseconds(300)) }
        #expect(error == .timedOut)
    }
}
