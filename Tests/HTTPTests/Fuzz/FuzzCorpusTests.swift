import Foundation
import Testing

/// Replays the committed seed corpus of each HTTP fuzz target (`Fuzz/Corpus/TARGET`) through
/// the same harness the libFuzzer build runs, so every input that once found a bug stays a
/// regression test. The long runs are `Fuzz/run.sh`.
@Suite("Fuzz corpus replay: HTTP parsers")
struct HTTPFuzzCorpusTests {
    static func corpus(_ target: String) throws -> [(name: String, bytes: [UInt8])] {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fuzz/Corpus/\(target)")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        return try names.map { name in
            (name, [UInt8](try Data(contentsOf: directory.appendingPathComponent(name))))
        }
    }

    @Test("every http-head corpus input parses the same whole and in prefixes")
    func httpHead() throws {
        let inputs = try Self.corpus("http-head")
        #expect(inputs.count >= 10)
        for (name, bytes) in inputs {
            #expect(HTTPHeadFuzz.check(bytes) == [], "\(name)")
        }
    }

    @Test("every chunked corpus input decodes the same at once and byte by byte")
    func chunked() throws {
        let inputs = try Self.corpus("chunked")
        #expect(inputs.count >= 5)
        for (name, bytes) in inputs {
            #expect(ChunkedFuzz.check(bytes) == [], "\(name)")
        }
    }

    @Test("every multipart corpus input parses the same at once and in pieces")
    func multipart() throws {
        let inputs = try Self.corpus("multipart")
        #expect(inputs.count >= 5)
        for (name, bytes) in inputs {
            #expect(MultipartFuzz.check(bytes) == [], "\(name)")
        }
    }
}
