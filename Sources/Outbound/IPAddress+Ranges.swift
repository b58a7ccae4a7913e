extension IPAddress {
    /// The name of the non-public range this address belongs to, or nil for a public address.
    ///
    /// Internal means anything an outbound fetch must not reach on a server's behalf: loopback,
    /// private, link-local, carrier-grade NAT, "this network", multicast, broadcast, reserved,
    /// documentation and benchmarking ranges; for IPv6 anything outside global unicast `2000::/3`
    /// (unique local, link-local, site-local, multicast, …) and Teredo. IPv6 forms that
    /// carry an IPv4 address (mapped `::ffff:0:0/96`, compatible `::/96`, NAT64 `64:ff9b::/96`,
    /// 6to4 `2002::/16`) are judged by the IPv4 address they carry.
    package var internalRange: String? {
        isIPv4 ? Self.internalRange(v4: bytes[...]) : Self.internalRange(v6: bytes)
    }

    /// IPv4 ranges that are not public, most specific first (broadcast before reserved 240/4).
    static let internalV4: [(prefix: [UInt8], bits: Int, name: String)] = [
        ([255, 255, 255, 255], 32, "broadcast"),
        ([0, 0, 0, 0], 8, "this network"),
        ([10, 0, 0, 0], 8, "private"),
        ([100, 64, 0, 0], 10, "carrier-grade NAT"),
        ([127, 0, 0, 0], 8, "loopback"),
        ([169, 254, 0, 0], 16, "link-local"),
        ([172, 16, 0, 0], 12, "private"),
        ([192, 0, 0, 0], 24, "IETF protocol assignments"),
        ([192, 0, 2, 0], 24, "documentation"),
        ([192, 168, 0, 0], 16, "private"),
        ([198, 18, 0, 0], 15, "benchmarking"),
        ([198, 51, 100, 0], 24, "documentation"),
        ([203, 0, 113, 0], 24, "documentation"),
        ([224, 0, 0, 0], 4, "multicast"),
        ([240, 0, 0, 0], 4, "reserved"),
    ]

    /// Named IPv6 ranges that are not public and carry no IPv4 address. Outside global unicast
    /// (`2000::/3`) everything is internal anyway; these give the refusal a name.
    static let internalV6: [(prefix: [UInt8], bits: Int, name: String)] = [
        ([0x00, 0x64, 0xff, 0x9b, 0x00, 0x01], 48, "local-use NAT64"),
        ([0x01, 0x00, 0, 0, 0, 0, 0, 0], 64, "discard-only"),
        ([0x20, 0x01, 0x00, 0x00], 32, "Teredo"),
        ([0x20, 0x01, 0x00, 0x10], 28, "ORCHID"),
        ([0x20, 0x01, 0x00, 0x20], 28, "ORCHIDv2"),
        ([0x20, 0x01, 0x0d, 0xb8], 32, "documentation"),
        ([0x3f, 0xff, 0x00], 20, "documentation"),
        ([0xfc], 7, "unique local"),
        ([0xfe, 0x80], 10, "link-local"),
        ([0xfe, 0xc0], 10, "site-local"),
        ([0xff], 8, "multicast"),
    ]

    static func internalRange(v4 bytes: ArraySlice<UInt8>) -> String? {
        let address = Array(bytes)
        return internalV4.first { matches(address, $0.prefix, bits: $0.bits) }?.name
    }

    static func internalRange(v6 bytes: [UInt8]) -> String? {
        let zeros = [UInt8](repeating: 0, count: 10)
        if bytes.allSatisfy({ $0 == 0 }) { return "unspecified" }
        if bytes == zeros + [0, 0, 0, 0, 0, 1] { return "loopback" }
        // IPv4-mapped ::ffff:a.b.c.d
        if Array(bytes[0..<12]) == zeros + [0xff, 0xff] {
            return internalRange(v4: bytes[12..<16]).map { "IPv4-mapped \($0)" }
        }
        // IPv4-compatible ::a.b.c.d (deprecated, but still routed by some stacks)
        if Array(bytes[0..<12]) == zeros + [0, 0] {
            return internalRange(v4: bytes[12..<16]).map { "IPv4-compatible \($0)" }
        }
        // NAT64 well-known prefix 64:ff9b::/96: the gateway connects to the embedded IPv4 address.
        if Array(bytes[0..<12]) == [0x00, 0x64, 0xff, 0x9b] + [UInt8](repeating: 0, count: 8) {
            return internalRange(v4: bytes[12..<16]).map { "NAT64 \($0)" }
        }
        // 6to4 2002:AABB:CCDD::/48 tunnels to the IPv4 address AA.BB.CC.DD.
        if bytes[0] == 0x20 && bytes[1] == 0x02 {
            return internalRange(v4: bytes[2..<6]).map { "6to4 \($0)" }
        }
        if let named = internalV6.first(where: { matches(bytes, $0.prefix, bits: $0.bits) }) { return named.name }
        // Only global unicast 2000::/3 is public.
        return matches(bytes, [0x20], bits: 3) ? nil : "reserved"
    }

    /// Whether the first `bits` bits of `address` equal those of `prefix`.
    static func matches(_ address: [UInt8], _ prefix: [UInt8], bits: Int) -> Bool {
        var remaining = bits
        var index = 0
        while remaining > 0 {
            let take = min(remaining, 8)
            let mask = UInt8(truncatingIfNeeded: 0xff << (8 - take))
            let want = index < prefix.count ? prefix[index] : 0
            if address[index] & mask != want & mask { return false }
            remaining -= take
            index += 1
        }
        return true
    }
}
