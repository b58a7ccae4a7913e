/// HMAC-SHA-256 (RFC 2104) over the package's own ``SHA256``: the signature of webhook
/// deliveries. Tested against the RFC 4231 vectors.
package enum HMACSHA256 {
    /// The 32-byte MAC of `message` under `key`.
    package static func authenticationCode(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var block = key.count > SHA256.blockByteCount ? SHA256.hash(key) : key
        block += [UInt8](repeating: 0, count: SHA256.blockByteCount - block.count)
        var inner = SHA256()
        inner.update(block.map { $0 ^ 0x36 })
        inner.update(message)
        let innerDigest = inner.finalize()
        var outer = SHA256()
        outer.update(block.map { $0 ^ 0x5c })
        outer.update(innerDigest)
        return outer.finalize()
    }

    /// The MAC as lower-case hex.
    package static func hexCode(key: [UInt8], message: [UInt8]) -> String {
        SHA256.hex(authenticationCode(key: key, message: message))
    }
}
