import Glibc

/// The key under which connections are counted "per client address".
///
/// An IPv4 address is its own key; an IPv4-mapped IPv6 address (`::ffff:192.0.2.1`) counts as the
/// IPv4 address. Other IPv6 addresses are grouped by their /64 prefix, the block a single
/// subscriber is usually given, so one host cannot dodge the cap by rotating through its
/// interface identifiers.
enum ClientAddress {
    /// The counting key of `remoteAddress` (the text form from `accept`); unparsable text is its
    /// own key.
    static func key(of remoteAddress: String) -> String {
        guard remoteAddress.contains(":") else { return remoteAddress }
        var address = in6_addr()
        guard inet_pton(AF_INET6, remoteAddress, &address) == 1 else { return remoteAddress }
        let bytes = withUnsafeBytes(of: &address) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF {
            return bytes[12..<16].map(String.init).joined(separator: ".")
        }
        var groups: [String] = []
        for index in stride(from: 0, to: 8, by: 2) {
            groups.append(String(UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]), radix: 16))
        }
        return groups.joined(separator: ":") + "::/64"
    }
}
