import Definitions
import Engine
import HTTP
import Testing
@testable import API

@Suite("Bearer tokens")
struct AuthTests {
    /// A deterministic generator for reproducible tokens.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state
        }
    }

    @Test("a token is ingest_ and 64 hex digits of randomness, and only its SHA-256 is stored")
    func tokenShape() {
        var generator = SeededGenerator(state: 1)
        let token = TokenGenerator.makeToken(using: &generator)
        #expect(token.hasPrefix("ingest_"))
        let hex = token.dropFirst("ingest_".count)
        #expect(hex.count == 64)
        #expect(hex.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        #expect(TokenGenerator.hash(of: token) == SHA256.hexDigest(Array(token.utf8)))
        #expect(TokenGenerator.makeToken() != TokenGenerator.makeToken())
    }

    @Test("the constant-time comparison agrees with ==")
    func constantTime() {
        let a = Array(String(repeating: "ab", count: 32).utf8)
        var b = a
        #expect(ConstantTime.equals(a, b))
        b[63] = UInt8(ascii: "c")
        #expect(!ConstantTime.equals(a, b))
        #expect(!ConstantTime.equals(a, a.dropLast()))
    }

    @Test("the Authorization header is read as RFC 6750 says", arguments: [
        ("Bearer abc", "abc"), ("bearer abc", "abc"), ("BEARER  abc ", "abc"), ("Basic abc", nil), ("Bearer", nil), ("Bearer  ", nil),
    ] as [(String, String?)])
    func bearerParsing(header: String, token: String?) {
        #expect(BearerAuthenticator.bearerToken(in: ["Authorization": header]) == token)
    }
}
