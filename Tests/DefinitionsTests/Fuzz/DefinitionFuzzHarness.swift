// The fuzz harness for the definition loader, shared by the libFuzzer target under `Fuzz/`
// (which compiles this file next to its entry point) and by `FuzzCorpusTests`, which replays
// the committed corpus through it on every `swift test`. Keep this file free of `Testing`.
import Foundation
@testable import Definitions

/// One input through ``DefinitionLoader`` as the bytes of `importers/fuzz.json`: it must not
/// crash, a definition comes back exactly when there is no problem, and every problem points
/// into the file.
enum DefinitionFuzz {
    static func check(_ bytes: [UInt8]) -> [String] {
        let (definition, problems) = DefinitionLoader.decode(bytes: bytes, fileName: "importers/fuzz.json")
        var found: [String] = []
        if (definition == nil) == problems.isEmpty {
            found.append("definition \(definition == nil ? "missing" : "present") with \(problems.count) problems")
        }
        let lineCount = bytes.reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        for problem in problems {
            if problem.file != "importers/fuzz.json" { found.append("problem names the file \(problem.file)") }
            if !problem.pointer.isEmpty && !problem.pointer.hasPrefix("/") { found.append("bad pointer in \(problem)") }
            if let line = problem.line, !(1...lineCount).contains(line) { found.append("line outside the file in \(problem)") }
            if let column = problem.column, column < 1 { found.append("column below 1 in \(problem)") }
            if problem.message.isEmpty { found.append("empty message at \(problem.pointer)") }
        }
        let loaded = DefinitionLoader.load(data: Data(bytes), fileName: "importers/fuzz.json")
        if loaded.definition != definition || loaded.problems != problems {
            found.append("load(data:) and decode(bytes:) disagree")
        }
        if !DefinitionDecoder.isSlug(loaded.slug) && loaded.slug != "fuzz" {
            found.append("slug '\(loaded.slug)' is neither valid nor the file's name")
        }
        return found
    }
}
