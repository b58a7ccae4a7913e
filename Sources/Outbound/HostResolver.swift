#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns a host name into its addresses, once per connection: the addresses it returns are the
/// ones checked and the only ones connected to.
package struct HostResolver: Sendable {
    /// All addresses of a name (never empty: no address is an error).
    package let addresses: @Sendable (String) throws(OutboundError) -> [IPAddress]

    package init(_ addresses: @escaping @Sendable (String) throws(OutboundError) -> [IPAddress]) {
        self.addresses = addresses
    }

    /// `getaddrinfo`, except that `localhost` and `*.localhost` are loopback without asking
    /// anyone (RFC 6761 §6.3; libcurl answers them so itself, whatever DNS says).
    package static let system = HostResolver { host throws(OutboundError) in
        if isLocalhostName(host) { return [IPAddress(127, 0, 0, 1), IPAddress("::1")!] }
        return try getaddrinfoAddresses(host)
    }

    /// `localhost`, `localhost.`, `feed.localhost`, `feed.localhost.` (case-insensitive).
    package static func isLocalhostName(_ host: String) -> Bool {
        var name = host.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        return name == "localhost" || name.hasSuffix(".localhost")
    }

    static func getaddrinfoAddresses(_ host: String) throws(OutboundError) -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &result)
        guard status == 0, let first = result else {
            let reason = status == EAI_NONAME ? "no such host" : String(cString: gai_strerror(status))
            throw .unresolvable(host: host, reason: reason)
        }
        defer { freeaddrinfo(first) }
        var out: [IPAddress] = []
        var next: UnsafeMutablePointer<addrinfo>? = first
        while let info = next {
            if let raw = info.pointee.ai_addr, let address = IPAddress(socketAddress: UnsafeRawPointer(raw)), !out.contains(address) {
                out.append(address)
            }
            next = info.pointee.ai_next
        }
        guard !out.isEmpty else { throw .unresolvable(host: host, reason: "no address") }
        return out
    }
}
