import Definitions

/// Makes bearer tokens and the hashes stored for them.
///
/// A token is `ingest_` followed by 64 lowercase hex digits: 32 bytes from
/// `SystemRandomNumberGenerator`, which on Linux reads the kernel CSPRNG (`getrandom`). The
/// prefix makes leaked tokens easy to spot in logs and by secret scanners. Only
/// ``hash(of:)`` — the SHA-256 hex of the whole token — is ever stored.
package enum TokenGenerator {
    /// The prefix of every token.
    package static let prefix = "ingest_"
    /// Random bytes per token: 256 bits, beyond any guessing.
    package static let randomByteCount = 32

    /// A fresh token.
    package static func makeToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return makeToken(using: &generator)
    }

    /// A token drawn from `generator` (tests pass a seeded one).
    package static func makeToken(using generator: inout some RandomNumberGenerator) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(randomByteCount)
        while bytes.count < randomByteCount {
            let word = generator.next()
            for shift in stride(from: 0, to: 64, by: 8) where bytes.count < randomByteCount {
                bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift)))
            }
        }
        return prefix + SHA256.hex(bytes)
    }

    /// 32 random bytes as 64 lowercase hex digits, without the prefix: session ids and CSRF
    /// tokens.
    package static func randomHex() -> String {
        String(makeToken().dropFirst(prefix.count))
    }

    /// The stored form of `token`: SHA-256 as 64 lowercase hex digits.
    package static func hash(of token: String) -> String {
        SHA256.hexDigest(Array(token.utf8))
    }
}
