import Foundation
import Testing

/// Replays the committed seed corpus of the definition fuzz target (`Fuzz/Corpus/definition`)
/// through the same harness the libFuzzer build runs. The long runs are `Fuzz/run.sh`.
@Suite("Fuzz corpus replay: definition loader")
struct DefinitionFuzzCorpusTests {
    @Test("every corpus input loads with consistent problems")
    func replay() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fuzz/Corpus/definition")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(names.count >= 5)
        for name in names {
            let bytes = [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
            #expect(DefinitionFuzz.check(bytes) == [], "\(name)")
        }
    }
}
