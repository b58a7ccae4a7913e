import Foundation
import Testing

/// Replays the committed seed corpus of the regex fuzz target (`Fuzz/Corpus/regex`) through the
/// same harness the libFuzzer build runs. The long runs are `Fuzz/run.sh`.
@Suite("Fuzz corpus replay: regex compiler")
struct RegexFuzzCorpusTests {
    @Test("every corpus input compiles or is refused consistently, and matches agree")
    func replay() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fuzz/Corpus/regex")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(names.count >= 10)
        for name in names {
            let bytes = [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
            #expect(RegexFuzz.check(bytes) == [], "\(name)")
        }
    }

    @Test("the harness reports a broken property")
    func harnessCanFail() {
        // A pattern refused for a reason must come with a message; an unclosed group is refused.
        #expect(RegexFuzz.check([0] + Array("(a".utf8)) == [])
        #expect(RegexFuzz.check([]) == [])
    }
}
