import Testing
@testable import Definitions

@Suite("Webhooks in definitions, the *_env rule, and HMAC-SHA256")
struct WebhookDefinitionTests {
    /// `{"target", "columns", <extra>}` laid out one key per line, so positions are predictable:
    /// `extra` starts on line 4.
    static func definition(_ extra: String) -> String {
        "{\n  \"target\": {\"table\": \"t\"},\n  \"columns\": {\"a\": {\"from\": \"A\"}, \"api_env\": {\"from\": \"B\"}},\n  \(extra)\n}"
    }

    @Test("decodes url, events (default: the final ones) and secret_env")
    func decodes() throws {
        let loaded = TestFixtures.load(Self.definition(#"""
            "webhooks": [{"url": "https://hooks.example.com/ingest", "events": ["run.started", "run.chunk"], "secret_env": "INGEST_SECRET_A"},
                         {"url": "http://other.example.com/x", "secret_env": "INGEST_SECRET_B_2"}]
            """#))
        #expect(loaded.problems.map(\.description) == [])
        let hooks = try #require(loaded.definition?.webhooks)
        #expect(hooks == [
            WebhookSpec(url: "https://hooks.example.com/ingest", events: [.started, .chunk], secretEnv: "INGEST_SECRET_A", pointer: "/webhooks/0"),
            WebhookSpec(url: "http://other.example.com/x", events: [.completed, .failed, .cancelled], secretEnv: "INGEST_SECRET_B_2",
                        pointer: "/webhooks/1"),
        ])
    }

    @Test("a secret_env without the INGEST_SECRET_ prefix is refused at its line and column")
    func prefixRule() {
        let json = Self.definition(#""webhooks": [{"url": "https://h.example.com/", "secret_env": "INGEST_DATABASE"}]"#)
        #expect(TestFixtures.problems(json) == [
            "importers/test.json:4:64: /webhooks/0/secret_env: 'INGEST_DATABASE' may not be named here: a definition may name only "
                + "environment variables starting with INGEST_SECRET_ followed by A-Z, 0-9 or _ (e.g. INGEST_SECRET_WEBHOOK)",
        ])
        for bad in ["INGEST_SECRET_", "ingest_secret_x", "INGEST_SECRET_a", "HOME", "INGEST_SECRET_X-Y"] {
            let problems = TestFixtures.problems(Self.definition(#""webhooks": [{"url": "https://h.example.com/", "secret_env": "\#(bad)"}]"#))
            #expect(problems.count == 1 && problems[0].contains("'\(bad)' may not be named here"), "\(bad)")
        }
    }

    @Test("the rule holds for every key ending in _env, wherever it is, but not for data keys")
    func everyEnvKey() {
        // A key of another source type, or an unknown one, gets the rule as well as its own problem.
        let problems = TestFixtures.problems(Self.definition(#""source": {"type": "url", "url": "https://h.example.com/f.csv", "password_env": "INGEST_DATABASE"}"#))
        #expect(problems.contains { $0.contains("/source/password_env: 'INGEST_DATABASE' may not be named here") })
        #expect(problems.contains { $0.contains("/source/password_env: 'password_env' applies only to source types") })
        let unknown = TestFixtures.problems(Self.definition(#""token_env": "INGEST_DATABASE""#))
        #expect(unknown.contains { $0.contains("/token_env: 'INGEST_DATABASE' may not be named here") })
        #expect(unknown.contains { $0.contains("/token_env: unknown key 'token_env'") })
        let notAName = TestFixtures.problems(Self.definition(#""webhooks": [{"url": "https://h.example.com/", "secret_env": 5}]"#))
        #expect(notAName.contains { $0.contains("/webhooks/0/secret_env: expected the name of an environment variable starting with INGEST_SECRET_, got") })
        // A column named api_env (above), a map value and an example row are data, not settings.
        let data = Self.definition(#"""
            "examples": [{"row": {"A": "x", "B": "y", "x_env": "HOME"}, "expect": {"values": {"a": "x"}}}]
            """#)
        #expect(TestFixtures.problems(data) == [])
    }

    @Test("webhook shape errors are clear", arguments: [
        (#""webhooks": {"url": "x"}"#, "/webhooks: expected an array of webhooks, got an object"),
        (#""webhooks": [{"secret_env": "INGEST_SECRET_A"}]"#, "/webhooks/0: missing required key 'url'"),
        (#""webhooks": [{"url": "ftp://h.example.com/", "secret_env": "INGEST_SECRET_A"}]"#,
         "/webhooks/0/url: expected an http or https URL with a host, got 'ftp://h.example.com/'"),
        (#""webhooks": [{"url": "https://h.example.com/"}]"#, "/webhooks/0: missing required key 'secret_env'"),
        (#""webhooks": [{"url": "https://h.example.com/", "secret_env": "INGEST_SECRET_A", "events": ["run.finished"]}]"#,
         "/webhooks/0/events/0: expected one of run.started, run.chunk, run.completed, run.failed, run.cancelled"),
        (#""webhooks": [{"url": "https://h.example.com/", "secret_env": "INGEST_SECRET_A", "events": ["run.failed", "run.failed"]}]"#,
         "/webhooks/0/events/1: 'run.failed' is listed twice"),
        (#""webhooks": [{"url": "https://h.example.com/", "secret_env": "INGEST_SECRET_A", "secret": "x"}]"#,
         "/webhooks/0/secret: unknown key 'secret'"),
    ])
    func shapeErrors(extra: String, expected: String) {
        let problems = TestFixtures.problems(Self.definition(extra))
        #expect(problems.contains { $0.contains(expected) }, "\(problems)")
        #expect(problems.allSatisfy { $0.hasPrefix("importers/test.json:4:") }, "every problem has its line and column: \(problems)")
    }

    // RFC 4231 §4: HMAC-SHA-256 test cases 1-4, 6 and 7 (case 5 is a truncated MAC).
    static func bytes(_ hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            out.append(UInt8(hex[index..<next], radix: 16) ?? 0)
            index = next
        }
        return out
    }

    @Test("HMAC-SHA256 matches the RFC 4231 test vectors", arguments: [
        ([UInt8](repeating: 0x0b, count: 20), Array("Hi There".utf8),
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        (Array("Jefe".utf8), Array("what do ya want for nothing?".utf8),
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        ([UInt8](repeating: 0xaa, count: 20), [UInt8](repeating: 0xdd, count: 50),
         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        (WebhookDefinitionTests.bytes("0102030405060708090a0b0c0d0e0f10111213141516171819"), [UInt8](repeating: 0xcd, count: 50),
         "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        ([UInt8](repeating: 0xaa, count: 131), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        ([UInt8](repeating: 0xaa, count: 131),
         Array("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.".utf8),
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ])
    func rfc4231(key: [UInt8], message: [UInt8], expected: String) {
        #expect(HMACSHA256.hexCode(key: key, message: message) == expected)
    }

    @Test("a key of exactly one block is used as it is")
    func blockSizedKey() {
        // Computed independently with Python's hmac module.
        #expect(HMACSHA256.hexCode(key: Array(repeating: UInt8(ascii: "k"), count: 64), message: Array("m".utf8))
                == "3b7a8d453e76edb519238a515105a57508d0f169f480ebeee120a9e7803289fa")
    }
}
