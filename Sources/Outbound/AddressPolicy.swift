/// Which URLs an outbound connection may reach: schemes, an optional host allow-list, and no
/// internal address unless allowed. Every hop (the first URL and each redirect) goes through
/// ``admit(_:)``, which resolves the host once and returns the addresses to pin the connection to.
package struct AddressPolicy: Sendable {
    /// Lower-case schemes a URL may use.
    package var schemes: Set<String>
    /// Lower-case host names a URL may name; empty means any host.
    package var allowedHosts: Set<String>
    /// Whether internal addresses (loopback, private, link-local, …) may be reached.
    package var allowInternal: Bool
    package var resolver: HostResolver
    /// Internal endpoints reachable even when `allowInternal` is off. Empty in production; tests
    /// use it to let a first hop reach a loopback server while the checks on every later hop
    /// stay the production ones.
    package var internalExceptions: Set<Endpoint>

    package struct Endpoint: Hashable, Sendable {
        package let address: IPAddress
        package let port: Int
        package init(_ address: IPAddress, _ port: Int) { self.address = address; self.port = port }
    }

    package init(schemes: Set<String> = ["http", "https"], allowedHosts: [String] = [], allowInternal: Bool = false,
                 resolver: HostResolver = .system, internalExceptions: Set<Endpoint> = []) {
        self.schemes = schemes
        self.allowedHosts = Set(allowedHosts.map { Self.comparable($0) })
        self.allowInternal = allowInternal
        self.resolver = resolver
        self.internalExceptions = internalExceptions
    }

    /// Checks scheme and host, then resolves the host (once) and checks every address it has.
    /// Returns the addresses the connection must use.
    package func admit(_ url: OutboundURL) throws(OutboundError) -> [IPAddress] {
        try checkName(url)
        let addresses: [IPAddress]
        if let literal = url.literalAddress { addresses = [literal] } else { addresses = try resolver.addresses(url.host) }
        guard !addresses.isEmpty else { throw .unresolvable(host: url.host, reason: "no address") }
        if !allowInternal {
            for address in addresses {
                if let range = address.internalRange, !internalExceptions.contains(Endpoint(address, url.port)) {
                    throw .internalAddress(host: url.host, address: address.description, range: range)
                }
            }
        }
        return addresses
    }

    /// The checks that need no resolution: scheme and allow-list.
    package func checkName(_ url: OutboundURL) throws(OutboundError) {
        guard schemes.contains(url.scheme) else { throw .unsupportedScheme(url.scheme) }
        guard !url.host.isEmpty else { throw .missingHost }
        if !allowedHosts.isEmpty && !allowedHosts.contains(Self.comparable(url.host)) {
            throw .hostNotAllowed(host: url.host)
        }
    }

    /// Lower case without one trailing dot: `Feeds.Example.com.` and `feeds.example.com` are one host.
    static func comparable(_ host: String) -> String {
        var name = host.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        if name.hasPrefix("[") && name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        return name
    }
}
