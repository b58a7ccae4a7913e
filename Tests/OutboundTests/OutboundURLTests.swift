import Testing
@testable import Outbound

/// URLs as libcurl parses them: the host checked is the host connected to.
@Suite("Outbound URLs")
struct OutboundURLTests {
    @Test("host, port, path and origin")
    func parts() throws {
        let url = try OutboundURL("HTTPS://Feeds.Example.COM/exports/Items%20A.csv?x=1#top")
        #expect(url.scheme == "https")
        #expect(url.host == "feeds.example.com")
        #expect(url.port == 443)
        #expect(url.path == "/exports/Items A.csv")
        #expect(url.lastPathComponent == "Items A.csv")
        #expect(url.redacted == "https://feeds.example.com/exports/Items A.csv")
        #expect(url.text.hasPrefix("https://feeds.example.com/exports/"))
        #expect(try OutboundURL("http://example.com:8080/").origin == OutboundURL.Origin(scheme: "http", host: "example.com", port: 8080))
        #expect(try OutboundURL("http://example.com/").lastPathComponent == nil)
    }

    @Test("numeric host shorthands come out as the address libcurl would connect to")
    func numericHosts() throws {
        #expect(try OutboundURL("http://127.1/").host == "127.0.0.1")
        #expect(try OutboundURL("http://2130706433/").host == "127.0.0.1")
        #expect(try OutboundURL("http://0x7f000001/").host == "127.0.0.1")
        #expect(try OutboundURL("http://[::1]:81/").host == "::1")
        #expect(try OutboundURL("http://[::1]:81/").literalAddress == IPAddress("::1"))
        #expect(try OutboundURL("http://[::ffff:127.0.0.1]/").literalAddress?.internalRange == "IPv4-mapped loopback")
        #expect(try OutboundURL("http://example.com/").literalAddress == nil)
    }

    @Test("text that is not a URL is refused")
    func malformed() {
        for text in ["", "not a url", "http://exa mple.com/", "http://example.com/\r\nX: y", "//example.com/"] {
            #expect(failure { _ = try OutboundURL(text) } == .malformedURL(text))
        }
    }
}
