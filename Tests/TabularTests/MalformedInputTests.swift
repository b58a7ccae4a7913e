import Foundation
import Testing
@testable import Tabular

/// Damaged inputs of every kind must end in a `TabularError` (or in rows), never in a crash.
@Suite("Malformed input")
struct MalformedInputTests {
    /// Reads everything, returning the error if one was thrown; any non-Tabular error fails the test.
    static func outcome(bytes: [UInt8], extension ext: String, context: String = "") -> TabularError? {
        do {
            _ = try TemporaryFile.readAll(bytes: bytes, extension: ext)
            return nil
        } catch let error as TabularError {
            return error
        } catch {
            Issue.record("unexpected error type: \(error) \(context)")
            return nil
        }
    }

    @Test("a workbook cut at any point gives a clear error")
    func truncatedWorkbooks() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: XLSXReaderTests.fixture("handmade"))))
        for length in stride(from: 0, to: bytes.count, by: 97) {
            let error = Self.outcome(bytes: Array(bytes[..<length]), extension: "xlsx")
            #expect(error != nil, "cut at \(length)")
        }
    }

    @Test("a workbook with damaged bytes never crashes the reader")
    func damagedWorkbooks() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: XLSXReaderTests.fixture("handmade"))))
        for position in stride(from: 0, to: bytes.count, by: 13) {
            var damaged = bytes
            damaged[position] ^= 0xA5
            _ = Self.outcome(bytes: damaged, extension: "xlsx")
        }
    }

    @Test("a damaged ZIP directory never crashes the reader")
    func damagedDirectory() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: XLSXReaderTests.fixture("handmade"))))
        let path = try TemporaryFile.make([], extension: "xlsx")
        defer { TemporaryFile.remove(path) }
        for position in stride(from: max(0, bytes.count - 700), to: bytes.count, by: 3) {
            for value: UInt8 in [0x00, 0xFF] where bytes[position] != value {
                var damaged = bytes
                damaged[position] = value
                try Data(damaged).write(to: URL(fileURLWithPath: path))
                do {
                    _ = try TemporaryFile.readAll(path: path)
                } catch is TabularError {
                    continue
                }
            }
        }
    }

    @Test("JSON cut at any point gives rows then a clear error")
    func truncatedJSON() {
        let text = Array(#"[{"a": 1, "b": {"c": [true, null, "x\"y"]}}, {"a": -2.5e3, "b": {"c": []}}]"#.utf8)
        for length in 1..<text.count {
            let error = Self.outcome(bytes: Array(text[..<length]), extension: "json")
            #expect(error?.kind == .malformedJSON, "cut at \(length)")
        }
    }

    @Test("random bytes as CSV, JSON or NDJSON end in rows or a TabularError")
    func randomBytes() {
        let seed = SeededRandom.seedFromEnvironment()
        // Printed so that a failure can be replayed: INGEST_TEST_SEED=<seed> swift test --filter randomBytes
        print("random bytes: seed \(seed)")
        var generator = SeededRandom(seed: seed)
        let alphabet: [UInt8] = Array("\",;\r\n{}[]:a1\\ \t".utf8) + [0xC3, 0xA9, 0xFF, 0xEF, 0xBB, 0xBF, 0x00]
        for round in 0..<100 {
            let count = Int.random(in: 0..<300, using: &generator)
            let bytes = (0..<count).map { _ in alphabet.randomElement(using: &generator) ?? 0 }
            for ext in ["csv", "json", "ndjson"] {
                _ = Self.outcome(bytes: bytes, extension: ext, context: "seed \(seed), round \(round)")
            }
        }
    }
}
