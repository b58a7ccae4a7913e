import Testing
@testable import Outbound

/// The internal-address list, range by range: first and last address inside, neighbours outside.
@Suite("Internal address ranges")
struct AddressClassifierTests {
    static let v4: [(String, String?)] = [
        ("0.0.0.0", "this network"), ("0.255.255.255", "this network"), ("1.0.0.0", nil),
        ("9.255.255.255", nil), ("10.0.0.0", "private"), ("10.255.255.255", "private"), ("11.0.0.0", nil),
        ("100.63.255.255", nil), ("100.64.0.0", "carrier-grade NAT"), ("100.127.255.255", "carrier-grade NAT"), ("100.128.0.0", nil),
        ("126.255.255.255", nil), ("127.0.0.0", "loopback"), ("127.0.0.1", "loopback"), ("127.255.255.255", "loopback"), ("128.0.0.0", nil),
        ("169.253.255.255", nil), ("169.254.0.0", "link-local"), ("169.254.169.254", "link-local"), ("169.254.255.255", "link-local"), ("169.255.0.0", nil),
        ("172.15.255.255", nil), ("172.16.0.0", "private"), ("172.31.255.255", "private"), ("172.32.0.0", nil),
        ("192.0.0.0", "IETF protocol assignments"), ("192.0.0.255", "IETF protocol assignments"), ("192.0.1.0", nil),
        ("192.0.2.0", "documentation"), ("192.0.2.255", "documentation"), ("192.0.3.0", nil),
        ("192.167.255.255", nil), ("192.168.0.0", "private"), ("192.168.255.255", "private"), ("192.169.0.0", nil),
        ("198.17.255.255", nil), ("198.18.0.0", "benchmarking"), ("198.19.255.255", "benchmarking"), ("198.20.0.0", nil),
        ("198.51.100.0", "documentation"), ("198.51.100.255", "documentation"), ("203.0.113.0", "documentation"), ("203.0.113.255", "documentation"),
        ("223.255.255.255", nil), ("224.0.0.0", "multicast"), ("239.255.255.255", "multicast"),
        ("240.0.0.0", "reserved"), ("255.255.255.254", "reserved"), ("255.255.255.255", "broadcast"),
        ("8.8.8.8", nil), ("93.184.216.34", nil), ("1.1.1.1", nil),
    ]

    static let v6: [(String, String?)] = [
        ("::", "unspecified"), ("::1", "loopback"),
        // IPv4-mapped ::ffff:0:0/96, by the IPv4 address inside.
        ("::ffff:127.0.0.1", "IPv4-mapped loopback"), ("::ffff:10.0.0.1", "IPv4-mapped private"),
        ("::ffff:169.254.169.254", "IPv4-mapped link-local"), ("::ffff:0.0.0.0", "IPv4-mapped this network"),
        ("::ffff:255.255.255.255", "IPv4-mapped broadcast"), ("::ffff:7f00:1", "IPv4-mapped loopback"), ("::ffff:8.8.8.8", nil),
        // IPv4-compatible ::/96.
        ("::127.0.0.1", "IPv4-compatible loopback"), ("::192.168.1.1", "IPv4-compatible private"),
        ("::2", "IPv4-compatible this network"), ("::100.64.0.1", "IPv4-compatible carrier-grade NAT"), ("::8.8.8.8", nil),
        // NAT64 64:ff9b::/96 by the IPv4 address inside; the local-use /48 always.
        ("64:ff9b::127.0.0.1", "NAT64 loopback"), ("64:ff9b::10.1.2.3", "NAT64 private"), ("64:ff9b::224.0.0.1", "NAT64 multicast"),
        ("64:ff9b::8.8.8.8", nil), ("64:ff9b:1::1", "local-use NAT64"),
        // 6to4 2002::/16 by the IPv4 address in bits 16–48.
        ("2002:7f00:1::", "6to4 loopback"), ("2002:c0a8:101::1", "6to4 private"), ("2002:a9fe:a9fe::1", "6to4 link-local"),
        ("2002:808:808::1", nil),
        ("fe80::", "link-local"), ("fe80::1", "link-local"), ("febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "link-local"),
        ("fec0::", "site-local"), ("feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "site-local"),
        ("fc00::", "unique local"), ("fd12:3456::1", "unique local"), ("fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "unique local"),
        ("fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "reserved"),
        ("ff00::", "multicast"), ("ff02::1", "multicast"), ("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "multicast"),
        ("100::1", "discard-only"), ("2001::1", "Teredo"), ("2001:db8::1", "documentation"), ("3fff::1", "documentation"),
        ("4000::1", "reserved"), ("1fff:ffff::1", "reserved"),
        ("2001:4860:4860::8888", nil), ("2606:2800:220:1::", nil), ("2a00:1450:4001::1", nil), ("3ffe::1", nil),
    ]

    @Test("every IPv4 range, at its edges", arguments: v4)
    func ipv4(_ text: String, _ expected: String?) throws {
        let address = try #require(IPAddress(text))
        #expect(address.isIPv4)
        #expect(address.internalRange == expected)
    }

    @Test("every IPv6 range and every IPv6 form that carries an IPv4 address", arguments: v6)
    func ipv6(_ text: String, _ expected: String?) throws {
        let address = try #require(IPAddress(text))
        #expect(!address.isIPv4)
        #expect(address.internalRange == expected)
    }

    @Test("addresses parse strictly and print canonically")
    func parsing() {
        #expect(IPAddress("127.1") == nil)
        #expect(IPAddress("0x7f000001") == nil)
        #expect(IPAddress("[::1]") == nil)
        #expect(IPAddress("example.com") == nil)
        #expect(IPAddress("::FFFF:7F00:1")?.description == "::ffff:127.0.0.1")
        #expect(IPAddress("10.0.0.1")?.description == "10.0.0.1")
        #expect(IPAddress("10.0.0.1") == IPAddress(10, 0, 0, 1))
    }
}
