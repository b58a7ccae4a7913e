#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address, held as its bytes in network order (4 or 16 of them).
package struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    package let bytes: [UInt8]

    package var isIPv4: Bool { bytes.count == 4 }

    /// An IPv4 address from its four bytes.
    package init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        bytes = [a, b, c, d]
    }

    /// 4 bytes (IPv4) or 16 bytes (IPv6); nil for any other count.
    package init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// Strict numeric text: dotted-quad IPv4 (`127.0.0.1`) or IPv6 (`::1`, `::ffff:10.0.0.1`),
    /// without brackets or zone. Shorthands such as `127.1` or `0x7f000001` are not addresses here.
    package init?(_ text: String) {
        var v6 = in6_addr()
        if text.contains(":") {
            guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
            bytes = withUnsafeBytes(of: &v6) { Array($0) }
            return
        }
        var v4 = in_addr()
        guard inet_pton(AF_INET, text, &v4) == 1 else { return nil }
        bytes = withUnsafeBytes(of: &v4) { Array($0) }
    }

    /// The address of a `sockaddr_in` or `sockaddr_in6`; nil for other families.
    package init?(socketAddress: UnsafeRawPointer) {
        let family = Int32(socketAddress.load(as: sockaddr.self).sa_family)
        switch family {
        case AF_INET:
            var address = socketAddress.loadUnaligned(as: sockaddr_in.self).sin_addr
            bytes = withUnsafeBytes(of: &address) { Array($0) }
        case AF_INET6:
            var address = socketAddress.loadUnaligned(as: sockaddr_in6.self).sin6_addr
            bytes = withUnsafeBytes(of: &address) { Array($0) }
        default:
            return nil
        }
    }

    /// The canonical text (`inet_ntop`): `10.0.0.1`, `::1`, `::ffff:10.0.0.1`.
    package var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        let family = isIPv4 ? AF_INET : AF_INET6
        let ok = bytes.withUnsafeBytes { raw in
            inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count)) != nil
        }
        guard ok else { return bytes.map(String.init).joined(separator: ".") }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The form libcurl's `CURLOPT_RESOLVE` takes: IPv6 in brackets.
    var resolveEntryText: String { isIPv4 ? description : "[\(description)]" }
}
